// API errors and retries against the TLS test server: 401 with token rotation, 403 naming the RBAC rule, 404, 409,
// 429 with Retry-After, 5xx, slow answers (timeouts), dropped connections, paged lists; tokens never in messages.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>

#include "kube/client.h"
#include "kube/kube_test_server.h"

using namespace capstan;
using namespace capstan::test;

namespace {
const kube::Kind& Deployments() { return kube::LookupKind("Deployment"); }
const kube::Kind& ConfigMaps() { return kube::LookupKind("ConfigMap"); }
const std::string kDeployPath = "/apis/apps/v1/namespaces/shop/deployments/web";

void PutWeb(KubeTestServer& s) {
  s.Put(kDeployPath, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop",
      "generation":1,"labels":{"app.kubernetes.io/instance":"portal"}},"spec":{"replicas":2},
      "status":{"observedGeneration":1,"replicas":2,"updatedReplicas":2,"readyReplicas":2,"availableReplicas":2}})");
}

template <typename F>
std::string Message(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("kube client: GET an object", "[kube][client]") {
  KubeTestServer server;
  PutWeb(server);
  kube::Client client(TestConfig(server), FastOptions());
  auto d = client.Get(Deployments(), "shop", "web");
  CHECK(kube::GetString(d, {"metadata", "name"}) == "web");
  CHECK(!kube::GetString(d, {"metadata", "resourceVersion"}).empty());
  REQUIRE(server.Requests().size() == 1);
  CHECK(server.Requests()[0].token == "good-token");
  CHECK(server.Requests()[0].verb == "get");
}

TEST_CASE("kube client: 401 with a rotated token re-reads the token file and succeeds", "[kube][client]") {
  KubeTestServer server;
  PutWeb(server);
  TempDir dir;
  std::string token_file = dir.Write("token", "old-token\n");
  server.SetTokens({"rotated-token"});
  // The kubelet rotates the projected token just as the old one expires.
  server.OnRejectedToken([&](const std::string&) {
    std::ofstream(token_file, std::ios::trunc) << "rotated-token";
  });
  auto cfg = TestConfig(server, "");
  cfg.token_file = token_file;
  kube::Client client(cfg, FastOptions());
  auto d = client.Get(Deployments(), "shop", "web");
  CHECK(kube::GetString(d, {"metadata", "name"}) == "web");
  auto reqs = server.Requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[0].status == 401);
  CHECK(reqs[0].token == "old-token");
  CHECK(reqs[1].status == 200);
  CHECK(reqs[1].token == "rotated-token");
}

TEST_CASE("kube client: an expired token is reported without its value", "[kube][client]") {
  KubeTestServer server;
  PutWeb(server);
  SECTION("static token") {
    kube::Client client(TestConfig(server, "secret-expired-token"), FastOptions());
    std::string msg = Message([&] { client.Get(Deployments(), "shop", "web"); });
    CHECK(msg.find("token rejected") != std::string::npos);
    CHECK(msg.find("expired or rotated") != std::string::npos);
    CHECK(msg.find("secret-expired-token") == std::string::npos);
    CHECK(server.Requests().size() == 1);  // no re-read possible: one request
  }
  SECTION("token file that stays expired: one retry after re-reading, then the error") {
    TempDir dir;
    auto cfg = TestConfig(server, "");
    cfg.token_file = dir.Write("token", "secret-expired-token");
    kube::Client client(cfg, FastOptions());
    try {
      client.Get(Deployments(), "shop", "web");
      FAIL("expected an error");
    } catch (const kube::ApiError& e) {
      CHECK(e.status() == 401);
      CHECK(e.exit_code() == kExitPrecondition);
      CHECK(std::string(e.what()).find("secret-expired-token") == std::string::npos);
    }
    CHECK(server.Requests().size() == 2);
  }
}

TEST_CASE("kube client: 403 names the verb, resource, group and the Role rule to add", "[kube][client]") {
  KubeTestServer server;
  server.Forbid("list", "deployments");
  auto opts = FastOptions();
  opts.hook = "verify";
  kube::Client client(TestConfig(server), opts);
  try {
    client.List(Deployments(), "shop", "app.kubernetes.io/instance=portal");
    FAIL("expected 403");
  } catch (const kube::ApiError& e) {
    std::string msg = e.what();
    CHECK(e.status() == 403);
    CHECK(e.reason() == "Forbidden");
    CHECK(msg.find("the verify hook's service account cannot 'list' 'deployments' (API group 'apps') in namespace "
                   "'shop'") != std::string::npos);
    CHECK(msg.find(R"({apiGroups: ["apps"], resources: ["deployments"], verbs: ["list"]})") != std::string::npos);
    CHECK(msg.find("system:serviceaccount:shop:hook") != std::string::npos);  // the server's own words
  }
  CHECK(server.Requests().size() == 1);  // 403 is not retried
}

