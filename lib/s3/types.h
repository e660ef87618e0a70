// The values S3 operations return (client.h re-exports them): object metadata, listings, multipart uploads, the
// result of a streamed upload, and an S3 error response.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace capstan::s3 {

struct ObjectInfo {
  std::string key;
  uint64_t size = 0;
  int64_t last_modified_unix = 0;
  std::string etag;  // as S3 sends it, quotes removed
};

struct ListResult {
  std::vector<ObjectInfo> objects;
  std::vector<std::string> common_prefixes;
};

struct UploadInfo {
  std::string key;
  std::string upload_id;
  int64_t initiated_unix = 0;
};

struct FinishResult {
  uint64_t size = 0;
  std::string sha256;  // hex SHA-256 of all the bytes written
};

// An S3 (or STS) error body: <Error><Code>NoSuchKey</Code><Message>...</Message><RequestId>...</RequestId></Error>.
struct ErrorBody {
  std::string code;
  std::string message;
  std::string request_id;
};

}  // namespace capstan::s3
