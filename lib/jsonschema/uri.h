// URI references (RFC 3986 resolution) and JSON pointers (RFC 6901), as JSON Schema `$id` / `$ref` use them.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace capstan::jsonschema {

// Resolves `ref` against the absolute `base` (RFC 3986 section 5.2, with dot-segment removal).
std::string ResolveUri(std::string_view base, std::string_view ref);
// Splits "abs#frag" into {"abs", "frag"}; the fragment is returned without '#' (empty when absent).
std::pair<std::string, std::string> SplitFragment(std::string_view uri);
// Percent-decodes (used for URI fragments that hold JSON pointers).
std::string PercentDecode(std::string_view s);
// Percent-encodes the characters a fragment may not hold raw (for schema_uri output).
std::string FragmentEncode(std::string_view s);

// "/a~1b/c" -> {"a/b", "c"}; false if malformed (not starting with '/', bad ~ escape).
bool ParseJsonPointer(std::string_view pointer, std::vector<std::string>& tokens);
// Escapes one token: '~' -> "~0", '/' -> "~1".
std::string EscapePointerToken(std::string_view token);

}  // namespace capstan::jsonschema
