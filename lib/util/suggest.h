// Did-you-mean: the one rule every "unknown key / option / kind / flag / command" message uses to propose the
// name that was probably meant. A candidate is close when its edit distance to the word (case-insensitive, an
// adjacent transposition counts as one edit) is at most 1 for words of up to 4 characters, 2 up to 8, else 3,
// and smaller than the word itself. The closest wins; on a tie, the first in alphabetical order.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace capstan {

// The closest candidate, or "" when none is close enough. A candidate equal to the word is never proposed.
std::string SuggestClosest(std::string_view word, const std::vector<std::string>& candidates);
// Case-insensitive edit distance where swapping two adjacent characters costs 1 (optimal string alignment).
size_t SuggestionDistance(std::string_view a, std::string_view b);

}  // namespace capstan
