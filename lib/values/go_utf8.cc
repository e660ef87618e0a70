#include "values/go_utf8.h"

namespace capstan::values {

size_t GoRuneLen(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  unsigned char c1 = n > 1 ? static_cast<unsigned char>(s[i + 1]) : 0;
  if (n == 2 && c < 0xC2) return 0;                         // overlong
  if (n == 3 && c == 0xE0 && c1 < 0xA0) return 0;           // overlong
  if (n == 3 && c == 0xED && c1 >= 0xA0) return 0;          // surrogates
  if (n == 4 && c == 0xF0 && c1 < 0x90) return 0;           // overlong
  if (n == 4 && (c > 0xF4 || (c == 0xF4 && c1 >= 0x90))) return 0;  // beyond U+10FFFF
  return n;
}

void AppendGoRune(std::string_view s, size_t* i, std::string& out) {
  size_t n = GoRuneLen(s, *i);
  if (n == 0) {
    out += "\xEF\xBF\xBD";
    ++*i;
    return;
  }
  out.append(s.substr(*i, n));
  *i += n;
}

std::string GoValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) AppendGoRune(s, &i, out);
  return out;
}

}  // namespace capstan::values
