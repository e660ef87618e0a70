// A port of Helm's pkg/strvals: the --set, --set-string, --set-json, --set-file and --set-literal parsers
// ("a.b=1,c={x,y},d[2].e=v", backslash escapes, typed values, list indexes padded with nulls), writing into an
// existing values map (so later flags see and extend what earlier ones set). Errors read like Helm's.
#pragma once
#include <functional>
#include <string>
#include <string_view>

#include "values/value.h"

namespace capstan::values {

enum class SetMode {
  kTyped,    // --set: true/false/null/int64 recognised (typedVal)
  kString,   // --set-string
  kJson,     // --set-json key=<json>
  kFile,     // --set-file key=<path>: the value is the file's contents
  kLiteral,  // --set-literal: the rest of the argument is the value, no escapes or lists
};

// Reads the file named by a --set-file value; throws on failure (the message becomes Helm's).
using FileReader = std::function<std::string(const std::string& path)>;

// Parses one flag argument into `dest` (a map). Every node it creates carries `origin`. Throws capstan::Error with
// the parser's message (without the "failed parsing --set data: " prefix, which the caller adds).
void ParseSetInto(std::string_view text, SetMode mode, Value& dest, const Origin& origin,
                  const FileReader& reader = nullptr);

// Parses a complete JSON text (Go's json.Unmarshal into interface{}: every number a float64). Throws Error.
Value ParseJson(std::string_view text, const Origin& origin);

// Helm's typedVal for --set: "true"/"false" (any case) -> bool, "null" -> null, "0" -> int64 0, an int64 that does
// not start with '0' -> int64, anything else -> string.
Value TypedVal(const std::string& s, const Origin& origin);

}  // namespace capstan::values
