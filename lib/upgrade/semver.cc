#include "upgrade/semver.h"

#include "util/strings.h"

namespace capstan::upgrade {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool ParseNumber(std::string_view s, uint64_t& out) {
  if (!AllDigits(s) || s.size() > 18 || (s.size() > 1 && s[0] == '0')) return false;
  out = 0;
  for (char c : s) out = out * 10 + static_cast<uint64_t>(c - '0');
  return true;
}

bool ValidIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-')) return false;
  return true;
}

}  // namespace

std::optional<SemVer> ParseSemVer(std::string_view text) {
  SemVer v;
  v.text = std::string(text);
  std::string_view s = Trim(text);
  if (!s.empty() && (s[0] == 'v' || s[0] == 'V')) s.remove_prefix(1);
  size_t plus = s.find('+');
  if (plus != std::string_view::npos) {
    v.build = std::string(s.substr(plus + 1));
    for (const auto& id : Split(v.build, '.'))
      if (!ValidIdentifier(id)) return std::nullopt;
    s = s.substr(0, plus);
  }
  size_t dash = s.find('-');
  if (dash != std::string_view::npos) {
    for (const auto& id : Split(s.substr(dash + 1), '.')) {
      if (!ValidIdentifier(id)) return std::nullopt;
      if (AllDigits(id) && id.size() > 1 && id[0] == '0') return std::nullopt;
      v.pre.push_back(id);
    }
    s = s.substr(0, dash);
  }
  auto core = Split(s, '.');
  if (core.empty() || core.size() > 3) return std::nullopt;
  uint64_t* fields[3] = {&v.major, &v.minor, &v.patch};
  for (size_t i = 0; i < core.size(); ++i)
    if (!ParseNumber(core[i], *fields[i])) return std::nullopt;
  return v;
}

int Compare(const SemVer& a, const SemVer& b) {
  auto cmp = [](uint64_t x, uint64_t y) { return x < y ? -1 : x > y ? 1 : 0; };
  if (int c = cmp(a.major, b.major)) return c;
  if (int c = cmp(a.minor, b.minor)) return c;
  if (int c = cmp(a.patch, b.patch)) return c;
  if (a.pre.empty() || b.pre.empty()) return a.pre.empty() == b.pre.empty() ? 0 : a.pre.empty() ? 1 : -1;
  for (size_t i = 0; i < a.pre.size() && i < b.pre.size(); ++i) {
    const std::string& x = a.pre[i];
    const std::string& y = b.pre[i];
    bool xn = AllDigits(x), yn = AllDigits(y);
    if (xn && yn) {
      if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
      if (int c = x.compare(y)) return c < 0 ? -1 : 1;
    } else if (xn != yn) {
      return xn ? -1 : 1;  // numeric identifiers have lower precedence
    } else if (int c = x.compare(y)) {
      return c < 0 ? -1 : 1;
    }
  }
  return cmp(a.pre.size(), b.pre.size());
}

std::string ToString(const SemVer& v) {
  std::string s = std::to_string(v.major);
  s.append(".").append(std::to_string(v.minor)).append(".").append(std::to_string(v.patch));
  if (!v.pre.empty()) s.append("-").append(Join(v.pre, "."));
  if (!v.build.empty()) s.append("+").append(v.build);
  return s;
}

}  // namespace capstan::upgrade
