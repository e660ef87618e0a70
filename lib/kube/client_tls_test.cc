// The client never accepts a server certificate that does not verify: wrong CA, wrong SAN, self-signed, system
// CAs only. Client certificates (files and inline data) authenticate to a server that requires them.
#include <catch2/catch.hpp>

#include "kube/client.h"
#include "kube/config.h"
#include "kube/kube_test_server.h"

using namespace capstan;
using namespace capstan::test;

namespace {

const kube::Kind& Pods() { return kube::LookupKind("Pod"); }

std::string ErrorOf(kube::Client& c) {
  try {
    c.List(Pods(), "shop");
  } catch (const PreconditionError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("kube client: verified TLS with the cluster CA succeeds", "[kube][tls]") {
  KubeTestServer server;
  kube::Client client(TestConfig(server), FastOptions());
  auto list = client.List(Pods(), "shop");
  CHECK(kube::GetString(list, {"kind"}) == "PodList");
  CHECK(list["items"].Size() == 0);
}

TEST_CASE("kube client: inline certificate-authority-data is trusted the same way", "[kube][tls]") {
  KubeTestServer server;
  auto cfg = TestConfig(server);
  cfg.ca_file.clear();
  cfg.ca_pem = Slurp(Certs().ca_crt);
  kube::Client client(cfg, FastOptions());
  CHECK_NOTHROW(client.List(Pods(), "shop"));
}

TEST_CASE("kube client: refuses a server whose certificate does not verify", "[kube][tls]") {
  SECTION("server certificate from an unrelated CA") {
    KubeTestServer server({Certs().other_server_crt, Certs().other_server_key, ""});
    kube::Client client(TestConfig(server), FastOptions());
    std::string err = ErrorOf(client);
    CHECK(err.find("does not verify") != std::string::npos);
    CHECK(server.Requests().empty());  // never got as far as an HTTP request
  }
  SECTION("trusted CA but the SAN does not name 127.0.0.1") {
    KubeTestServer server({Certs().wrong_san_crt, Certs().wrong_san_key, ""});
    kube::Client client(TestConfig(server), FastOptions());
    std::string err = ErrorOf(client);
    CHECK(err.find("does not verify") != std::string::npos);
    CHECK(server.Requests().empty());
  }
  SECTION("self-signed server certificate") {
    KubeTestServer server({Certs().self_signed_crt, Certs().self_signed_key, ""});
    kube::Client client(TestConfig(server), FastOptions());
    std::string err = ErrorOf(client);
    CHECK(err.find("does not verify") != std::string::npos);
    CHECK(err.find("self-signed") != std::string::npos);
    CHECK(server.Requests().empty());
  }
  SECTION("no CA configured: system CAs do not know the test CA") {
    KubeTestServer server;
    auto cfg = TestConfig(server);
    cfg.ca_file.clear();
    kube::Client client(cfg, FastOptions());
    CHECK(ErrorOf(client).find("does not verify") != std::string::npos);
    CHECK(server.Requests().empty());
  }
  SECTION("the wrong CA given for a good server") {
    KubeTestServer server;
    auto cfg = TestConfig(server);
    cfg.ca_file = Certs().other_ca_crt;
    kube::Client client(cfg, FastOptions());
    CHECK(ErrorOf(client).find("does not verify") != std::string::npos);
    CHECK(server.Requests().empty());
  }
}

TEST_CASE("kube client: client certificate authentication (mTLS)", "[kube][tls]") {
  KubeTestServer server({Certs().server_crt, Certs().server_key, Certs().ca_crt});
  server.SetTokens({});  // no token is accepted: only the certificate authenticates
  auto cfg = TestConfig(server, "");
  SECTION("PEM data") {
    cfg.client_cert_pem = Slurp(Certs().client_crt);
    cfg.client_key_pem = Slurp(Certs().client_key);
    kube::Client client(cfg, FastOptions());
    CHECK_NOTHROW(client.List(Pods(), "shop"));
    REQUIRE(server.Requests().size() == 1);
    CHECK(server.Requests()[0].status == 200);
  }
  SECTION("without a client certificate the handshake fails") {
    kube::Client client(cfg, FastOptions());
    CHECK_THROWS_AS(client.List(Pods(), "shop"), PreconditionError);
    CHECK(server.Requests().empty());
  }
  SECTION("a key that is not PEM is refused up front") {
    cfg.client_cert_pem = Slurp(Certs().client_crt);
    cfg.client_key_pem = "not a key";
    CHECK_THROWS_AS(kube::Client(cfg, FastOptions()), UsageError);
  }
}
