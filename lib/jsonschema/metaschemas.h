// The JSON Schema meta-schemas embedded at build time (cmake/embed_metaschemas.cmake generates the definition from
// Debian's python3-jsonschema): draft4/6/7, 2019-09, 2020-12 and vocabularies.json (a map URI -> vocabulary
// meta-schema for 2019-09 and 2020-12).
#pragma once
#include <cstddef>
#include <vector>

namespace capstan::jsonschema {

struct EmbeddedFile {
  const char* name;  // e.g. "draft2020-12.json"
  const char* data;  // JSON text (NUL-terminated)
  std::size_t size;  // bytes, without the NUL
};

const std::vector<EmbeddedFile>& EmbeddedMetaSchemas();

}  // namespace capstan::jsonschema
