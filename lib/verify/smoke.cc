#include "verify/smoke.h"

#include <cstdlib>

#include "net/bounded_http.h"

#include "kube/config.h"
#include "util/error.h"
#include "util/redact.h"
#include "util/strings.h"

namespace capstan::verify {
namespace {

const char* kForm = "expected URL[|status=N][|body=TEXT][|count=N], e.g. http://portal:8080/healthz|status=200|count=10";

int PositiveInt(const std::string& text, const std::string& spec, int max) {
  char* end = nullptr;
  long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < 1 || v > max)
    throw UsageError("smoke check " + Quote(spec) + ": " + Quote(text) + " is not a number from 1 to " +
                     std::to_string(max) + " (" + kForm + ")");
  return static_cast<int>(v);
}

struct Url {
  bool tls = false;
  std::string host;
  int port = 80;
  std::string path = "/";
};

Url ParseUrl(const std::string& url, const std::string& spec) {
  Url u;
  std::string rest;
  if (StartsWith(url, "http://")) {
    rest = url.substr(7);
  } else if (StartsWith(url, "https://")) {
    u.tls = true;
    u.port = 443;
    rest = url.substr(8);
  } else {
    throw UsageError("smoke check " + Quote(spec) + ": the URL must start with http:// or https:// (" + kForm + ")");
  }
  size_t slash = rest.find('/');
  std::string hostport = rest.substr(0, slash);
  if (slash != std::string::npos) u.path = rest.substr(slash);
  size_t colon = hostport.rfind(':');
  if (colon != std::string::npos && hostport.find(']') == std::string::npos) {
    u.port = PositiveInt(hostport.substr(colon + 1), spec, 65535);
    hostport = hostport.substr(0, colon);
  }
  u.host = hostport;
  if (u.host.empty()) throw UsageError("smoke check " + Quote(spec) + ": the URL has no host");
  return u;
}

std::string Excerpt(const std::string& body) {
  std::string s(Trim(body));
  if (s.size() > 120) s = s.substr(0, 120) + "...";
  return Quote(RedactSecrets(s));  // the body came from the server: it may echo a credential
}

}  // namespace

SmokeCheck ParseSmokeCheck(const std::string& spec) {
  auto parts = Split(spec, '|');
  SmokeCheck c;
  c.url = std::string(Trim(parts[0]));
  if (c.url.empty()) throw UsageError("smoke check " + Quote(spec) + ": no URL (" + kForm + ")");
  ParseUrl(c.url, spec);
  for (size_t i = 1; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    size_t eq = p.find('=');
    std::string key = eq == std::string::npos ? p : p.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : p.substr(eq + 1);
    if (key == "status")
      c.status = PositiveInt(value, spec, 599);
    else if (key == "body")
      c.body = value;
    else if (key == "count")
      c.count = PositiveInt(value, spec, 10000);
    else
      throw UsageError("smoke check " + Quote(spec) + ": unknown option " + Quote(key) + " (" + kForm + ")");
  }
  return c;
}

SmokeResult RunSmokeCheck(const SmokeCheck& check, const SmokeOptions& options) {
  SmokeResult r;
  r.check = check;
  Url u = ParseUrl(check.url, check.url);
  time_t sec = options.timeout.count() / 1000;
  time_t usec = (options.timeout.count() % 1000) * 1000;
  for (int i = 1; i <= check.count; ++i) {
    std::string prefix = "request " + std::to_string(i) + "/" + std::to_string(check.count) + ": ";
    httplib::Result res{nullptr, httplib::Error::Unknown};
    long verify_result = 0;
    std::string limit_error;
    // The whole request is bounded by the per-request timeout, and its size (net/bounded_http.h).
    net::ExchangeLimits limits;
    limits.deadline = std::chrono::steady_clock::now() + options.timeout;
    if (u.tls) {
      net::BoundedSslClient cli(u.host, u.port);
      cli.enable_server_certificate_verification(true);
      if (!options.ca_file.empty()) cli.set_ca_cert_path(options.ca_file);
      cli.set_connection_timeout(sec, usec);
      cli.set_read_timeout(sec, usec);
      cli.set_keep_alive(false);
      cli.set_limits(limits);
      res = cli.Get(u.path);
      verify_result = cli.get_openssl_verify_result();
      limit_error = cli.limit_error();
    } else {
      net::BoundedClient cli(u.host, u.port);
      cli.set_connection_timeout(sec, usec);
      cli.set_read_timeout(sec, usec);
      cli.set_keep_alive(false);
      cli.set_limits(limits);
      res = cli.Get(u.path);
      limit_error = cli.limit_error();
    }
    if (!res) {
      std::string why = limit_error.empty() ? httplib::to_string(res.error()) : limit_error;
      if (res.error() == httplib::Error::SSLServerVerification && verify_result != 0)
        why += std::string(" (") + X509_verify_cert_error_string(verify_result) + ")";
      r.failures.push_back(prefix + "no answer: " + why);
      continue;
    }
    if (res->status != check.status) {
      r.failures.push_back(prefix + "HTTP " + std::to_string(res->status) + " (expected " +
                           std::to_string(check.status) + "), body " + Excerpt(res->body));
      continue;
    }
    if (!check.body.empty() && res->body.find(check.body) == std::string::npos) {
      r.failures.push_back(prefix + "HTTP " + std::to_string(res->status) + " but the body lacks " +
                           Quote(check.body) + ": " + Excerpt(res->body));
      continue;
    }
    ++r.passed;
  }
  return r;
}

}  // namespace capstan::verify