TEST_CASE("kube client: 404 names the object, GetIfExists returns nothing", "[kube][client]") {
  KubeTestServer server;
  kube::Client client(TestConfig(server), FastOptions());
  std::string msg = Message([&] { client.Get(ConfigMaps(), "shop", "capstan-release-portal"); });
  CHECK(msg.find("not found: configmaps 'capstan-release-portal' in namespace 'shop'") != std::string::npos);
  CHECK_FALSE(client.GetIfExists(ConfigMaps(), "shop", "capstan-release-portal").has_value());
}

TEST_CASE("kube client: CREATE, UPDATE with resourceVersion, 409 conflict and AlreadyExists, PATCH", "[kube][client]") {
  KubeTestServer server;
  kube::Client client(TestConfig(server), FastOptions());
  auto body = kube::ParseJson(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}})", "t");
  auto created = client.Create(ConfigMaps(), "shop", body);
  std::string rv = kube::GetString(created, {"metadata", "resourceVersion"});
  REQUIRE(!rv.empty());
  CHECK_THROWS_WITH(client.Create(ConfigMaps(), "shop", body), Catch::Contains("already exists"));
  kube::SetString(created["data"], "a", "2", created.GetAllocator());
  auto updated = client.Update(ConfigMaps(), "shop", "c", created);
  CHECK(kube::GetString(updated, {"data", "a"}) == "2");
  // A second update with the stale resourceVersion conflicts.
  try {
    client.Update(ConfigMaps(), "shop", "c", created);
    FAIL("expected 409");
  } catch (const kube::ApiError& e) {
    CHECK(e.status() == 409);
    CHECK(e.reason() == "Conflict");
    CHECK(std::string(e.what()).find("changed by someone else") != std::string::npos);
  }
  auto patched = client.Patch(ConfigMaps(), "shop", "c", R"({"data":{"b":"3"}})");
  CHECK(kube::GetString(patched, {"data", "a"}) == "2");
  CHECK(kube::GetString(patched, {"data", "b"}) == "3");
}

TEST_CASE("kube client: 429 honours Retry-After", "[kube][client]") {
  KubeTestServer server;
  PutWeb(server);
  Fault f;
  f.status = 429;
  f.reason = "TooManyRequests";
  f.message = "Too many requests, please try again later.";
  f.headers = {{"Retry-After", "1"}};
  server.AddFault(f);
  kube::Client client(TestConfig(server), FastOptions());
  auto start = std::chrono::steady_clock::now();
  auto d = client.Get(Deployments(), "shop", "web");
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(kube::GetString(d, {"metadata", "name"}) == "web");
  CHECK(elapsed >= std::chrono::milliseconds(950));  // waited as told, not the 5 ms backoff
  CHECK(server.Requests().size() == 2);
}

TEST_CASE("kube client: 500 and 503 are retried, persistent 503 gives up with exit 3", "[kube][client]") {
  KubeTestServer server;
  PutWeb(server);
  SECTION("transient") {
    Fault f;
    f.count = 2;
    f.status = 500;
    server.AddFault(f);
    Fault g;
    g.status = 503;
    g.reason = "ServiceUnavailable";
    server.AddFault(g);
    kube::Client client(TestConfig(server), FastOptions());
    CHECK_NOTHROW(client.Get(Deployments(), "shop", "web"));
    CHECK(server.Requests().size() == 4);
  }
  SECTION("persistent") {
    Fault f;
    f.count = 100;
    f.status = 503;
    f.reason = "ServiceUnavailable";
    f.message = "etcdserver: leader changed";
    server.AddFault(f);
    auto opts = FastOptions();
    opts.max_attempts = 3;
    kube::Client client(TestConfig(server), opts);
    try {
      client.Get(Deployments(), "shop", "web");
      FAIL("expected failure");
    } catch (const PreconditionError& e) {
      CHECK(std::string(e.what()).find("failed after 3 attempts") != std::string::npos);
      CHECK(std::string(e.what()).find("leader changed") != std::string::npos);
    }
    CHECK(server.Requests().size() == 3);
  }
}

