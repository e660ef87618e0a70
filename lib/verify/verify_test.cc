// capstan verify: passes a release whose workloads become ready within the timeout, fails one that never does
// (naming the pods and their container states), and fails when one replica behind a Service answers 500.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "release/record.h"
#include "verify/smoke.h"
#include "verify/verify.h"
#include "kube/kube_test_server.h"

using namespace capstan;
using namespace capstan::test;

namespace {

const std::string kWeb = "/apis/apps/v1/namespaces/shop/deployments/web";
const std::string kDb = "/apis/apps/v1/namespaces/shop/statefulsets/db";

std::string Deployment(int generation, int observed, int updated, int available) {
  return R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop","generation":)" +
         std::to_string(generation) + R"(,"labels":{"app.kubernetes.io/instance":"portal"}},"spec":{"replicas":3},
         "status":{"observedGeneration":)" + std::to_string(observed) + R"(,"replicas":3,"updatedReplicas":)" +
         std::to_string(updated) + R"(,"readyReplicas":)" + std::to_string(available) + R"(,"availableReplicas":)" +
         std::to_string(available) + "}}";
}

void PutDb(KubeTestServer& s) {
  s.Put(kDb, R"({"metadata":{"name":"db","generation":4,"labels":{"app.kubernetes.io/instance":"portal"}},
      "spec":{"replicas":1},"status":{"observedGeneration":4,"readyReplicas":1,"currentReplicas":1,
      "currentRevision":"db-7d9","updateRevision":"db-7d9"}})");
  // Another release's workload, never ready: must be ignored by the selector.
  s.Put("/apis/apps/v1/namespaces/shop/deployments/other", R"({"metadata":{"name":"other","generation":1,
      "labels":{"app.kubernetes.io/instance":"blog"}},"spec":{"replicas":1},"status":{"observedGeneration":1}})");
}

void PutCrashingPods(KubeTestServer& s) {
  s.Put("/api/v1/namespaces/shop/pods/web-7f-abc", R"({"metadata":{"name":"web-7f-abc","labels":{"app.kubernetes.io/instance":"portal"}},
    "status":{"phase":"Running","conditions":[{"type":"Ready","status":"False"}],"containerStatuses":[{"name":"app",
    "ready":false,"restartCount":5,"state":{"waiting":{"reason":"CrashLoopBackOff","message":"back-off 2m40s"}},
    "lastState":{"terminated":{"reason":"Error","exitCode":1}}}]}})");
  s.Put("/api/v1/namespaces/shop/pods/web-6d-old", R"({"metadata":{"name":"web-6d-old","labels":{"app.kubernetes.io/instance":"portal"}},
    "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}],"containerStatuses":[{"name":"app",
    "ready":true,"restartCount":0,"state":{"running":{}}}]}})");
}

// A local HTTP "Service" whose replica 3 of 3 is broken: every 3rd request answers 500.
class FlakyService {
 public:
  explicit FlakyService(int bad_every) : bad_every_(bad_every) {
    server_.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
      int n = ++count_;
      if (bad_every_ > 0 && n % bad_every_ == 0) {
        res.status = 500;
        res.set_content("replica web-7f-abc: database connection refused", "text/plain");
      } else {
        res.set_content("ok from replica web-" + std::to_string(n % 3), "text/plain");
      }
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    for (int i = 0; i < 2000 && !server_.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FlakyService() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/healthz"; }
  int count() const { return count_; }

 private:
  int bad_every_;
  std::atomic<int> count_{0};
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

verify::VerifyOptions Options(std::chrono::milliseconds timeout) {
  verify::VerifyOptions o;
  o.ns = "shop";
  o.release = "portal";
  o.timeout = timeout;
  o.interval = std::chrono::milliseconds(100);
  return o;
}

}  // namespace

TEST_CASE("verify: passes when the upgrade rolls out within the timeout", "[kube][verify]") {
  KubeTestServer server;
  PutDb(server);
  server.Put(kWeb, Deployment(2, 1, 0, 3));  // new spec not yet observed
  std::thread controller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    server.Put(kWeb, Deployment(2, 2, 1, 3));
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    server.Put(kWeb, Deployment(2, 2, 3, 2));
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    server.Put(kWeb, Deployment(2, 2, 3, 3));
  });
  kube::Client client(TestConfig(server), FastOptions());
  auto start = std::chrono::steady_clock::now();
  auto report = verify::RunVerify(client, Options(std::chrono::seconds(20)));
  controller.join();
  CHECK(report.ok());
  CHECK(report.rolled_out);
  CHECK(report.workloads.size() == 2);  // web and db; "other" belongs to another release
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(1100));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
}

