// Plain words for the errors Helm gives on a values file it cannot read (go-yaml's "did not find expected key",
// Helm 4's "invalid Yaml document separator", encoding/json's "cannot unmarshal array"...): what is wrong and
// how to fix it, for `values lint` to print beside Helm's own message.
#pragma once
#include <string>
#include <string_view>

namespace capstan::values {

// A sentence for the message, or "" when the message is not one we know.
std::string ExplainYamlError(std::string_view helm_message);

}  // namespace capstan::values
