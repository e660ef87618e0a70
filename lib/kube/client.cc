#include "kube/client.h"

#include <unistd.h>

#include <cstdlib>
#include <random>
#include <thread>

#include "net/httplib.h"
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "kube/rbac.h"
#include "log/log.h"
#include "util/file_io.h"
#include "util/redact.h"
#include "util/strings.h"

namespace capstan::kube {
namespace {

std::chrono::milliseconds Backoff(const ClientOptions& o, int attempt) {
  static thread_local std::mt19937 rng{std::random_device{}()};
  long long base = o.backoff_base.count();
  for (int i = 0; i < attempt && base < o.backoff_max.count(); ++i) base *= 2;
  base = std::min<long long>(base, o.backoff_max.count());
  std::uniform_real_distribution<double> jitter(0.5, 1.5);
  return std::chrono::milliseconds(static_cast<long long>(static_cast<double>(base) * jitter(rng)));
}

bool Retryable(int status) { return status == 429 || status == 500 || status == 502 || status == 503 || status == 504; }

std::string ExtractUser(const std::string& message) {
  // 'pods is forbidden: User "system:serviceaccount:ns:sa" cannot list ...'
  size_t p = message.find("User \"");
  if (p == std::string::npos) return "";
  size_t e = message.find('"', p + 6);
  return e == std::string::npos ? "" : message.substr(p + 6, e - p - 6);
}

}  // namespace

std::string ServerText(std::string_view text) {
  // A server or proxy may echo the request (Authorization header included): hide credentials, and keep the text
  // short enough for one log line.
  constexpr size_t kMax = 1000;
  std::string out = RedactSecrets(text.substr(0, kMax));
  if (text.size() > kMax) out += "... (" + std::to_string(text.size() - kMax) + " more bytes)";
  return out;
}

Status ParseStatus(std::string_view body) {
  Status s;
  JsonDoc d;
  d.Parse(body.data(), body.size());
  if (d.HasParseError() || !d.IsObject() || GetString(d, {"kind"}) != "Status") return s;
  s.ok = true;
  s.status = GetString(d, {"status"});
  s.message = ServerText(GetString(d, {"message"}));
  s.reason = GetString(d, {"reason"});
  s.code = static_cast<int>(GetIntOr(d, {"code"}, 0));
  s.details_name = GetString(d, {"details", "name"});
  s.details_kind = GetString(d, {"details", "kind"});
  s.details_group = GetString(d, {"details", "group"});
  return s;
}

Client::Client(Config config, ClientOptions options) : config_(std::move(config)), options_(std::move(options)) {
  if (!config_.ca_pem.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/capstan-ca-XXXXXX";
    int fd = mkstemp(tmpl.data());
    if (fd < 0) throw PreconditionError("cannot create a temporary file for the cluster CA in " + tmpl);
    try {
      WriteAll(fd, config_.ca_pem);
    } catch (...) {
      close(fd);
      unlink(tmpl.c_str());
      throw;
    }
    close(fd);
    ca_temp_file_ = tmpl;
  }
  if (!config_.client_cert_pem.empty()) {
    BIO* cb = BIO_new_mem_buf(config_.client_cert_pem.data(), static_cast<int>(config_.client_cert_pem.size()));
    client_cert_ = PEM_read_bio_X509(cb, nullptr, nullptr, nullptr);
    BIO_free(cb);
    BIO* kb = BIO_new_mem_buf(config_.client_key_pem.data(), static_cast<int>(config_.client_key_pem.size()));
    client_key_ = PEM_read_bio_PrivateKey(kb, nullptr, nullptr, nullptr);
    BIO_free(kb);
    if (client_cert_ == nullptr || client_key_ == nullptr) {
      X509_free(client_cert_);
      EVP_PKEY_free(client_key_);
      client_cert_ = nullptr;
      client_key_ = nullptr;
      if (!ca_temp_file_.empty()) unlink(ca_temp_file_.c_str());
      throw UsageError(config_.source + ": the client certificate or key is not PEM (or the key is encrypted)");
    }
  }
}

Client::~Client() {
  if (!ca_temp_file_.empty()) unlink(ca_temp_file_.c_str());
  X509_free(client_cert_);
  EVP_PKEY_free(client_key_);
}

std::string Client::Token() const {
  if (!config_.token_file.empty()) {
    // Re-read every time: kubelet rotates projected service-account tokens in place.
    try {
      std::string token(Trim(ReadFile(config_.token_file)));
      RegisterSecret(token);  // never printed, even when a server echoes it back
      return token;
    } catch (const Error&) {
      throw PreconditionError("cannot read the bearer token file " + config_.token_file +
                              " (projected service-account token missing?)");
    }
  }
  RegisterSecret(config_.token);
  return config_.token;
}

void StreamCancel::Cancel() {
  // Under the lock: the streaming thread clears stop_current_ under it before its connection is destroyed, so the
  // connection stopped here is alive (httplib's stop() is safe while another thread is in send()).
  std::lock_guard<std::mutex> g(mu_);
  cancelled_ = true;
  if (stop_current_) stop_current_();
}

bool StreamCancel::cancelled() const {
  std::lock_guard<std::mutex> g(mu_);
  return cancelled_;
}

struct Client::StreamSpec {
  const StreamReceiver* receiver = nullptr;
  StreamCancel* cancel = nullptr;
  std::chrono::milliseconds read_timeout{0};
  bool ended_cleanly = false;
};

RawResponse Client::Request(const std::string& method, const std::string& path, const std::string& body,
                            const std::string& content_type) {
  return Exchange(method, path, body, content_type, nullptr);
}

bool Client::Stream(const std::string& path, const StreamReceiver& receiver, StreamCancel* cancel,
                    std::chrono::milliseconds read_timeout) {
  StreamSpec spec;
  spec.receiver = &receiver;
  spec.cancel = cancel;
  spec.read_timeout = read_timeout;
  Exchange("GET", path, "", "application/json", &spec);
  return spec.ended_cleanly;
}

RawResponse Client::Exchange(const std::string& method, const std::string& path, const std::string& body,
                             const std::string& content_type, StreamSpec* stream) {
  const std::string url = config_.BaseUrl() + path;
  bool reauthenticated = false;
  std::string last_problem;
  for (int attempt = 0; attempt < options_.max_attempts; ++attempt) {
    if (stream != nullptr && stream->cancel != nullptr && stream->cancel->cancelled()) return {0, ""};
    httplib::SSLClient cli(config_.host, config_.port, client_cert_, client_key_);
    cli.enable_server_certificate_verification(true);
    if (!ca_temp_file_.empty())
      cli.set_ca_cert_path(ca_temp_file_);
    else if (!config_.ca_file.empty())
      cli.set_ca_cert_path(config_.ca_file);
    auto sec = [](std::chrono::milliseconds ms) { return std::pair<time_t, time_t>(ms.count() / 1000, (ms.count() % 1000) * 1000); };
    auto [cs, cu] = sec(options_.connect_timeout);
    auto [rs, ru] = sec(stream != nullptr ? stream->read_timeout : options_.read_timeout);
    cli.set_connection_timeout(cs, cu);
    cli.set_read_timeout(rs, ru);
    cli.set_write_timeout(rs, ru);
    cli.set_keep_alive(false);
    httplib::Headers headers = {{"Accept", "application/json"}, {"User-Agent", "capstan"}};
    std::string token = Token();
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    httplib::Request req;
    req.method = method;
    req.path = path;
    req.headers = headers;
    if (method == "POST" || method == "PUT" || method == "PATCH" || (method == "DELETE" && !body.empty())) {
      req.body = body;
      req.set_header("Content-Type", content_type);
    }
    // A stream delivers a 2xx body to its receiver as it arrives; any other answer is collected for the error.
    int stream_status = 0;
    std::string error_body;
    if (stream != nullptr) {
      req.response_handler = [&](const httplib::Response& r) {
        stream_status = r.status;
        return true;
      };
      req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
        if (stream_status < 200 || stream_status >= 300) {
          if (error_body.size() < 65536) error_body.append(data, n);
          return true;
        }
        return (*stream->receiver)(std::string_view(data, n));
      };
      if (stream->cancel != nullptr) {
        std::lock_guard<std::mutex> g(stream->cancel->mu_);
        if (stream->cancel->cancelled_) return {0, ""};
        stream->cancel->stop_current_ = [&cli] { cli.stop(); };
      }
    }
    httplib::Response res;
    httplib::Error err = httplib::Error::Success;
    bool sent = cli.send(req, res, err);
    if (stream != nullptr) {
      if (stream->cancel != nullptr) {
        std::lock_guard<std::mutex> g(stream->cancel->mu_);
        stream->cancel->stop_current_ = nullptr;
        if (stream->cancel->cancelled_) return {0, ""};
      }
      if (stream_status >= 200 && stream_status < 300) {
        // The watch answered: whatever ended it (server, drop, receiver), the caller resumes or stops.
        stream->ended_cleanly = sent;
        return {stream_status, ""};
      }
      if (!error_body.empty()) res.body = error_body;
      if (stream_status != 0) {
        res.status = stream_status;
        sent = true;
      }
    }
    if (!sent) {
      if (err == httplib::Error::SSLServerVerification) {
        long vr = cli.get_openssl_verify_result();
        std::string why = vr != X509_V_OK ? X509_verify_cert_error_string(vr)
                                          : "the certificate does not name host " + config_.host;
        throw PreconditionError("TLS: the API server certificate at " + url + " does not verify (" + why +
                                "); check the CA in " + config_.source + " (verification cannot be disabled)");
      }
      if (err == httplib::Error::SSLLoadingCerts)
        throw PreconditionError("TLS: cannot load the CA certificates for " + url + " from " + config_.source);
      last_problem = std::string("connection error: ") + httplib::to_string(err);
      log::Debug("kubernetes API request failed, will retry",
                 {{"url", url}, {"method", method}, {"error", last_problem}, {"attempt", attempt + 1}});
      if (attempt + 1 < options_.max_attempts) std::this_thread::sleep_for(Backoff(options_, attempt));
      continue;
    }
    if (res.status == 401 && !reauthenticated && !config_.token_file.empty()) {
      // The token may have rotated between our read and the server's check: re-read once and try again.
      reauthenticated = true;
      --attempt;
      log::Info("kubernetes API rejected the token; re-reading the token file and retrying once",
                {{"url", url}, {"token_file", config_.token_file}});
      continue;
    }
    if (Retryable(res.status)) {
      last_problem = "HTTP " + std::to_string(res.status);
      Status st = ParseStatus(res.body);
      if (!st.message.empty()) last_problem += ": " + st.message;
      std::chrono::milliseconds wait = Backoff(options_, attempt);
      if (res.status == 429 || res.status == 503) {
        std::string ra = res.get_header_value("Retry-After");
        if (!ra.empty() && ra.find_first_not_of("0123456789") == std::string::npos && ra.size() < 7)
          wait = std::min(std::chrono::milliseconds(std::stoll(ra) * 1000), options_.retry_after_max);
      }
      log::Debug("kubernetes API answered with a retryable status",
                 {{"url", url}, {"method", method}, {"status", res.status}, {"attempt", attempt + 1},
                  {"wait_ms", static_cast<long long>(wait.count())}});
      if (attempt + 1 < options_.max_attempts) std::this_thread::sleep_for(wait);
      continue;
    }
    if (res.status >= 200 && res.status < 300) return {res.status, std::move(res.body)};
    ThrowHttpError(method, path, res.status, res.body);
  }
  throw PreconditionError("kubernetes API " + method + " " + url + " failed after " +
                          std::to_string(options_.max_attempts) + " attempts (last: " + last_problem +
                          "); check that the API server is reachable from here");
}