TEST_CASE("verify: fails a workload that never becomes ready, naming pods and reasons", "[kube][verify]") {
  KubeTestServer server;
  PutDb(server);
  server.Put(kWeb, Deployment(2, 2, 1, 2));
  PutCrashingPods(server);
  kube::Client client(TestConfig(server), FastOptions());
  auto start = std::chrono::steady_clock::now();
  auto report = verify::RunVerify(client, Options(std::chrono::milliseconds(1500)));
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK_FALSE(report.ok());
  CHECK(report.timed_out);
  CHECK(elapsed >= std::chrono::milliseconds(1500));
  CHECK(elapsed < std::chrono::seconds(6));
  std::string s = report.Summary();
  CHECK_THAT(s, Catch::Contains("did not roll out within 1.5s (1 of 2 workloads not ready)"));
  CHECK_THAT(s, Catch::Contains("Deployment web: Waiting for deployment 'web' rollout to finish: 1 out of 3 new replicas"));
  CHECK_THAT(s, Catch::Contains("pod web-7f-abc (Running): container app: waiting CrashLoopBackOff"));
  CHECK_THAT(s, Catch::Contains("last terminated Error exit 1, 5 restarts"));
  CHECK_THAT(s, !Catch::Contains("web-6d-old"));
}

TEST_CASE("verify: a progress deadline ends the wait early", "[kube][verify]") {
  KubeTestServer server;
  server.Put(kWeb, R"({"metadata":{"name":"web","generation":2,"labels":{"app.kubernetes.io/instance":"portal"}},
      "spec":{"replicas":1},"status":{"observedGeneration":2,"updatedReplicas":0,"conditions":[{"type":"Progressing",
      "status":"False","reason":"ProgressDeadlineExceeded"}]}})");
  kube::Client client(TestConfig(server), FastOptions());
  auto start = std::chrono::steady_clock::now();
  auto report = verify::RunVerify(client, Options(std::chrono::seconds(30)));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  CHECK_FALSE(report.ok());
  CHECK_THAT(report.Summary(), Catch::Contains("exceeded its progress deadline"));
}

TEST_CASE("verify: no workload matches the selector", "[kube][verify]") {
  KubeTestServer server;
  kube::Client client(TestConfig(server), FastOptions());
  auto report = verify::RunVerify(client, Options(std::chrono::seconds(5)));
  CHECK_FALSE(report.ok());
  CHECK_THAT(report.Summary(), Catch::Contains("matches selector 'app.kubernetes.io/instance=portal'"));
}

TEST_CASE("verify smoke: a bad replica behind the Service is caught by repetition", "[kube][verify]") {
  FlakyService svc(3);
  auto check = verify::ParseSmokeCheck(svc.url() + "|status=200|body=ok|count=9");
  auto r = verify::RunSmokeCheck(check, {});
  CHECK(r.passed == 6);
  REQUIRE(r.failures.size() == 3);
  CHECK(r.failures[0] ==
        "request 3/9: HTTP 500 (expected 200), body 'replica web-7f-abc: database connection refused'");
  CHECK(svc.count() == 9);
  FlakyService healthy(0);
  CHECK(verify::RunSmokeCheck(verify::ParseSmokeCheck(healthy.url() + "|body=ok|count=5"), {}).ok());
  auto wrong_body = verify::RunSmokeCheck(verify::ParseSmokeCheck(healthy.url() + "|body=READY"), {});
  CHECK_THAT(wrong_body.failures.at(0), Catch::Contains("body lacks 'READY'"));
  auto closed = verify::RunSmokeCheck(verify::ParseSmokeCheck("http://127.0.0.1:1/healthz"), {});
  CHECK_THAT(closed.failures.at(0), Catch::Contains("no answer"));
}

