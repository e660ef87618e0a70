// UTF-8 helpers for JSON Schema: code point decoding (lenient: a bad byte counts as one code point) and length.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace capstan::jsonschema {

// Decodes the code point at s[i] and advances i past it.
uint32_t DecodeUtf8(std::string_view s, size_t& i);
// Number of code points (what `minLength` / `maxLength` count).
size_t CodePointCount(std::string_view s);

}  // namespace capstan::jsonschema
