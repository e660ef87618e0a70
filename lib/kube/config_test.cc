// Kubeconfig and in-cluster configuration: contexts, tokens, token files, client certificates (files and data),
// CA data; exec/auth-provider plugins, insecure-skip-tls-verify and plain http are refused with clear messages.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "kube/client.h"
#include "kube/config.h"
#include "kube/kube_test_server.h"

using namespace capstan;
using namespace capstan::test;

namespace {

std::string Kc(const std::string& cluster, const std::string& user, const std::string& extra_context = "") {
  return "apiVersion: v1\nkind: Config\ncurrent-context: dev\nclusters:\n- name: c1\n  cluster:\n" + cluster +
         "contexts:\n- name: dev\n  context: {cluster: c1, user: u1, namespace: shop}\n" + extra_context +
         "users:\n- name: u1\n  user:\n" + user;
}

}  // namespace

TEST_CASE("kubeconfig: current context, token, CA file relative to the kubeconfig", "[kube][config]") {
  TempDir dir;
  dir.Write("ca.crt", Slurp(Certs().ca_crt));
  auto c = kube::LoadKubeconfigText(Kc("    server: https://10.0.0.1:6443\n    certificate-authority: ca.crt\n",
                                       "    token: abc\n"),
                                    "kc.yaml", dir.path(), "");
  CHECK(c.host == "10.0.0.1");
  CHECK(c.port == 6443);
  CHECK(c.ca_file == dir.path() + "/ca.crt");
  CHECK(c.token == "abc");
  CHECK(c.namespace_name == "shop");
  CHECK(c.source.find("context dev") != std::string::npos);
}

TEST_CASE("kubeconfig: --context picks another context, data fields are decoded", "[kube][config]") {
  std::string cert = Slurp(Certs().client_crt), key = Slurp(Certs().client_key), ca = Slurp(Certs().ca_crt);
  std::string text =
      "current-context: dev\nclusters:\n- name: c1\n  cluster: {server: 'https://a:1'}\n- name: c2\n  cluster:\n"
      "    server: https://[::1]:8443\n    certificate-authority-data: " + Base64Encode(ca) +
      "\ncontexts:\n- name: dev\n  context: {cluster: c1, user: u1}\n- name: prod\n  context: {cluster: c2, user: u2}\n"
      "users:\n- name: u1\n  user: {token: t}\n- name: u2\n  user:\n    client-certificate-data: " + Base64Encode(cert) +
      "\n    client-key-data: " + Base64Encode(key) + "\n";
  auto c = kube::LoadKubeconfigText(text, "kc", "/nonexistent", "prod");
  CHECK(c.host == "::1");
  CHECK(c.port == 8443);
  CHECK(c.ca_pem == ca);
  CHECK(c.client_cert_pem == cert);
  CHECK(c.client_key_pem == key);
  CHECK(c.token.empty());
}

TEST_CASE("kubeconfig: refusals say why and what to do", "[kube][config]") {
  const std::string server = "    server: https://10.0.0.1:6443\n";
  auto err = [](const std::string& text, const std::string& context = "") {
    try {
      kube::LoadKubeconfigText(text, "kc.yaml", "/tmp", context);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  CHECK_THAT(err(Kc(server, "    exec:\n      command: aws\n")),
             Catch::Contains("exec credential plugin, which Capstan does not support"));
  CHECK_THAT(err(Kc(server, "    auth-provider:\n      name: gcp\n")), Catch::Contains("auth-provider plugin"));
  CHECK_THAT(err(Kc(server + "    insecure-skip-tls-verify: true\n", "    token: t\n")),
             Catch::Contains("always verifies"));
  CHECK_THAT(err(Kc("    server: http://10.0.0.1:8080\n", "    token: t\n")), Catch::Contains("plain http"));
  CHECK_THAT(err(Kc(server, "    token: t\n"), "nope"), Catch::Contains("context 'nope' is not defined"));
  CHECK_THAT(err(Kc(server, "    client-certificate-data: " + Base64Encode("x") + "\n")),
             Catch::Contains("without a key"));
  CHECK_THAT(err(Kc(server, "    client-key-data: '***'\n")), Catch::Contains("not valid base64"));
  CHECK_THAT(err("clusters: [\n"), Catch::Contains("kc.yaml:"));
  CHECK_THAT(err("clusters: []\n"), Catch::Contains("no current-context"));
  CHECK_THAT(err(Kc("    server: https://h:99999\n", "    token: t\n")), Catch::Contains("invalid port"));
  CHECK_THAT(err(Kc("    server: https://h/prefix\n", "    token: t\n")), Catch::Contains("path"));
}

TEST_CASE("kubeconfig: a tokenFile user is re-read per request against the real server", "[kube][config]") {
  KubeTestServer server;
  TempDir dir;
  dir.Write("token", "good-token");
  dir.Write("ca.crt", Slurp(Certs().ca_crt));
  std::string path = dir.Write("config", "current-context: t\nclusters:\n- name: c\n  cluster:\n    server: " +
                                             server.url() + "\n    certificate-authority: ca.crt\ncontexts:\n"
                                             "- name: t\n  context: {cluster: c, user: u}\nusers:\n- name: u\n"
                                             "  user: {tokenFile: token}\n");
  kube::Client client(kube::LoadKubeconfig(path, ""), FastOptions());
  CHECK_NOTHROW(client.List(kube::LookupKind("Pod"), "default"));
  dir.Write("token", "second-token");
  server.SetTokens({"second-token"});
  CHECK_NOTHROW(client.List(kube::LookupKind("Pod"), "default"));
  auto reqs = server.Requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[0].token == "good-token");
  CHECK(reqs[1].token == "second-token");
}

TEST_CASE("in-cluster: service host/port, token file, CA and namespace", "[kube][config]") {
  KubeTestServer server;
  TempDir sa;
  sa.Write("token", "good-token\n");
  sa.Write("ca.crt", Slurp(Certs().ca_crt));
  sa.Write("namespace", "shop\n");
  setenv("KUBERNETES_SERVICE_HOST", "127.0.0.1", 1);
  setenv("KUBERNETES_SERVICE_PORT", std::to_string(server.port()).c_str(), 1);
  auto c = kube::LoadInCluster(sa.path());
  CHECK(c.namespace_name == "shop");
  CHECK(c.token_file == sa.path() + "/token");
  kube::Client client(c, FastOptions());
  CHECK_NOTHROW(client.List(kube::LookupKind("Pod"), c.namespace_name));
  CHECK(server.Requests().at(0).token == "good-token");
  unsetenv("KUBERNETES_SERVICE_HOST");
  CHECK_THROWS_WITH(kube::LoadInCluster(sa.path()), Catch::Contains("KUBERNETES_SERVICE_HOST is not set"));
  unsetenv("KUBERNETES_SERVICE_PORT");
  TempDir empty;
  setenv("KUBERNETES_SERVICE_HOST", "127.0.0.1", 1);
  CHECK_THROWS_WITH(kube::LoadInCluster(empty.path()), Catch::Contains("automountServiceAccountToken"));
  unsetenv("KUBERNETES_SERVICE_HOST");
}
