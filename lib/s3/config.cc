#include "s3/config.h"

#include "log/log.h"
#include "util/error.h"
#include "util/strings.h"

namespace capstan::s3 {

namespace {

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || StartsWith(host, "127.");
}

}  // namespace

std::string Config::Describe() const {
  return endpoint + " (region " + region + ", " + (path_style ? "path-style" : "virtual-hosted") + ")";
}

void SetEndpoint(Config& c, const std::string& raw) {
  std::string url = raw;
  while (!url.empty() && url.back() == '/') url.pop_back();
  size_t sep = url.find("://");
  if (sep == std::string::npos) {
    throw UsageError("S3 endpoint " + Quote(raw) + " has no scheme: write https://HOST[:PORT] (AWS_ENDPOINT_URL)");
  }
  std::string scheme = ToLower(url.substr(0, sep));
  std::string rest = url.substr(sep + 3);
  if (scheme != "https" && scheme != "http") {
    throw UsageError("S3 endpoint " + Quote(raw) + ": the scheme is neither https nor http: write https://HOST[:PORT]");
  }
  if (rest.find('/') != std::string::npos || rest.find('?') != std::string::npos || rest.find('@') != std::string::npos) {
    throw UsageError("S3 endpoint " + Quote(raw) + " has a path, query or user: write only https://HOST[:PORT]");
  }
  std::string host = rest;
  int port = scheme == "https" ? 443 : 80;
  size_t colon = rest.rfind(':');
  size_t bracket = rest.rfind(']');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
    host = rest.substr(0, colon);
    std::string p = rest.substr(colon + 1);
    port = 0;
    for (char ch : p) {
      if (ch < '0' || ch > '9' || port > 65535) {
        port = -1;
        break;
      }
      port = port * 10 + (ch - '0');
    }
    if (p.empty() || port <= 0 || port > 65535) {
      throw UsageError("S3 endpoint " + Quote(raw) + " has a bad port: write https://HOST[:PORT] with PORT 1-65535");
    }
  }
  if (host.empty()) throw UsageError("S3 endpoint " + Quote(raw) + " names no host: write https://HOST[:PORT]");
  if (scheme == "http") {
    if (!IsLoopback(host)) {
      throw UsageError("S3 endpoint " + Quote(raw) +
                       " is plain HTTP on a non-loopback host: credentials and data would travel unencrypted; use "
                       "https:// (with AWS_CA_BUNDLE for a private CA)");
    }
    log::Warn("S3 endpoint is plain HTTP (accepted on loopback only)", {{"endpoint", url}});
  }
  c.endpoint = url;
  c.scheme = scheme;
  c.host = host;
  c.port = port;
}

Config FromEnvironment(const ConfigOptions& options, const Env& env) {
  Config c;
  c.region = env("AWS_REGION").value_or(env("AWS_DEFAULT_REGION").value_or("us-east-1"));
  auto endpoint = env("AWS_ENDPOINT_URL_S3");
  if (!endpoint) endpoint = env("AWS_ENDPOINT_URL");
  if (endpoint) {
    SetEndpoint(c, *endpoint);
    c.path_style = true;
  } else {
    SetEndpoint(c, "https://s3." + c.region + ".amazonaws.com");
  }
  if (auto force = env("AWS_S3_FORCE_PATH_STYLE")) {
    std::string v = ToLower(*force);
    if (v == "true" || v == "1") c.path_style = true;
    else if (v != "false" && v != "0") {
      throw UsageError("AWS_S3_FORCE_PATH_STYLE=" + Quote(*force) + " is neither true nor false: set one of them");
    }
  }
  c.ca_bundle = env("AWS_CA_BUNDLE").value_or("");
  if (options.resolve_credentials) {
    c.credentials = ResolveCredentials(CredentialOptions{options.credentials_dir, c.region, c.ca_bundle}, env);
  }
  return c;
}

}  // namespace capstan::s3
