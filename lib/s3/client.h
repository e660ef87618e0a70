// An S3 client for Capstan's backups: one Client per thread (one connection, kept alive), bound to one bucket.
// Object operations (Head, GetSmall, Put, List, Delete, DeleteMany, ListUploads, AbortUpload) and streams:
// OpenRead() reads an object in ranged GETs through a bounded buffer (Config::read_chunk), resuming with a Range
// request after a cut connection and checking the object's size and that its ETag did not change; Create() writes an
// object through a bounded buffer as a multipart upload (one part of Config::part_size buffered; each part signed by
// its SHA-256 and sent with x-amz-checksum-sha256), or as a single PUT when it stays below one part.
// Every request is signed with SigV4 (sigv4.h) and retried on 500, 502, 503 (SlowDown), 504 and connection errors
// with jittered exponential backoff, each retry logged as a warning naming the operation, key and status. S3 errors
// become capstan::Error with what/where/what to do: refused credentials, a missing bucket and an unreachable
// endpoint are PreconditionError (exit 3).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "s3/config.h"
#include "s3/sigv4.h"
#include "s3/types.h"
#include "s3/url.h"

namespace httplib {
class Client;
}

namespace capstan::s3 {

// A streamed read of one object. Read() fills up to n bytes and returns how many; 0 at the end. Throws
// capstan::Error when the object changed (ETag) or its size does not match, or S3 cannot be reached.
class ObjectReader {
 public:
  virtual ~ObjectReader() = default;
  virtual size_t Read(char* out, size_t n) = 0;
  virtual uint64_t size() const = 0;
  virtual const std::string& etag() const = 0;
};

// A streamed write of one object. Nothing is visible under the key before Finish() returns; the destructor
// without Finish() aborts the multipart upload (Abort() does it explicitly).
class ObjectWriter {
 public:
  virtual ~ObjectWriter() = default;
  virtual void Write(const char* data, size_t n) = 0;
  void Write(std::string_view data) { Write(data.data(), data.size()); }
  virtual FinishResult Finish() = 0;
  virtual void Abort() = 0;
};

class Client {
 public:
  Client(Config config, std::string bucket);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const Config& config() const { return config_; }
  const std::string& bucket() const { return bucket_; }

  // HeadBucket: PreconditionError (exit 3) when the bucket is missing or the credentials are refused. Call it first:
  // a HEAD of an object in a missing bucket is only a 404, indistinguishable from a missing object.
  void CheckBucket();
  std::optional<ObjectInfo> Head(const std::string& key);  // nullopt: no such object
  // The whole object; Error when it is larger than max_bytes or missing.
  std::string GetSmall(const std::string& key, size_t max_bytes);
  void Put(const std::string& key, std::string_view data);
  // Every object under prefix (ListObjectsV2 pages followed); with a delimiter, the common prefixes too.
  ListResult List(const std::string& prefix, const std::string& delimiter = "");
  void Delete(const std::string& key);  // a missing object is not an error
  void DeleteMany(const std::vector<std::string>& keys);  // DeleteObjects, 1000 keys per request
  std::vector<UploadInfo> ListUploads(const std::string& prefix);
  void AbortUpload(const std::string& key, const std::string& upload_id);
  std::unique_ptr<ObjectReader> OpenRead(const std::string& key);
  std::unique_ptr<ObjectWriter> Create(const std::string& key);

  // ---- the transport, for the streams in object_reader.cc and object_writer.cc ----
  struct Request {
    std::string op;       // "PUT object", for logs and messages
    std::string method;
    std::string key;      // "" for a bucket-level request
    QueryList query;
    HeaderList headers;   // extra headers to sign and send (Range, x-amz-checksum-sha256, Content-Type...)
    std::string body;
    std::string payload_hash;  // "" -> the SHA-256 of body
    std::vector<int> accept = {200};  // statuses returned to the caller; others are errors (retried or thrown)
    // Called before each attempt (a resumed read moves its Range).
    std::function<void(Request&)> prepare;
    // Streams the body of an accepted response here instead of Response::body; false stops the transfer.
    std::function<bool(const char* data, size_t n)> sink;
    size_t max_body = size_t{4} << 20;  // a larger body (not streamed) is an error
  };
  struct Response {
    int status = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // lower-case names
    std::string Header(std::string_view lower_name) const;
  };
  // Signs, sends and retries; returns an accepted response or throws capstan::Error.
  Response Send(Request& request);
  // "s3://bucket/key", for messages.
  std::string Where(const std::string& key) const;

 private:
  httplib::Client& Http();

  Config config_;
  std::string bucket_;
  std::string host_header_;
  std::unique_ptr<httplib::Client> http_;
  uint64_t rng_state_;
};

// Internal, exposed for tests: the exception for an S3 error response.
[[noreturn]] void ThrowS3Error(const Client& client, const std::string& op, const std::string& key, int status,
                               const std::string& body, const std::string& credentials);

}  // namespace capstan::s3
