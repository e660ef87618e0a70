#include "migrate/version.h"

namespace capstan::migrate {

std::optional<Version> Version::Parse(std::string_view text) {
  if (text.empty()) return std::nullopt;
  Version v;
  std::string part;
  bool have_digit = false;
  auto finish = [&]() {
    size_t nz = part.find_first_not_of('0');
    v.parts_.push_back(nz == std::string::npos ? std::string() : part.substr(nz));
    part.clear();
  };
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      part += c;
      have_digit = true;
      v.text_ += c;
    } else if (c == '.' || c == '_') {
      if (!have_digit) return std::nullopt;
      finish();
      have_digit = false;
      v.text_ += '.';
    } else {
      return std::nullopt;
    }
  }
  if (!have_digit) return std::nullopt;
  finish();
  while (!v.parts_.empty() && v.parts_.back().empty()) v.parts_.pop_back();
  return v;
}

int Version::Compare(const Version& other) const {
  size_t n = std::max(parts_.size(), other.parts_.size());
  static const std::string kZero;
  for (size_t i = 0; i < n; ++i) {
    const std::string& a = i < parts_.size() ? parts_[i] : kZero;
    const std::string& b = i < other.parts_.size() ? other.parts_[i] : kZero;
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    int c = a.compare(b);
    if (c != 0) return c < 0 ? -1 : 1;
  }
  return 0;
}

}  // namespace capstan::migrate
