#include "s3/client.h"

#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "digest/sha256.h"
#include "log/log.h"
#include "net/httplib.h"
#include "s3/encoding.h"
#include "s3/responses.h"
#include "s3/xml.h"
#include "util/error.h"
#include "util/strings.h"

namespace capstan::s3 {

namespace {

constexpr size_t kMaxErrorBody = 64 * 1024;

bool Retryable(int status) { return status == 500 || status == 502 || status == 503 || status == 504; }

std::string Md5Base64(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_md5(), nullptr) != 1) {
    throw Error("cannot compute an MD5 digest (OpenSSL refused)");
  }
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(md), len));
}

std::string DefaultPortSuffix(const Config& c) {
  bool default_port = (c.scheme == "https" && c.port == 443) || (c.scheme == "http" && c.port == 80);
  return default_port ? "" : ":" + std::to_string(c.port);
}

}  // namespace

std::string Client::Response::Header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) return v;
  }
  return "";
}

Client::Client(Config config, std::string bucket) : config_(std::move(config)), bucket_(std::move(bucket)) {
  if (config_.part_size < kMinPartSize) {
    throw UsageError("S3 part size " + std::to_string(config_.part_size) + " is below S3's minimum of 5 MiB");
  }
  if (!config_.credentials) throw UsageError("S3 client without credentials");
  if (config_.max_attempts < 1) config_.max_attempts = 1;
  // A bucket name with dots does not match the wildcard certificate of virtual-hosted TLS: such buckets are
  // addressed path-style, as the AWS SDKs do.
  if (bucket_.find('.') != std::string::npos && config_.scheme == "https") config_.path_style = true;
  std::string host = config_.path_style ? config_.host : bucket_ + "." + config_.host;
  host_header_ = host + DefaultPortSuffix(config_);
  rng_state_ = std::random_device{}();
}

Client::~Client() = default;

httplib::Client& Client::Http() {
  if (!http_) {
    std::string host = config_.path_style ? config_.host : bucket_ + "." + config_.host;
    http_ = std::make_unique<httplib::Client>(config_.scheme + "://" + host + ":" + std::to_string(config_.port));
    http_->set_url_encode(false);
    http_->enable_server_certificate_verification(true);
    if (!config_.ca_bundle.empty()) http_->set_ca_cert_path(config_.ca_bundle.c_str());
    http_->set_keep_alive(true);
    http_->set_connection_timeout(config_.connect_timeout_sec, 0);
    http_->set_read_timeout(config_.io_timeout_sec, 0);
    http_->set_write_timeout(config_.io_timeout_sec, 0);
  }
  return *http_;
}

std::string Client::Where(const std::string& key) const {
  return "s3://" + bucket_ + (key.empty() ? "" : "/" + key) + " at " + config_.endpoint;
}

