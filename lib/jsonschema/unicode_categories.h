// Unicode General_Category ranges for \p{...} in JSON Schema patterns. The definition is generated at build time
// from Python's unicodedata by scripts/gen_unicode_categories.py (see cmake/embed_metaschemas.cmake).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace capstan::jsonschema {

struct UnicodeRange {
  uint32_t lo, hi;
};
struct UnicodeCategory {
  const char* name;  // short ("Lu", "L") or long ("Uppercase_Letter", "Letter") name
  const UnicodeRange* ranges;
  std::size_t count;
};

const std::vector<UnicodeCategory>& UnicodeCategories();

}  // namespace capstan::jsonschema
