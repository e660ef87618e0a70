#include "kube/config.h"

#include <cstdlib>

#include "util/base64.h"
#include "kube/yaml_json.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace capstan::kube {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

std::string Resolve(const std::string& base_dir, const std::string& path) {
  if (path.empty() || path[0] == '/' || base_dir.empty()) return path;
  return base_dir + "/" + path;
}

const Json* FindNamed(const Json& root, const char* list, const std::string& name) {
  const Json* arr = Find(root, {list});
  if (arr == nullptr || !arr->IsArray()) return nullptr;
  for (const auto& item : arr->GetArray())
    if (item.IsObject() && GetString(item, {"name"}) == name) return &item;
  return nullptr;
}

std::string DecodeData(const std::string& b64, const std::string& origin, const std::string& field) {
  auto decoded = capstan::Base64Decode(b64);
  if (!decoded) throw UsageError(origin + ": " + field + " is not valid base64 (re-export the kubeconfig)");
  return *decoded;
}

}  // namespace

void ParseServerUrl(const std::string& url, const std::string& origin, std::string& host, int& port) {
  if (StartsWith(url, "http://"))
    throw UsageError(origin + ": server " + Quote(url) +
                     " uses plain http; Capstan talks to the Kubernetes API over verified TLS only (use https://)");
  if (!StartsWith(url, "https://"))
    throw UsageError(origin + ": server " + Quote(url) + " is not an https:// URL");
  std::string rest = url.substr(8);
  size_t slash = rest.find('/');
  if (slash != std::string::npos) {
    if (Trim(rest.substr(slash)) != "/" && !rest.substr(slash).empty())
      throw UsageError(origin + ": server " + Quote(url) + " has a path; API servers behind a path prefix are not supported");
    rest = rest.substr(0, slash);
  }
  port = 443;
  std::string port_text;
  if (!rest.empty() && rest[0] == '[') {
    size_t close = rest.find(']');
    if (close == std::string::npos) throw UsageError(origin + ": server " + Quote(url) + " has an unclosed IPv6 bracket");
    host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') throw UsageError(origin + ": server " + Quote(url) + " is not host:port");
      port_text = rest.substr(close + 2);
    }
  } else {
    size_t colon = rest.rfind(':');
    host = rest.substr(0, colon);
    if (colon != std::string::npos) port_text = rest.substr(colon + 1);
  }
  if (!port_text.empty()) {
    char* end = nullptr;
    long p = std::strtol(port_text.c_str(), &end, 10);
    if (*end != '\0' || p <= 0 || p > 65535)
      throw UsageError(origin + ": server " + Quote(url) + " has an invalid port");
    port = static_cast<int>(p);
  }
  if (host.empty()) throw UsageError(origin + ": server " + Quote(url) + " has no host");
}

Config LoadInCluster(const std::string& dir) {
  Config c;
  c.host = Env("KUBERNETES_SERVICE_HOST");
  std::string port = Env("KUBERNETES_SERVICE_PORT");
  if (c.host.empty())
    throw PreconditionError("in-cluster configuration: KUBERNETES_SERVICE_HOST is not set (not running in a pod? "
                            "pass --kubeconfig)");
  c.port = port.empty() ? 443 : std::atoi(port.c_str());
  if (c.port <= 0 || c.port > 65535)
    throw PreconditionError("in-cluster configuration: KUBERNETES_SERVICE_PORT " + Quote(port) + " is not a port");
  c.token_file = dir + "/token";
  c.ca_file = dir + "/ca.crt";
  if (!FileExists(c.token_file))
    throw PreconditionError("in-cluster configuration: " + c.token_file +
                            " is missing (automountServiceAccountToken: false on the hook's pod or service account?)");
  if (!FileExists(c.ca_file)) throw PreconditionError("in-cluster configuration: " + c.ca_file + " is missing");
  if (FileExists(dir + "/namespace")) c.namespace_name = std::string(Trim(ReadFile(dir + "/namespace")));
  c.source = "in-cluster service account (" + dir + ")";
  return c;
}

