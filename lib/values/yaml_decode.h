// Decoding one YAML document into values exactly as Helm does it: sigs.k8s.io/yaml's Unmarshal, which is go-yaml
// v2's Unmarshal into interface{} (decode.go: merge keys, aliases and their "excessive aliasing" limit, YAML 1.1
// scalars), then the conversion to JSON (map keys become strings: true, 1, 1.5; NaN and infinities refused;
// invalid UTF-8 replaced), then encoding/json's decoding (every number a float64). Each value keeps the position
// of its key (or, for list items and the root, its own) as its origin.
#pragma once
#include <string>
#include <string_view>

#include "values/value.h"

namespace capstan::values {

struct YamlDecodeError {
  std::string message;  // Helm's words after "error converting YAML to JSON: " ("yaml: line 3: did not find ...")
  int line = 0;         // 1-based line in the text given, 0 when the error names no place
  int column = 0;
};

// Decodes the FIRST document of `text` (as yaml.Unmarshal does; later documents are not read at all). A null or
// empty document gives a null Value. Throws YamlDecodeError. line_offset is added to every origin's line.
Value DecodeFirstYamlDocument(std::string_view text, const LayerPtr& layer, int line_offset = 0);

}  // namespace capstan::values
