// The one base64 encoder and decoder (standard alphabet, with padding). The decoder, used for kubeconfig *-data fields and for Secret data and
// ConfigMap binaryData in manifests. Strict where the API server is strict: only A-Z a-z 0-9 + / and '=';
// padding is optional, but when present it must complete the last 4-character group (so "YWJj=" is refused);
// nothing may follow the padding. Whitespace (space, tab, CR, LF) is ignored.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace capstan {

// The decoded bytes; nullopt when the text is not base64 (and then *why, when given, says what is wrong, without
// quoting the data: it may be secret).
std::optional<std::string> Base64Decode(std::string_view text, std::string* why = nullptr);
// The base64 of bytes, padded with '=' (S3's checksums, Content-MD5).
std::string Base64Encode(std::string_view bytes);

}  // namespace capstan
