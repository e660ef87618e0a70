// Internal to lib/wait: locating errors in a condition text (offset -> line/column) and the characters the grammar
// treats specially. The public API is condition.h.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "wait/condition.h"

#include "util/strings.h"

namespace capstan::wait::detail {

// Throws a ConditionError "condition N at column C: reason" (or "line L, column C" when text has line breaks).
// index 0 means "not inside a condition" (e.g. a stray comma before the first one).
[[noreturn]] void Fail(std::string_view text, size_t offset, size_t index, const std::string& reason);

// Characters allowed in a bare (unquoted) value and in a target body.
bool IsBareChar(unsigned char c);
// Whitespace inside a line (space, tab, CR, vertical tab, form feed); '\n' separates conditions.
bool IsInlineSpace(unsigned char c);

// Percent-decoding of a target body ("%20" -> " "): PercentDecode of util/strings.h.
// Percent-encoding of the characters a target body cannot hold (whitespace, ',', '(', ')', quotes, '%', controls).
std::string PercentEncode(std::string_view in);

}  // namespace capstan::wait::detail
