// Where S3 credentials come from, following the AWS conventions users already have, first match wins:
//   1. --s3-credentials-dir DIR: files access-key-id, secret-access-key (and optional session-token) as mounted
//      from a Kubernetes Secret; a trailing newline is trimmed; re-read on every request (a rotated Secret is used);
//   2. the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN;
//   3. web identity (IRSA): AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN -> STS AssumeRoleWithWebIdentity
//      (AWS_ROLE_SESSION_NAME, AWS_STS_ENDPOINT_URL or AWS_ENDPOINT_URL_STS override the defaults), renewed five
//      minutes before the temporary credentials expire, re-reading the token file;
//   4. the shared credentials file: AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials, profile AWS_PROFILE
//      (default "default").
// Secrets are never printed or logged: Describe() names the source and only the key id's last 4 characters.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace capstan::s3 {

// Reads an environment variable (tests pass a map instead of the process environment).
using Env = std::function<std::optional<std::string>(const std::string& name)>;
Env ProcessEnv();  // getenv; unset and empty both read as nullopt

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  std::string source;          // "the environment (AWS_ACCESS_KEY_ID)", "files in /etc/s3 (--s3-credentials-dir)"...
  int64_t expires_unix = 0;    // 0: does not expire
  // "key id ...WXYZ from <source>": what messages may say about them.
  std::string Describe() const;
};

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // Current credentials (re-read or renewed as the source requires). Throws PreconditionError when the source
  // fails (a file vanished, STS refused).
  virtual Credentials Get() = 0;
  // The source, for messages ("files in /etc/s3 (--s3-credentials-dir)").
  virtual std::string Source() const = 0;
};

// Fixed credentials (tests, and sources that never change).
std::shared_ptr<CredentialsProvider> StaticCredentials(Credentials c);

struct CredentialOptions {
  std::string credentials_dir;  // --s3-credentials-dir
  std::string region;           // for the default STS endpoint
  std::string ca_bundle;        // trusted CAs for STS (AWS_CA_BUNDLE)
};

// Picks the first source that is configured (see above). Throws UsageError for a half-configured source (a key id
// without a secret, a missing file in the credentials directory) and PreconditionError when none is configured.
std::shared_ptr<CredentialsProvider> ResolveCredentials(const CredentialOptions& options, const Env& env);

// The pieces, for tests.
Credentials ReadCredentialsDir(const std::string& dir);
// nullopt when the file does not exist; UsageError when the profile is missing or incomplete.
std::optional<Credentials> ReadSharedCredentialsFile(const std::string& path, const std::string& profile);

}  // namespace capstan::s3
