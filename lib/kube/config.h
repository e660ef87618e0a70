// Where the Kubernetes API is and how to authenticate to it: in-cluster (service account) or a kubeconfig file.
// TLS verification is always on: there is no way to skip it. exec and auth-provider credential plugins are not
// supported (a kubeconfig user that needs one is refused with a message saying so).
#pragma once
#include <optional>
#include <string>

namespace capstan::kube {

struct Config {
  std::string host;  // name or IP as it appears in the server certificate
  int port = 443;
  std::string ca_file;   // PEM bundle trusted for the API server (empty: ca_pem or the system CAs)
  std::string ca_pem;    // inline CA (kubeconfig certificate-authority-data)
  std::string token;     // static bearer token (never logged)
  std::string token_file;  // bearer token re-read before every request (service-account token rotation)
  std::string client_cert_pem;  // client certificate and key (kubeconfig client-certificate(-data)/client-key(-data))
  std::string client_key_pem;
  std::string tls_server_name;  // kubeconfig tls-server-name: accepted only when equal to host (see docs)
  std::string namespace_name;   // default namespace (service-account namespace file or the context's namespace)
  std::string source;           // "in-cluster" or "kubeconfig <path> (context <name>)", for messages
  std::string BaseUrl() const { return "https://" + host + ":" + std::to_string(port); }
};

struct LoadOptions {
  std::string kubeconfig;  // --kubeconfig; empty: $KUBECONFIG, in-cluster when KUBERNETES_SERVICE_HOST is set,
                           // then ~/.kube/config
  std::string context;     // --context; empty: current-context
  std::string service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";
};

// In-cluster: KUBERNETES_SERVICE_HOST/PORT, <dir>/token (re-read per request), <dir>/ca.crt, <dir>/namespace.
Config LoadInCluster(const std::string& service_account_dir);
// A kubeconfig file (YAML); context empty means current-context. Throws UsageError naming the file and field.
Config LoadKubeconfig(const std::string& path, const std::string& context);
Config LoadKubeconfigText(const std::string& text, const std::string& origin, const std::string& base_dir,
                          const std::string& context);
// The precedence described in LoadOptions.
Config Load(const LoadOptions& options);

// Splits "https://host:port" (port defaults to 443; IPv6 in brackets). Throws UsageError on http:// or garbage.
void ParseServerUrl(const std::string& url, const std::string& origin, std::string& host, int& port);

}  // namespace capstan::kube