void Client::ThrowHttpError(const std::string& method, const std::string& path, int status,
                            const std::string& body) const {
  const std::string url = config_.BaseUrl() + path;
  Status st = ParseStatus(body);
  PathTarget t = ParseResourcePath(path);
  size_t q = path.find('?');
  std::string verb = RbacVerb(method, t, q == std::string::npos ? "" : path.substr(q));
  std::string what = t.resource + (t.name.empty() ? "" : " " + Quote(t.name)) +
                     (t.ns.empty() ? "" : " in namespace " + Quote(t.ns));
  std::string server = st.message.empty() ? "" : " (server: " + st.message + ")";
  std::string reason = st.reason;
  switch (status) {
    case 401:
      throw ApiError("kubernetes API " + url + ": token rejected (401 Unauthorized): expired or rotated, or not "
                     "valid for this cluster; " + (config_.token_file.empty() ? "get a new token for " + config_.source
                                                   : "re-read " + config_.token_file + " did not help"),
                     401, reason.empty() ? "Unauthorized" : reason, kExitPrecondition);
    case 403: {
      std::string who = ExtractUser(st.message);
      std::string subject = !options_.hook.empty() ? "the " + options_.hook + " hook's service account"
                            : !who.empty()         ? Quote(who)
                                                   : "the caller";
      throw ApiError("forbidden: " + subject + " cannot " + Quote(verb) + " " + Quote(t.resource) +
                         (t.group.empty() ? "" : " (API group " + Quote(t.group) + ")") +
                         (t.ns.empty() ? "" : " in namespace " + Quote(t.ns)) + ": add a Role rule " +
                         RuleSnippet(t.group, t.resource, verb) + " (see capstan rbac)" + server,
                     403, reason.empty() ? "Forbidden" : reason, kExitPrecondition);
    }
    case 404:
      throw ApiError("not found: " + what + " (" + method + " " + url + ")" + server, 404,
                     reason.empty() ? "NotFound" : reason, kExitFailed);
    case 409:
      throw ApiError("conflict on " + what + ": " +
                         (reason == "AlreadyExists" ? std::string("it already exists")
                                                    : std::string("it was changed by someone else (resourceVersion)")) +
                         server,
                     409, reason.empty() ? "Conflict" : reason, kExitFailed);
    default:
      throw ApiError("kubernetes API " + method + " " + url + " answered HTTP " + std::to_string(status) + server, status,
                     reason, status == 422 || status == 400 ? kExitFailed : kExitPrecondition);
  }
}

