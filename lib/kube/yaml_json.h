// Reads a YAML (or JSON) document into a RapidJSON DOM through the shared YAML reader (lib/yaml: libfyaml, YAML 1.1
// scalar types as Kubernetes reads them), for small configuration files (kubeconfig, upgrade policy). Errors name
// the file, line and column. Aliases and merge keys are followed, with bounded depth and size.
#pragma once
#include <string>
#include <string_view>

#include "kube/json.h"

namespace capstan::kube {

// Throws UsageError "<origin>:<line>:<col>: <why>" when the text is not one YAML document.
JsonDoc YamlToJson(std::string_view text, const std::string& origin);

}  // namespace capstan::kube