TEST_CASE("kube client: slow answers time out and are retried", "[kube][client]") {
  KubeTestServer server;
  PutWeb(server);
  auto opts = FastOptions();
  opts.read_timeout = std::chrono::milliseconds(300);
  SECTION("one slow answer, then a fast one") {
    Fault f;
    f.delay_ms = 1000;
    f.pass_through = true;
    server.AddFault(f);
    kube::Client client(TestConfig(server), opts);
    CHECK_NOTHROW(client.Get(Deployments(), "shop", "web"));
  }
  SECTION("always slow: bounded attempts, then exit 3") {
    Fault f;
    f.count = 10;
    f.delay_ms = 800;
    f.pass_through = true;
    server.AddFault(f);
    opts.max_attempts = 2;
    kube::Client client(TestConfig(server), opts);
    auto start = std::chrono::steady_clock::now();
    CHECK_THROWS_AS(client.Get(Deployments(), "shop", "web"), PreconditionError);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  }
}

TEST_CASE("kube client: a dropped connection is retried", "[kube][client]") {
  KubeTestServer server;
  PutWeb(server);
  Fault f;
  f.drop = true;
  server.AddFault(f);
  kube::Client client(TestConfig(server), FastOptions());
  auto d = client.Get(Deployments(), "shop", "web");
  CHECK(kube::GetString(d, {"metadata", "name"}) == "web");
  auto reqs = server.Requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[0].status == -1);
  CHECK(reqs[1].status == 200);
}

TEST_CASE("kube client: LIST follows continue tokens and filters by label", "[kube][client]") {
  KubeTestServer server;
  for (int i = 0; i < 7; ++i)
    server.Put("/api/v1/namespaces/shop/pods/p" + std::to_string(i),
               R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p)" + std::to_string(i) +
                   R"(","labels":{"app.kubernetes.io/instance":")" + (i % 2 == 0 ? "portal" : "other") + R"("}}})");
  kube::Client client(TestConfig(server), FastOptions());
  auto all = client.List(kube::LookupKind("Pod"), "shop", "", 3);
  CHECK(all["items"].Size() == 7);
  CHECK(server.Requests().size() == 3);  // 3 + 3 + 1
  CHECK(kube::GetString(all, {"metadata", "continue"}).empty());
  server.ClearRequests();
  auto mine = client.List(kube::LookupKind("Pod"), "shop", "app.kubernetes.io/instance=portal", 2);
  CHECK(mine["items"].Size() == 4);
  CHECK(server.Requests().size() == 2);
  CHECK(server.Requests()[0].query.find("labelSelector=app.kubernetes.io/instance=portal") != std::string::npos);
}

TEST_CASE("kube client: a server that echoes the Authorization header never puts the token in an error",
          "[kube][client]") {
  KubeTestServer server;
  PutWeb(server);
  server.SetTokens({"opaque-token-4242"});
  kube::Client client(TestConfig(server, "opaque-token-4242"), FastOptions());
  SECTION("403 Status message") {
    Fault f;
    f.status = 403;
    f.reason = "Forbidden";
    f.message = "proxy denied request with headers map[Authorization:[Bearer opaque-token-4242]] token=opaque-token-4242";
    server.AddFault(f);
    std::string msg = Message([&] { client.Get(Deployments(), "shop", "web"); });
    INFO(msg);
    CHECK(msg.find("forbidden") != std::string::npos);
    CHECK(msg.find("opaque-token-4242") == std::string::npos);
    CHECK(msg.find("Bearer ***") != std::string::npos);
  }
  SECTION("5xx until the retries run out; the last problem quotes the server") {
    Fault f;
    f.count = 100;
    f.status = 500;
    f.message = "upstream echo: Authorization: Bearer opaque-token-4242";
    server.AddFault(f);
    std::string msg = Message([&] { client.Get(Deployments(), "shop", "web"); });
    INFO(msg);
    CHECK(msg.find("HTTP 500") != std::string::npos);
    CHECK(msg.find("opaque-token-4242") == std::string::npos);
  }
  SECTION("a token the client never sent, in any recognised form") {
    Fault f;
    f.status = 403;
    f.message = "saw Authorization: Bearer someone-elses-token-99 and eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
    server.AddFault(f);
    std::string msg = Message([&] { client.Get(Deployments(), "shop", "web"); });
    INFO(msg);
    CHECK(msg.find("someone-elses-token-99") == std::string::npos);
    CHECK(msg.find("eyJhbGciOiJSUzI1NiJ9") == std::string::npos);
  }
}
