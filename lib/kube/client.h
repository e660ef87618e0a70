// A thin Kubernetes API client over cpp-httplib and OpenSSL: GET, LIST (label selector, paged with continue),
// CREATE, UPDATE (PUT with resourceVersion), PATCH (merge / strategic merge) and DELETE (with DeleteOptions, e.g.
// preconditions) of the kinds in resources.h, and streaming GETs for watches (watch.h).
// TLS is always verified (no insecure option). The bearer token is re-read from its file before every request, and
// a 401 is retried once with the re-read token. 429 (honouring Retry-After), 5xx and connection errors are retried
// with jittered exponential backoff, a bounded number of times. Errors name the URL and say what to do; a 403
// names the missing RBAC verb, resource and API group. Tokens are never logged.
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <openssl/types.h>

#include "kube/config.h"
#include "kube/json.h"
#include "kube/resources.h"
#include "util/error.h"

namespace capstan::kube {

// An HTTP error answer of the API server (after retries). status() is the HTTP code, reason() the Status reason
// ("NotFound", "Conflict", "AlreadyExists", "Forbidden", ...).
class ApiError : public Error {
 public:
  ApiError(const std::string& message, int status, std::string reason, int exit_code)
      : Error(message, exit_code), status_(status), reason_(std::move(reason)) {}
  int status() const { return status_; }
  const std::string& reason() const { return reason_; }

 private:
  int status_;
  std::string reason_;
};

// The fields of a metav1.Status answer. message is server text: credentials are redacted (RedactSecrets, and the
// client's own bearer token wherever it appears) and it is cut at 1000 bytes.
struct Status {
  bool ok = false;  // the body was a Status object
  std::string status, message, reason, details_name, details_kind, details_group;
  int code = 0;
};
Status ParseStatus(std::string_view body);
// Text that came from a server, made safe for a message: credentials redacted, at most ~1000 bytes.
std::string ServerText(std::string_view text);

struct ClientOptions {
  int max_attempts = 5;                                  // per request, including the first
  std::chrono::milliseconds backoff_base{250};           // doubled per attempt, +-50% jitter
  std::chrono::milliseconds backoff_max{8000};
  std::chrono::milliseconds retry_after_max{30000};      // cap on a server's Retry-After
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds read_timeout{30000};
  std::string hook;  // for 403 messages: "the <hook> hook's service account"
};

enum class PatchType { kMerge, kStrategicMerge, kJson };

struct RawResponse {
  int status = 0;
  std::string body;
};

// Cancels a streaming request from another thread: Cancel() shuts the connection down at once (a watch blocked on
// a quiet connection returns), and every later Stream() with this handle returns without connecting.
class StreamCancel {
 public:
  void Cancel();
  bool cancelled() const;

 private:
  friend class Client;
  mutable std::mutex mu_;
  bool cancelled_ = false;
  std::function<void()> stop_current_;
};

// Receives the body of a streaming request as it arrives; return false to end the stream.
using StreamReceiver = std::function<bool(std::string_view chunk)>;

class Client {
 public:
  explicit Client(Config config, ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const Config& config() const { return config_; }
  const std::string& default_namespace() const { return config_.namespace_name; }

  JsonDoc Get(const Kind& kind, const std::string& ns, const std::string& name);
  // nullopt on 404.
  std::optional<JsonDoc> GetIfExists(const Kind& kind, const std::string& ns, const std::string& name);
  // All pages, merged: the result is the last page's List object with every item under "items".
  JsonDoc List(const Kind& kind, const std::string& ns, const std::string& label_selector = "", int page_size = 500,
               const std::string& field_selector = "");
  JsonDoc Create(const Kind& kind, const std::string& ns, const Json& object);
  JsonDoc Update(const Kind& kind, const std::string& ns, const std::string& name, const Json& object);
  JsonDoc Patch(const Kind& kind, const std::string& ns, const std::string& name, const std::string& patch,
                PatchType type = PatchType::kMerge);

  // DELETE with a DeleteOptions body (e.g. {"preconditions":{"uid":"..."}}; empty: none). 404 is an ApiError.
  JsonDoc Delete(const Kind& kind, const std::string& ns, const std::string& name, const std::string& options = "");

  // One request with retries; throws ApiError for an HTTP error and PreconditionError when unreachable.
  RawResponse Request(const std::string& method, const std::string& path_and_query, const std::string& body = "",
                      const std::string& content_type = "application/json");
  // A streaming GET (a watch): the 2xx body goes to receiver as it arrives; 429/5xx/connection errors before the
  // answer are retried as Request does; an HTTP error answer throws ApiError. Returns normally when the server ends
  // the stream, the connection drops after the answer began (returns false then), the receiver returns false, or
  // cancel was cancelled. read_timeout bounds the quiet time between two chunks.
  bool Stream(const std::string& path_and_query, const StreamReceiver& receiver, StreamCancel* cancel,
              std::chrono::milliseconds read_timeout);

 private:
  std::string Token() const;
  struct StreamSpec;
  RawResponse Exchange(const std::string& method, const std::string& path, const std::string& body,
                       const std::string& content_type, StreamSpec* stream);
  [[noreturn]] void ThrowHttpError(const std::string& method, const std::string& path, int status,
                                   const std::string& body) const;

  Config config_;
  ClientOptions options_;
  std::string ca_temp_file_;  // certificate-authority-data written to a private file for OpenSSL
  X509* client_cert_ = nullptr;
  EVP_PKEY* client_key_ = nullptr;
};

}  // namespace capstan::kube