Client::Response Client::Send(Request& r) {
  const std::string path_raw = config_.path_style ? "/" + bucket_ + (r.key.empty() ? "" : "/" + r.key) : "/" + r.key;
  std::mt19937_64 rng(rng_state_++);
  std::string last_problem;
  std::string creds_desc;
  for (int attempt = 1;; ++attempt) {
    if (r.prepare) r.prepare(r);
    Credentials creds = config_.credentials->Get();
    creds_desc = creds.Describe();

    SigningRequest sr;
    sr.method = r.method;
    sr.canonical_uri = EncodePath(path_raw);
    sr.query = r.query;
    sr.headers = r.headers;
    sr.headers.emplace_back("Host", host_header_);
    sr.payload_hash = r.payload_hash.empty() ? Sha256::Hex(r.body) : r.payload_hash;
    SigningParams sp;
    sp.access_key_id = creds.access_key_id;
    sp.secret_access_key = creds.secret_access_key;
    sp.session_token = creds.session_token;
    sp.region = config_.region;
    sp.time = std::time(nullptr);
    Sign(sr, sp);

    httplib::Request req;
    req.method = r.method;
    std::string query = QueryString(r.query);
    req.path = sr.canonical_uri + (query.empty() ? "" : "?" + query);
    for (const auto& [k, v] : sr.headers) req.headers.emplace(k, v);
    req.body = std::move(r.body);  // moved back after the attempt: a part is held once, not twice
    if (!r.body.empty() || r.method == "PUT" || r.method == "POST") {
      if (!req.has_header("Content-Type")) req.headers.emplace("Content-Type", "application/octet-stream");
    }

    int status = 0;
    bool accepted = false;
    std::string error_body;
    bool too_big = false;
    req.response_handler = [&](const httplib::Response& res) {
      status = res.status;
      accepted = std::find(r.accept.begin(), r.accept.end(), status) != r.accept.end();
      return true;
    };
    std::string body;
    req.content_receiver = [&](const char* data, size_t n, uint64_t, uint64_t) {
      if (accepted && r.sink) return r.sink(data, n);
      std::string& into = accepted ? body : error_body;
      if (into.size() + n > (accepted ? r.max_body : kMaxErrorBody)) {
        too_big = true;
        return false;
      }
      into.append(data, n);
      return true;
    };

    httplib::Response res;
    httplib::Error err = httplib::Error::Success;
    bool ok = Http().send(req, res, err);
    r.body = std::move(req.body);
    // httplib calls the response handler only for responses with a body (not for HEAD or 204).
    if (ok) accepted = std::find(r.accept.begin(), r.accept.end(), res.status) != r.accept.end();
    if (ok && accepted) {
      Response out;
      out.status = res.status;
      out.body = std::move(body);
      for (const auto& [k, v] : res.headers) out.headers.emplace_back(ToLower(k), v);
      return out;
    }
    if (too_big && accepted) {
      throw Error("S3 answered " + r.op + " of " + Where(r.key) + " with a body over " + std::to_string(r.max_body) +
                  " bytes: check that the endpoint is an S3 service");
    }
    if (ok && !Retryable(res.status)) {
      ThrowS3Error(*this, r.op, r.key, res.status, error_body, creds_desc);
    }
    if (!ok && (err == httplib::Error::SSLServerVerification || err == httplib::Error::SSLLoadingCerts)) {
      throw PreconditionError("TLS verification of S3 endpoint " + config_.endpoint + " failed (" +
                              httplib::to_string(err) + "): set AWS_CA_BUNDLE to the CA that signed its certificate" +
                              (config_.ca_bundle.empty() ? "" : " (now " + config_.ca_bundle + ")"));
    }
    if (ok) {
      auto eb = ParseErrorBody(error_body);
      last_problem = "HTTP " + std::to_string(res.status) + (eb ? " " + eb->code : "");
    } else {
      last_problem = "connection error: " + httplib::to_string(err);
      if (status != 0) last_problem += " after HTTP " + std::to_string(status);
    }
    if (attempt >= config_.max_attempts) break;
    auto nominal = config_.backoff_initial * (1LL << std::min(attempt - 1, 20));
    if (nominal > config_.backoff_max) nominal = config_.backoff_max;
    auto half = nominal / 2;
    std::uniform_int_distribution<long long> dist(half.count(), nominal.count());
    std::chrono::milliseconds delay(dist(rng));
    log::Warn("s3: retrying " + r.op, {{"key", r.key.empty() ? bucket_ : r.key},
                                        {"status", last_problem},
                                        {"attempt", attempt},
                                        {"delay_ms", static_cast<long long>(delay.count())}});
    std::this_thread::sleep_for(delay);
  }
  if (last_problem.rfind("HTTP ", 0) == 0) {
    throw PreconditionError("S3 " + r.op + " of " + Where(r.key) + " kept failing (" + last_problem + ") after " +
                            std::to_string(config_.max_attempts) +
                            " attempts: the service is unavailable or throttling; retry later");
  }
  throw PreconditionError("cannot reach S3 endpoint " + config_.endpoint + " for " + r.op + " of " + Where(r.key) +
                          " after " + std::to_string(config_.max_attempts) + " attempts (" + last_problem +
                          "): check the network, AWS_ENDPOINT_URL and AWS_CA_BUNDLE");
}

