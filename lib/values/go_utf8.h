// Go's view of UTF-8 (unicode/utf8.DecodeRune): where a string holds invalid UTF-8, Go reads each offending byte as
// U+FFFD on its own. Helm's --set parsers read their argument rune by rune (so invalid bytes become U+FFFD),
// encoding/json's decoder does the same inside strings, and its encoder writes them as \ufffd.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace capstan::values {

// The length of the valid UTF-8 sequence at s[i] (1 to 4), or 0 when utf8.DecodeRune would return RuneError with
// size 1 there (a stray or truncated byte, an overlong form, a surrogate, beyond U+10FFFF). i < s.size().
size_t GoRuneLen(std::string_view s, size_t i);

// Appends the rune at s[*i] to out as Go's ReadRune + string(rune) would (an invalid byte becomes U+FFFD) and moves
// *i past it.
void AppendGoRune(std::string_view s, size_t* i, std::string& out);

// s with every invalid byte replaced by U+FFFD: Go's string([]rune(s)).
std::string GoValidUtf8(std::string_view s);

}  // namespace capstan::values
