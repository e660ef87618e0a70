// Go's encoding/json decoding into interface{}, as Helm's --set-json and JSON values reach it: every number a
// float64 (out-of-range numbers refused as Go refuses them), invalid surrogates as U+FFFD, nesting bounded, and
// Go's error texts ("invalid character 'x' looking for beginning of value", "unexpected EOF"). Written here rather
// than with RapidJSON, whose parser stack does pointer arithmetic on null (UBSan). Used by strvals.cc.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "values/value.h"

namespace capstan::values {

struct GoJsonError {
  std::string message;  // Go's text, without a prefix
};

// Reads one JSON value of `in` starting at *pos (leading JSON whitespace skipped); *pos moves just past it. Every
// node carries `origin`. Throws GoJsonError.
Value ReadGoJsonValue(std::string_view in, size_t* pos, const Origin& origin);

}  // namespace capstan::values