JsonDoc Client::Get(const Kind& kind, const std::string& ns, const std::string& name) {
  std::string path = ResourcePath(kind, ns, name);
  return ParseJson(Request("GET", path).body, config_.BaseUrl() + path);
}

std::optional<JsonDoc> Client::GetIfExists(const Kind& kind, const std::string& ns, const std::string& name) {
  try {
    return Get(kind, ns, name);
  } catch (const ApiError& e) {
    if (e.status() == 404) return std::nullopt;
    throw;
  }
}

JsonDoc Client::List(const Kind& kind, const std::string& ns, const std::string& selector, int page_size,
                     const std::string& field_selector) {
  JsonDoc result;
  rapidjson::Value items(rapidjson::kArrayType);
  std::string cont;
  for (int page = 0; page < 10000; ++page) {
    std::string path = ResourcePath(kind, ns) + "?limit=" + std::to_string(page_size);
    if (!selector.empty()) path += "&labelSelector=" + UrlEncode(selector);
    if (!field_selector.empty()) path += "&fieldSelector=" + UrlEncode(field_selector);
    if (!cont.empty()) path += "&continue=" + UrlEncode(cont);
    JsonDoc d = ParseJson(Request("GET", path).body, config_.BaseUrl() + path);
    if (!d.IsObject()) throw Error(config_.BaseUrl() + path + ": the answer is not a List object");
    if (Json* arr = d.HasMember("items") ? &d["items"] : nullptr; arr != nullptr && arr->IsArray())
      for (auto& it : arr->GetArray()) items.PushBack(rapidjson::Value(it, result.GetAllocator()), result.GetAllocator());
    cont = GetString(d, {"metadata", "continue"});
    if (cont.empty()) {
      result.CopyFrom(d, result.GetAllocator());
      result.RemoveMember("items");
      result.AddMember("items", items, result.GetAllocator());
      return result;
    }
  }
  throw Error("listing " + kind.resource + " in " + ns + ": more than 10000 pages, giving up");
}