TEST_CASE("verify smoke: https checks are verified too", "[kube][verify]") {
  KubeTestServer server;  // any https server will do: /healthz answers 404 Status JSON without a token
  auto check = verify::ParseSmokeCheck(server.url() + "/healthz|status=401");
  auto untrusted = verify::RunSmokeCheck(check, {});
  CHECK_THAT(untrusted.failures.at(0), Catch::Contains("SSLServerVerification"));
  verify::SmokeOptions o;
  o.ca_file = Certs().ca_crt;
  CHECK(verify::RunSmokeCheck(check, o).ok());
}

TEST_CASE("verify smoke: check syntax", "[kube][verify]") {
  auto c = verify::ParseSmokeCheck("https://portal.shop.svc/healthz|status=204|body=a=b|count=20");
  CHECK(c.url == "https://portal.shop.svc/healthz");
  CHECK(c.status == 204);
  CHECK(c.body == "a=b");
  CHECK(c.count == 20);
  CHECK_THROWS_WITH(verify::ParseSmokeCheck("portal/healthz"), Catch::Contains("http:// or https://"));
  CHECK_THROWS_WITH(verify::ParseSmokeCheck("http://p/|count=0"), Catch::Contains("from 1 to 10000"));
  CHECK_THROWS_WITH(verify::ParseSmokeCheck("http://p/|stauts=200"), Catch::Contains("unknown option 'stauts'"));
  CHECK_THROWS_WITH(verify::ParseSmokeCheck("http://p:99999/"), Catch::Contains("from 1 to 65535"));
  CHECK_THROWS_AS(verify::ParseSmokeCheck(""), UsageError);
}

TEST_CASE("capstan verify: exit codes, summary and the release record", "[kube][verify]") {
  KubeTestServer server;
  PutDb(server);
  PutCrashingPods(server);
  TempDir dir;
  std::string kc = WriteKubeconfig(dir, server);
  FlakyService flaky(3);
  auto run = [&](const std::string& url, const std::string& revision) {
    return Run({Binary("capstan"), "verify", "portal", "--kubeconfig", kc, "--timeout", "3s", "--interval", "100ms",
                "--check", url + "|count=6", "--revision", revision, "--set", "chartVersion=2.0.0", "--log-format",
                "json"});
  };
  SECTION("healthy rollout but a failing replica") {
    server.Put(kWeb, Deployment(2, 2, 3, 3));
    auto r = run(flaky.url(), "7");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("NOT verified"));
    CHECK_THAT(r.out, Catch::Contains("request 3/6: HTTP 500"));
    CHECK_THAT(r.err, Catch::Contains("\"level\":\"error\""));
    auto rec = release::ParseRecord(kube::ParseJson(server.Object("/api/v1/namespaces/shop/configmaps/capstan-release-portal"), "cm"), "cm");
    REQUIRE(rec.history.size() == 1);
    CHECK(rec.history[0].revision == 7);
    CHECK(rec.history[0].Get("outcome") == "failed");
    CHECK(rec.history[0].Get("chartVersion") == "2.0.0");
  }
  SECTION("never ready within the timeout") {
    server.Put(kWeb, Deployment(2, 2, 1, 2));
    auto start = std::chrono::steady_clock::now();
    auto r = run(flaky.url(), "8");
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains("web-7f-abc"));
    CHECK(flaky.count() == 0);  // smoke checks only run after the rollout
  }
  SECTION("healthy") {
    server.Put(kWeb, Deployment(2, 2, 3, 3));
    FlakyService healthy(0);
    auto r = run(healthy.url(), "9");
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("verified: 2 workloads rolled out"));
    auto rec = release::ParseRecord(kube::ParseJson(server.Object("/api/v1/namespaces/shop/configmaps/capstan-release-portal"), "cm"), "cm");
    CHECK(rec.history.at(0).Get("outcome") == "verified");
  }
  SECTION("API unreachable: exit 3") {
    server.AddFault(Fault{"", "/", 1000, 503, "ServiceUnavailable", "down", {}, 0, false, false});
    auto down = Run({Binary("capstan"), "verify", "portal", "--kubeconfig", kc, "--timeout", "1s", "--no-record"});
    CHECK(down.exit_code == 3);
  }
}