void ThrowS3Error(const Client& c, const std::string& op, const std::string& key, int status, const std::string& body,
                  const std::string& credentials) {
  auto eb = ParseErrorBody(body);
  std::string code = eb ? eb->code : "";
  std::string detail = "HTTP " + std::to_string(status) + (eb ? " " + eb->code + ": " + eb->message : "") +
                       (eb && !eb->request_id.empty() ? " (request id " + eb->request_id + ")" : "");
  if (code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch" || code == "AccessDenied" ||
      code == "ExpiredToken" || code == "InvalidToken" || code == "TokenRefreshRequired" ||
      (code.empty() && (status == 401 || status == 403))) {
    throw PreconditionError("S3 refused " + op + " of " + c.Where(key) + ": " + detail + "; credentials used: " +
                            credentials + ": check that they are current and allowed on bucket " + c.bucket() +
                            " (and AWS_REGION=" + c.config().region + ")");
  }
  if (code == "NoSuchBucket") {
    throw PreconditionError("S3 bucket " + c.bucket() + " does not exist at " + c.config().endpoint + " (" + op +
                            "): create it, or fix the bucket in s3://BUCKET/PREFIX or the endpoint (AWS_ENDPOINT_URL)");
  }
  if (code == "RequestTimeTooSkewed") {
    throw PreconditionError("S3 refused " + op + " of " + c.Where(key) + ": " + detail +
                            ": this machine's clock differs from S3's by more than 15 minutes: synchronise it (NTP)");
  }
  if (code.empty() && (status == 301 || status == 307)) {
    throw PreconditionError("S3 redirected " + op + " of " + c.Where(key) + " (HTTP " + std::to_string(status) +
                            "): the bucket lives in another region: set AWS_REGION to it");
  }
  if (code == "NoSuchKey") {
    throw Error("S3 object " + c.Where(key) + " does not exist (" + op +
                "): check the location and that the backup completed");
  }
  if (code == "PermanentRedirect" || code == "AuthorizationHeaderMalformed" || code == "IllegalLocationConstraintException") {
    throw PreconditionError("S3 " + op + " of " + c.Where(key) + ": " + detail +
                            ": the bucket lives in another region: set AWS_REGION to it");
  }
  throw Error("S3 " + op + " of " + c.Where(key) + " failed: " + detail);
}

void Client::CheckBucket() {
  Request r;
  r.op = "HEAD bucket";
  r.method = "HEAD";
  r.accept = {200, 404};
  if (Send(r).status == 404) {
    ThrowS3Error(*this, r.op, "", 404, "<Error><Code>NoSuchBucket</Code><Message>HEAD bucket: 404</Message></Error>",
                 "");
  }
}

std::optional<ObjectInfo> Client::Head(const std::string& key) {
  Request r;
  r.op = "HEAD object";
  r.method = "HEAD";
  r.key = key;
  r.accept = {200, 404};
  Response res = Send(r);
  if (res.status == 404) return std::nullopt;
  ObjectInfo info;
  info.key = key;
  std::string len = res.Header("content-length");
  try {
    info.size = std::stoull(len);
  } catch (const std::exception&) {
    throw Error("S3 answered HEAD of " + Where(key) + " without a valid Content-Length");
  }
  std::string etag = res.Header("etag");
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  info.etag = etag;
  std::string lm = res.Header("last-modified");
  if (!lm.empty()) {
    std::tm tm{};
    if (strptime(lm.c_str(), "%a, %d %b %Y %H:%M:%S", &tm)) info.last_modified_unix = timegm(&tm);
  }
  return info;
}

std::string Client::GetSmall(const std::string& key, size_t max_bytes) {
  Request r;
  r.op = "GET object";
  r.method = "GET";
  r.key = key;
  r.max_body = max_bytes;
  return Send(r).body;
}

void Client::Put(const std::string& key, std::string_view data) {
  Request r;
  r.op = "PUT object";
  r.method = "PUT";
  r.key = key;
  r.body = std::string(data);
  r.payload_hash = Sha256::Hex(data);
  r.headers.emplace_back("x-amz-checksum-sha256", Base64Encode(HexToBytes(r.payload_hash)));
  Send(r);
}

