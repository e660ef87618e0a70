// Small string helpers used everywhere: trimming, splitting, joining, case, quoting for messages.
#pragma once
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

}  // namespace capstan
