// Loading values files (values.yaml, -f files) the way Helm does: sigs.k8s.io/yaml over go-yaml v2 (YAML 1.1
// scalars, booleans even as keys, every number a float64, merge keys, anchors, last duplicate key wins), the top
// level must be a map; Helm 3 reads the first document only, Helm 4 merges every document in order.
#pragma once
#include <string_view>

#include "values/value.h"

namespace capstan::values {

// Parses `text` (the contents of layer->file) into a map with origins. Throws capstan::Error with a Helm-like
// message naming the file and line ("failed to parse values.yaml: ... line 3: ...").
Value ParseValuesYaml(std::string_view text, const LayerPtr& layer, int helm_major);

// Parses one YAML document that may be any kind (used for Chart.yaml and tests). Same scalar rules.
Value ParseYamlDocument(std::string_view text, const LayerPtr& layer);

// Helm's mergeMaps (pkg/cli/values/options.go): a deep merge where b wins; maps merge, everything else replaces.
Value MergeMaps(const Value& a, const Value& b);

}  // namespace capstan::values