ListResult Client::List(const std::string& prefix, const std::string& delimiter) {
  ListResult all;
  std::string token;
  for (int page = 0;; ++page) {
    Request r;
    r.op = "LIST objects";
    r.method = "GET";
    r.query = {{"list-type", "2"}, {"max-keys", std::to_string(config_.list_max_keys)}};
    if (!prefix.empty()) r.query.emplace_back("prefix", prefix);
    if (!delimiter.empty()) r.query.emplace_back("delimiter", delimiter);
    if (!token.empty()) r.query.emplace_back("continuation-token", token);
    Response res = Send(r);
    ListPage p;
    try {
      p = ParseListBucketResult(res.body);
    } catch (const XmlError& e) {
      throw Error("S3 answered a listing of " + Where(prefix) + " with an unreadable body (" + e.what() +
                  "): check that the endpoint is an S3 service");
    }
    for (auto& o : p.result.objects) all.objects.push_back(std::move(o));
    for (auto& cp : p.result.common_prefixes) all.common_prefixes.push_back(std::move(cp));
    if (!p.truncated) break;
    if (p.next_continuation_token == token) throw Error("S3 listing of " + Where(prefix) + " does not advance");
    token = p.next_continuation_token;
  }
  return all;
}

void Client::Delete(const std::string& key) {
  Request r;
  r.op = "DELETE object";
  r.method = "DELETE";
  r.key = key;
  r.accept = {200, 204, 404};
  Send(r);
}

void Client::DeleteMany(const std::vector<std::string>& keys) {
  for (size_t start = 0; start < keys.size(); start += 1000) {
    size_t end = std::min(keys.size(), start + 1000);
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>";
    for (size_t i = start; i < end; ++i) xml += "<Object><Key>" + XmlEscape(keys[i]) + "</Key></Object>";
    xml += "</Delete>";
    Request r;
    r.op = "DELETE objects";
    r.method = "POST";
    r.query = {{"delete", ""}};
    r.headers = {{"Content-MD5", Md5Base64(xml)}, {"Content-Type", "application/xml"}};
    r.body = std::move(xml);
    Response res = Send(r);
    std::vector<std::pair<std::string, ErrorBody>> failed;
    try {
      failed = ParseDeleteResult(res.body);
    } catch (const XmlError& e) {
      throw Error("S3 answered DeleteObjects in " + Where("") + " with an unreadable body (" + e.what() + ")");
    }
    if (!failed.empty()) {
      std::vector<std::string> names;
      for (const auto& [k, e] : failed) names.push_back(k + " (" + e.code + ")");
      throw Error("S3 did not delete " + std::to_string(failed.size()) + " objects in " + Where("") + ": " +
                  JoinLimited(names, ", ") + ": check the credentials' s3:DeleteObject permission");
    }
  }
}

std::vector<UploadInfo> Client::ListUploads(const std::string& prefix) {
  std::vector<UploadInfo> all;
  std::string key_marker, id_marker;
  for (;;) {
    Request r;
    r.op = "LIST multipart uploads";
    r.method = "GET";
    r.query = {{"uploads", ""}};
    if (!prefix.empty()) r.query.emplace_back("prefix", prefix);
    if (!key_marker.empty()) r.query.emplace_back("key-marker", key_marker);
    if (!id_marker.empty()) r.query.emplace_back("upload-id-marker", id_marker);
    Response res = Send(r);
    UploadsPage p;
    try {
      p = ParseListMultipartUploadsResult(res.body);
    } catch (const XmlError& e) {
      throw Error("S3 answered a multipart upload listing of " + Where(prefix) + " with an unreadable body (" +
                  e.what() + ")");
    }
    for (auto& u : p.uploads) all.push_back(std::move(u));
    if (!p.truncated) break;
    if (p.next_key_marker == key_marker && p.next_upload_id_marker == id_marker) break;
    key_marker = p.next_key_marker;
    id_marker = p.next_upload_id_marker;
  }
  return all;
}

void Client::AbortUpload(const std::string& key, const std::string& upload_id) {
  Request r;
  r.op = "ABORT multipart upload";
  r.method = "DELETE";
  r.key = key;
  r.query = {{"uploadId", upload_id}};
  r.accept = {200, 204, 404};
  Send(r);
}

}  // namespace capstan::s3
