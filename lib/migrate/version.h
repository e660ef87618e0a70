// Migration versions: "1", "1.2", "2026.01.05" (an underscore in a file name stands for a dot: V1_2__x.sql is 1.2).
// Versions compare numerically part by part, of any length (no overflow), and missing parts count as zero, so
// 1 == 1.0 < 1.2 < 1.10 < 2 < 2026.01.05.
#pragma once
#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capstan::migrate {

class Version {
 public:
  // Digits separated by single '.' or '_'; nullopt for anything else (empty, letters, "1..2", "1.").
  static std::optional<Version> Parse(std::string_view text);
  const std::string& text() const { return text_; }  // as written, with '_' shown as '.'
  int Compare(const Version& other) const;            // <0, 0, >0
  bool operator==(const Version& o) const { return Compare(o) == 0; }
  std::strong_ordering operator<=>(const Version& o) const {
    int c = Compare(o);
    return c < 0 ? std::strong_ordering::less : c > 0 ? std::strong_ordering::greater : std::strong_ordering::equal;
  }

 private:
  std::string text_;
  std::vector<std::string> parts_;  // digits without leading zeros ("" for zero)
};

}  // namespace capstan::migrate
