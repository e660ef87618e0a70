// AWS Signature Version 4 for S3 requests (and the unsigned STS call's neighbours): the canonical request, the
// string to sign, the signing key (HMAC-SHA-256 chain over date, region, service), and the Authorization header,
// with AWS's URI encoding of paths and query strings. The payload is signed by its SHA-256 (hex) or declared
// UNSIGNED-PAYLOAD. Checked against the AWS SigV4 test suite and the S3 examples of the AWS documentation
// (sigv4_test.cc). Secrets go in, only the signature comes out; nothing here logs.
#pragma once
#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace capstan::s3 {

using HeaderList = std::vector<std::pair<std::string, std::string>>;
using QueryList = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

struct SigningRequest {
  std::string method;                // GET, PUT, ...
  std::string canonical_uri;         // the path as sent, already URI-encoded (EncodePath)
  QueryList query;                   // decoded names and values, in any order
  HeaderList headers;                // every header to sign (Host included), as sent
  std::string payload_hash;          // hex SHA-256 of the body, or kUnsignedPayload
};

struct SigningParams {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty: none
  std::string region;
  std::string service = "s3";
  std::time_t time = 0;
  bool content_sha256_header = true;  // add x-amz-content-sha256 (S3 requires it; the generic suite does not)
};

struct Signature {
  std::string amz_date;           // 20150830T123600Z
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;          // hex
  std::string authorization;      // the Authorization header's value
};

// Signs the request: adds X-Amz-Date, X-Amz-Security-Token (with a session token) and X-Amz-Content-Sha256 (when
// asked) to req.headers, signs every header in req.headers, then adds Authorization.
Signature Sign(SigningRequest& req, const SigningParams& params);

// The path of an object key: "/" + each segment URI-encoded once ('/' kept), as S3 wants it.
std::string EncodePath(std::string_view raw_path);
// Removes "." and ".." segments and repeated slashes (the suite's "normalize" cases; S3 never normalises).
std::string NormalizePath(std::string_view path);
// name=value pairs URI-encoded, sorted by name then value, joined by '&'.
std::string CanonicalQuery(const QueryList& query);
// The query as sent on the wire: the canonical form (so what is signed is what is sent).
inline std::string QueryString(const QueryList& query) { return CanonicalQuery(query); }
std::string AmzDate(std::time_t t);  // 20150830T123600Z

}  // namespace capstan::s3
