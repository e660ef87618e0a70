// Readers for the response bodies of the S3 and STS operations the client uses, over xml.h. Each throws XmlError
// when the body is not XML or not the expected shape (wrong root, a missing required field, a bad number or date).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "s3/types.h"

namespace capstan::s3 {

struct ListPage {
  ListResult result;
  bool truncated = false;
  std::string next_continuation_token;
};
ListPage ParseListBucketResult(std::string_view body);  // ListObjectsV2

struct UploadsPage {
  std::vector<UploadInfo> uploads;
  bool truncated = false;
  std::string next_key_marker, next_upload_id_marker;
};
UploadsPage ParseListMultipartUploadsResult(std::string_view body);

std::string ParseInitiateMultipartUploadResult(std::string_view body);  // the UploadId
// CompleteMultipartUpload answers 200 with either a result (the ETag) or an <Error> body.
struct CompleteOutcome {
  std::string etag;
  std::optional<ErrorBody> error;
};
CompleteOutcome ParseCompleteMultipartUploadResult(std::string_view body);
// nullopt when the body is not an <Error> document.
std::optional<ErrorBody> ParseErrorBody(std::string_view body);
// DeleteObjects: the keys that failed, with their error.
std::vector<std::pair<std::string, ErrorBody>> ParseDeleteResult(std::string_view body);

struct StsCredentials {
  std::string access_key_id, secret_access_key, session_token;
  int64_t expiration_unix = 0;
};
StsCredentials ParseAssumeRoleWithWebIdentityResponse(std::string_view body);

// 2009-10-12T17:50:30.000Z (fractions optional, Z or +00:00) -> seconds since the epoch; nullopt when malformed.
std::optional<int64_t> ParseIso8601(std::string_view s);

}  // namespace capstan::s3
