// Standard base64 decoding (kubeconfig *-data fields, Kubernetes Secret-like payloads).
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace capstan::kube {

// Decodes standard base64 (whitespace ignored); nullopt when the text is not base64.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace capstan::kube
