// Semantic versions (semver.org 2.0) with precedence done right: numeric vs alphanumeric pre-release identifiers,
// a pre-release below its release, build metadata ignored. Lenient forms seen in image tags and labels are
// accepted: a leading "v", and missing minor/patch ("1.2" = 1.2.0).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capstan::upgrade {

struct SemVer {
  uint64_t major = 0, minor = 0, patch = 0;
  std::vector<std::string> pre;  // dot-separated pre-release identifiers
  std::string build;
  std::string text;  // as written
};

std::optional<SemVer> ParseSemVer(std::string_view text);
// <0, 0, >0 by semver precedence.
int Compare(const SemVer& a, const SemVer& b);
std::string ToString(const SemVer& v);

}  // namespace capstan::upgrade
