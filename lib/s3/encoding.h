// The byte encodings S3 requests need: AWS's URI encoding (RFC 3986 unreserved characters kept, everything else
// %XX in upper case; '/' kept in paths), its decoding, base64 (x-amz-checksum-sha256 carries the SHA-256 in
// base64) and hex to bytes (OpenSSL digests are handed out as hex by lib/digest).
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "util/base64.h"  // Base64Encode

namespace capstan::s3 {

// AWS's UriEncode(): A-Z a-z 0-9 - . _ ~ kept; '/' kept when encode_slash is false; every other byte as %XX.
std::string UriEncode(std::string_view s, bool encode_slash = true);
// Decodes %XX escapes ('+' is kept as '+'); nullopt on a malformed escape.
std::optional<std::string> UriDecode(std::string_view s);
// Lower- or upper-case hex to bytes; "" when the text is not hex of even length.
std::string HexToBytes(std::string_view hex);

}  // namespace capstan::s3