JsonDoc Client::Create(const Kind& kind, const std::string& ns, const Json& object) {
  std::string path = ResourcePath(kind, ns);
  return ParseJson(Request("POST", path, ToJson(object)).body, config_.BaseUrl() + path);
}

JsonDoc Client::Update(const Kind& kind, const std::string& ns, const std::string& name, const Json& object) {
  std::string path = ResourcePath(kind, ns, name);
  return ParseJson(Request("PUT", path, ToJson(object)).body, config_.BaseUrl() + path);
}

JsonDoc Client::Delete(const Kind& kind, const std::string& ns, const std::string& name, const std::string& options) {
  std::string path = ResourcePath(kind, ns, name);
  return ParseJson(Request("DELETE", path, options).body, config_.BaseUrl() + path);
}

JsonDoc Client::Patch(const Kind& kind, const std::string& ns, const std::string& name, const std::string& patch,
                      PatchType type) {
  std::string path = ResourcePath(kind, ns, name);
  const char* ct = type == PatchType::kMerge            ? "application/merge-patch+json"
                   : type == PatchType::kStrategicMerge ? "application/strategic-merge-patch+json"
                                                        : "application/json-patch+json";
  return ParseJson(Request("PATCH", path, patch, ct).body, config_.BaseUrl() + path);
}

}  // namespace capstan::kube
