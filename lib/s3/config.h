// How to reach S3, from the environment variables AWS tools read:
//   endpoint: AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL, else https://s3.<region>.amazonaws.com
//   region:   AWS_REGION, then AWS_DEFAULT_REGION, else us-east-1
//   addressing: path-style (https://host/bucket/key) when an endpoint is given (MinIO, Ceph) or
//             AWS_S3_FORCE_PATH_STYLE=true; virtual-hosted (https://bucket.host/key) otherwise
//   trusted CAs: AWS_CA_BUNDLE (else the system's); TLS verification is always on; an http:// endpoint is accepted
//             only on loopback (127.0.0.0/8, ::1, localhost), with a warning
// plus the credentials (credentials.h) and the client's tuning (part size, retries, timeouts).
#pragma once
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "s3/credentials.h"

namespace capstan::s3 {

inline constexpr size_t kMinPartSize = size_t{5} << 20;      // S3's minimum for all parts but the last
inline constexpr size_t kDefaultPartSize = size_t{8} << 20;

struct Config {
  std::string endpoint;  // scheme://host[:port], no trailing '/'
  std::string scheme;    // "https" or "http"
  std::string host;      // as written in the endpoint (name or IP)
  int port = 443;
  std::string region = "us-east-1";
  bool path_style = false;
  std::string ca_bundle;  // empty: the system's trusted CAs
  std::shared_ptr<CredentialsProvider> credentials;

  // Tuning (the defaults suit production; tests lower them).
  size_t part_size = kDefaultPartSize;       // multipart part size (>= kMinPartSize)
  size_t read_chunk = size_t{8} << 20;       // bytes per ranged GET of an ObjectReader (its buffer)
  int max_attempts = 6;                      // per request: retries of 500/502/503/504 and connection errors
  std::chrono::milliseconds backoff_initial{250};
  std::chrono::milliseconds backoff_max{8000};
  int connect_timeout_sec = 10;
  int io_timeout_sec = 60;
  int list_max_keys = 1000;                  // max-keys per ListObjectsV2 page

  // "https://s3.eu-west-1.amazonaws.com (region eu-west-1, path-style)", for messages.
  std::string Describe() const;
};

struct ConfigOptions {
  std::string credentials_dir;  // --s3-credentials-dir
  bool resolve_credentials = true;
};

// Reads the environment (see above). Throws UsageError for a malformed endpoint or a plain-HTTP endpoint that is
// not on loopback.
Config FromEnvironment(const ConfigOptions& options = {}, const Env& env = ProcessEnv());
// Sets endpoint/scheme/host/port from a URL (same checks as FromEnvironment).
void SetEndpoint(Config& config, const std::string& url);

}  // namespace capstan::s3