Config LoadKubeconfigText(const std::string& text, const std::string& origin, const std::string& base_dir,
                          const std::string& context_flag) {
  JsonDoc root = YamlToJson(text, origin);
  if (!root.IsObject()) throw UsageError(origin + ": not a kubeconfig (expected a mapping with clusters, users, contexts)");
  std::string context = context_flag.empty() ? GetString(root, {"current-context"}) : context_flag;
  if (context.empty())
    throw UsageError(origin + ": no current-context and no --context given (kubectl config use-context NAME)");
  const Json* ctx = FindNamed(root, "contexts", context);
  if (ctx == nullptr) throw UsageError(origin + ": context " + Quote(context) + " is not defined under contexts:");
  std::string cluster_name = GetString(*ctx, {"context", "cluster"});
  std::string user_name = GetString(*ctx, {"context", "user"});
  const Json* cluster = FindNamed(root, "clusters", cluster_name);
  if (cluster == nullptr)
    throw UsageError(origin + ": context " + Quote(context) + " names cluster " + Quote(cluster_name) +
                     ", which is not defined under clusters:");
  Config c;
  c.source = "kubeconfig " + origin + " (context " + context + ")";
  c.namespace_name = GetString(*ctx, {"context", "namespace"});
  std::string where = origin + ": cluster " + Quote(cluster_name);
  const Json* clp = Find(*cluster, {"cluster"});
  if (clp == nullptr || !clp->IsObject()) throw UsageError(where + " has no cluster: mapping");
  const Json& cl = *clp;
  if (GetBool(cl, {"insecure-skip-tls-verify"}).value_or(false))
    throw UsageError(where + " sets insecure-skip-tls-verify; Capstan always verifies the API server certificate: "
                     "set certificate-authority(-data) instead");
  std::string server = GetString(cl, {"server"});
  if (server.empty()) throw UsageError(where + " has no server:");
  ParseServerUrl(server, where, c.host, c.port);
  c.ca_file = Resolve(base_dir, GetString(cl, {"certificate-authority"}));
  std::string ca_data = GetString(cl, {"certificate-authority-data"});
  if (!ca_data.empty()) {
    c.ca_pem = DecodeData(ca_data, where, "certificate-authority-data");
    c.ca_file.clear();
  }
  if (!c.ca_file.empty() && !FileExists(c.ca_file))
    throw UsageError(where + ": certificate-authority " + c.ca_file + " does not exist");
  c.tls_server_name = GetString(cl, {"tls-server-name"});
  if (!c.tls_server_name.empty() && c.tls_server_name != c.host)
    throw UsageError(where + " sets tls-server-name " + Quote(c.tls_server_name) +
                     ", which differs from the server host; not supported: use a server URL whose host is in the "
                     "certificate");
  if (Find(cl, {"proxy-url"}) != nullptr)
    throw UsageError(where + " sets proxy-url; proxies are not supported");

  if (!user_name.empty()) {
    const Json* user = FindNamed(root, "users", user_name);
    if (user == nullptr)
      throw UsageError(origin + ": context " + Quote(context) + " names user " + Quote(user_name) +
                       ", which is not defined under users:");
    static const Json kEmpty(rapidjson::kObjectType);
    const Json* up = Find(*user, {"user"});
    const Json& u = up != nullptr ? *up : kEmpty;
    std::string uwhere = origin + ": user " + Quote(user_name);
    if (Find(u, {"exec"}) != nullptr)
      throw UsageError(uwhere + " uses an exec credential plugin, which Capstan does not support: use a token, "
                       "tokenFile or client certificate (e.g. a service-account token from kubectl create token)");
    if (Find(u, {"auth-provider"}) != nullptr)
      throw UsageError(uwhere + " uses an auth-provider plugin, which Capstan does not support: use a token, "
                       "tokenFile or client certificate");
    if (Find(u, {"username"}) != nullptr || Find(u, {"password"}) != nullptr)
      throw UsageError(uwhere + " uses basic authentication, which Kubernetes removed: use a token or client "
                       "certificate");
    c.token = GetString(u, {"token"});
    c.token_file = Resolve(base_dir, GetString(u, {"tokenFile"}));
    std::string cert_file = Resolve(base_dir, GetString(u, {"client-certificate"}));
    std::string key_file = Resolve(base_dir, GetString(u, {"client-key"}));
    std::string cert_data = GetString(u, {"client-certificate-data"});
    std::string key_data = GetString(u, {"client-key-data"});
    c.client_cert_pem = !cert_data.empty() ? DecodeData(cert_data, uwhere, "client-certificate-data")
                        : !cert_file.empty() ? ReadFile(cert_file)
                                             : std::string();
    c.client_key_pem = !key_data.empty() ? DecodeData(key_data, uwhere, "client-key-data")
                       : !key_file.empty() ? ReadFile(key_file)
                                           : std::string();
    if (c.client_cert_pem.empty() != c.client_key_pem.empty())
      throw UsageError(uwhere + " has a client certificate without a key (or a key without a certificate)");
  }
  return c;
}

Config LoadKubeconfig(const std::string& path, const std::string& context) {
  std::string text = ReadFile(path);
  size_t slash = path.rfind('/');
  std::string base = slash == std::string::npos ? std::string(".") : path.substr(0, slash);
  return LoadKubeconfigText(text, path, base, context);
}

Config Load(const LoadOptions& o) {
  if (!o.kubeconfig.empty()) return LoadKubeconfig(o.kubeconfig, o.context);
  std::string env = Env("KUBECONFIG");
  if (!env.empty()) {
    // kubectl merges a colon-separated list; Capstan takes the first file that exists.
    for (const auto& p : Split(env, ':', true))
      if (FileExists(p)) return LoadKubeconfig(p, o.context);
    throw UsageError("KUBECONFIG=" + env + ": none of the files exists");
  }
  if (!Env("KUBERNETES_SERVICE_HOST").empty() && o.context.empty()) return LoadInCluster(o.service_account_dir);
  std::string home = Env("HOME");
  std::string def = home + "/.kube/config";
  if (!home.empty() && FileExists(def)) return LoadKubeconfig(def, o.context);
  throw PreconditionError("no Kubernetes configuration: not in a pod (KUBERNETES_SERVICE_HOST unset), no "
                          "--kubeconfig, no KUBECONFIG and no ~/.kube/config");
}

}  // namespace capstan::kube
