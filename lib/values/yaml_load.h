// Loading values files (values.yaml, -f files) the way Helm does: sigs.k8s.io/yaml over go-yaml v2 (lib/goyaml, a
// port of the parser Helm uses, so the same files are accepted and refused with the same words; YAML 1.1 scalars,
// booleans even as keys, every number a float64, merge keys, anchors, last duplicate key wins), the top level must
// be a map; Helm 3 reads the first document only, Helm 4 splits the file at "---" lines and merges every document.
#pragma once
#include <string>
#include <string_view>

#include "util/error.h"

#include "values/value.h"

namespace capstan::values {

// A values file Helm refuses to read. what() is Helm's own message ("failed to parse values.yaml: error converting
// YAML to JSON: yaml: line 3: did not find expected key"; Helm 4 counts lines from the start of the document
// after a "---"); file() and line() say where it is in the file (line 0: no line).
class ValuesParseError : public Error {
 public:
  ValuesParseError(const std::string& message, std::string file, int line)
      : Error(message), file_(std::move(file)), line_(line) {}
  const std::string& file() const { return file_; }
  int line() const { return line_; }

 private:
  std::string file_;
  int line_;
};

// Parses `text` (the contents of layer->file) into a map with origins, exactly as Helm 3 (yaml.Unmarshal: the first
// document) or Helm 4 (loader.LoadValues: every document, merged) does. Throws ValuesParseError.
Value ParseValuesYaml(std::string_view text, const LayerPtr& layer, int helm_major);

// Parses one YAML document that may be any kind (used for Chart.yaml and tests). Same scalar rules.
Value ParseYamlDocument(std::string_view text, const LayerPtr& layer);

// Helm's mergeMaps (pkg/cli/values/options.go): a deep merge where b wins; maps merge, everything else replaces.
Value MergeMaps(const Value& a, const Value& b);

}  // namespace capstan::values
