// Small string helpers used everywhere: trimming, splitting, joining, case, quoting for messages.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace capstan {

std::string_view Trim(std::string_view s);
std::vector<std::string> Split(std::string_view s, char sep, bool skip_empty = false);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);
// Join for messages: at most `limit` parts, then "... and N more", so a message stays short whatever the input.
std::string JoinLimited(const std::vector<std::string>& parts, std::string_view sep, size_t limit = 10);
std::string ToLower(std::string_view s);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);
// Quotes a value for a human message: 'value', with control characters escaped.
std::string Quote(std::string_view s);
// Edit distance, for did-you-mean suggestions.
size_t EditDistance(std::string_view a, std::string_view b);
// Lowercase hex of bytes.
std::string Hex(const unsigned char* data, size_t n);
// The value of a hexadecimal digit (0-9, a-f, A-F), or -1.
int HexDigitValue(char c);
// Decodes %XX escapes (RFC 3986); false, with the offset of the bad '%', when one is not followed by two hex digits.
bool PercentDecode(std::string_view in, std::string& out, size_t& bad_offset);
// Percent-encodes every byte but RFC 3986's unreserved characters (A-Z a-z 0-9 - . _ ~) and those in also_keep,
// with upper-case hex ("a b/c" with also_keep "/" -> "a%20b/c").
std::string PercentEncodeUnreserved(std::string_view s, std::string_view also_keep);
// Appends a Unicode code point as UTF-8 (1 to 4 bytes; the caller checks the range).
void AppendUtf8(std::string& out, uint32_t code_point);

}  // namespace capstan
