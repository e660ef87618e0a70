// Reads a YAML (or JSON) document into a RapidJSON DOM through libfyaml, for small configuration files
// (kubeconfig, upgrade policy). Errors name the file and line. Anchors and merge keys are resolved.
#pragma once
#include <string>
#include <string_view>

#include "kube/json.h"

namespace capstan::kube {

// Throws UsageError "<origin>:<line>:<col>: <why>" when the text is not one YAML document.
JsonDoc YamlToJson(std::string_view text, const std::string& origin);

}  // namespace capstan::kube
