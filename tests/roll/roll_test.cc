// `capstan roll` end to end: the real binary against the local TLS API server playing a StatefulSet controller and
// kubelet (kube/cluster_sim.h): order of deletions, maxUnavailable from the server's side, fail-fast reasons,
// timeouts, watch drops with 410 on resume, the Lease (a live holder, an expired one, two drivers at once), a
// driver killed halfway and run again, SIGTERM, JSON-lines and terminal output.
#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include "roll/roll_testing.h"
#include "support/terminal_run.h"
#include "util/strings.h"

using namespace capstan;
using namespace capstan::test;

namespace {

const char* kLeasePath = "/apis/coordination.k8s.io/v1/namespaces/shop/leases/capstan-roll-web";

std::vector<std::string> Args(std::vector<std::string> extra) {
  std::vector<std::string> a = {"web", "--timeout", "30s", "--lease-duration", "2s", "--log-format", "json", "-o",
                                "json"};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

rapidjson::Document Report(const std::string& out) {
  rapidjson::Document d;
  d.Parse(out.c_str());
  INFO(out);
  REQUIRE(!d.HasParseError());
  REQUIRE(d.IsObject());
  return d;
}

std::vector<std::string> Replaced(const rapidjson::Document& d) {
  std::vector<std::string> out;
  for (const auto& v : d["replaced"].GetArray()) out.emplace_back(v.GetString());
  return out;
}

void CheckAllCurrent(ClusterSim& sim, int replicas, const std::string& revision) {
  for (int i = 0; i < replicas; ++i) {
    INFO("pod " << i);
    CHECK(sim.Revision(i) == "web-" + revision);
    CHECK(sim.Ready(i));
  }
}

}  // namespace

TEST_CASE("roll: ordered start replaces pod 0 first, then 2, then 1", "[roll]") {
  KubeTestServer server;
  ClusterSim sim(server, {});
  TempDir dir;
  std::string kc = WriteKubeconfig(dir, server);
  sim.Upgrade("rev2");
  RollProcess p(dir, kc, Args({}));
  int code = p.Wait();
  INFO(p.err());
  REQUIRE(code == 0);
  CHECK(sim.Deletions() == std::vector<std::string>{"web-0", "web-2", "web-1"});
  CHECK(sim.MaxUnavailable() == 1);
  CheckAllCurrent(sim, 3, "rev2");
  auto report = Report(p.out());
  CHECK(Replaced(report) == std::vector<std::string>{"web-0", "web-2", "web-1"});
  CHECK(std::string(report["revision"].GetString()) == "web-rev2");
  // Every delete carried the uid precondition of the pod it meant.
  for (const auto& r : server.Requests())
    if (r.method == "DELETE") CHECK(r.status == 200);
  // The lease was released.
  kube::JsonDoc lease = kube::ParseJson(server.Object(kLeasePath), "lease");
  CHECK(kube::GetString(lease, {"spec", "holderIdentity"}).empty());

  SECTION("a second run changes nothing and ends at once") {
    server.ClearRequests();
    RollProcess again(dir, kc, Args({}), "again");
    REQUIRE(again.Wait() == 0);
    CHECK(sim.Deletions().empty());
    CHECK(Replaced(Report(again.out())).empty());
  }
  SECTION("JSON lines: one object per line with time, level, msg; pod lines carry pod, phase, ready, reason") {
    int pod_lines = 0, deleting = 0;
    for (const auto& line : Split(p.err(), '\n', true)) {
      rapidjson::Document d;
      d.Parse(line.c_str());
      INFO(line);
      REQUIRE(!d.HasParseError());
      REQUIRE(d.IsObject());
      CHECK(d.HasMember("time"));
      CHECK(d.HasMember("level"));
      CHECK(d.HasMember("msg"));
      if (d.HasMember("pod") && d.HasMember("phase") && d.HasMember("ready") && d.HasMember("reason")) ++pod_lines;
      if (d.HasMember("msg") && std::string(d["msg"].GetString()) == "deleting pod") ++deleting;
    }
    CHECK(pod_lines >= 9);  // each pod: deleted, Pending, Running, Ready at least
    CHECK(deleting == 3);
  }
}

TEST_CASE("roll: max unavailable 2 replaces two at a time and never more", "[roll]") {
  KubeTestServer server;
  SimOptions so;
  so.replicas = 5;
  ClusterSim sim(server, so);
  TempDir dir;
  std::string kc = WriteKubeconfig(dir, server);
  sim.Upgrade("rev2");
  RollProcess p(dir, kc, Args({"--max-unavailable", "2"}));
  int code = p.Wait();
  INFO(p.err());
  REQUIRE(code == 0);
  auto del = sim.Deletions();
  REQUIRE(del.size() == 5);
  CHECK(del[0] == "web-0");
  CHECK(sim.MaxUnavailable() == 2);
  CheckAllCurrent(sim, 5, "rev2");
}

TEST_CASE("roll: the capstan.dev/roll-max-unavailable annotation sets the budget", "[roll]") {
  KubeTestServer server;
  SimOptions so;
  so.replicas = 4;
  so.ordered = false;
  so.max_unavailable_annotation = "3";
  ClusterSim sim(server, so);
  TempDir dir;
  std::string kc = WriteKubeconfig(dir, server);
  sim.Upgrade("rev2");
  RollProcess p(dir, kc, Args({}));
  REQUIRE(p.Wait() == 0);
  auto del = sim.Deletions();
  REQUIRE(del.size() == 4);
  CHECK(del[0] == "web-3");  // not ordered: highest first, pod 0 last
  CHECK(del[3] == "web-0");
  CHECK(sim.MaxUnavailable() == 3);
}

TEST_CASE("roll: pod 0 never Ready times out naming pod 0, pods 1 and 2 untouched", "[roll]") {
  KubeTestServer server;
  ClusterSim sim(server, {});
  TempDir dir;
  std::string kc = WriteKubeconfig(dir, server);
  sim.Script(0, PodOutcome::kNeverReady);
  sim.Upgrade("rev2");
  RollProcess p(dir, kc, {"web", "--timeout", "2s", "--log-format", "json"});
  int code = p.Wait();
  INFO(p.err());
  CHECK(code == 1);
  CHECK(p.elapsed() >= std::chrono::milliseconds(1900));
  CHECK_THAT(p.out(), Catch::Contains("timed out after 2") && Catch::Contains("web-0"));
  CHECK_THAT(p.err(), Catch::Contains("Readiness probe failed"));  // the Warning event was shown
  CHECK(sim.Deletions() == std::vector<std::string>{"web-0"});
  CHECK(sim.Revision(1) == "web-rev1");
  CHECK(sim.Revision(2) == "web-rev1");
}

TEST_CASE("roll: pod 0 that cannot start fails fast naming pod, container and reason", "[roll]") {
  struct Case {
    PodOutcome outcome;
    std::string reason, container;
  };
  for (const Case& c : {Case{PodOutcome::kCrashLoop, "CrashLoopBackOff", "app"},
                        Case{PodOutcome::kImagePull, "ImagePull", "app"},  // ErrImagePull or ImagePullBackOff
                        Case{PodOutcome::kUnschedulable, "Unschedulable", ""}}) {
    INFO(c.reason);
    KubeTestServer server;
    ClusterSim sim(server, {});
    TempDir dir;
    std::string kc = WriteKubeconfig(dir, server);
    sim.Script(0, c.outcome);
    sim.Upgrade("rev2");
    RollProcess p(dir, kc, Args({"--unschedulable-grace", "300ms", "--crashloop-restarts", "3"}));
    int code = p.Wait();
    INFO(p.err());
    CHECK(code == 1);
    CHECK(p.elapsed() < std::chrono::seconds(10));  // the timeout is 30s
    auto report = Report(p.out());
    CHECK(std::string(report["pod"].GetString()) == "web-0");
    CHECK_THAT(std::string(report["reason"].GetString()), Catch::Contains(c.reason));
    CHECK(std::string(report["container"].GetString()) == c.container);
    std::string msg = report["message"].GetString();
    CHECK_THAT(msg, Catch::Contains("pod web-0") && Catch::Contains(c.reason));
    if (!c.container.empty()) CHECK_THAT(msg, Catch::Contains("container app"));
    CHECK(sim.Deletions() == std::vector<std::string>{"web-0"});
    CHECK(sim.Revision(1) == "web-rev1");
    CHECK(sim.Revision(2) == "web-rev1");
  }
}

TEST_CASE("roll: after a rollback the failing pod of the bad revision is replaced, even before the controller observes", "[roll]") {
  KubeTestServer server;
  SimOptions so;
  so.observe_delay = std::chrono::milliseconds(1500);  // a busy controller: the driver starts before it observes
  ClusterSim sim(server, so);
  TempDir dir;
  std::string kc = WriteKubeconfig(dir, server);
  sim.Script(0, PodOutcome::kImagePull);
  sim.Upgrade("rev2");
  RollProcess failed(dir, kc, Args({}), "failed");
  REQUIRE(failed.Wait() == 1);
  REQUIRE(sim.Revision(0) == "web-rev2");
  // helm rollback: the old template again. Until the controller observes it, updateRevision still names rev2, whose
  // pod 0 cannot pull its image: that is not a reason to stop, it is the pod the rollback replaces.
  sim.Script(0, PodOutcome::kReady);
  server.ClearRequests();
  sim.Upgrade("rev1");
  RollProcess rollback(dir, kc, Args({}), "rollback");
  int code = rollback.Wait();
  INFO(rollback.err());
  REQUIRE(code == 0);
  CHECK(sim.Deletions() == std::vector<std::string>{"web-0"});
  CheckAllCurrent(sim, 3, "rev1");
}

TEST_CASE("roll: the pods watch drops mid-rollout and the resume gets 410: the driver relists and finishes", "[roll]") {
  for (bool as_http : {false, true}) {
    INFO("410 as HTTP status: " << as_http);
    KubeTestServer server;
    server.WatchGoneAsHttp(as_http);
    ClusterSim sim(server, {});
    TempDir dir;
    std::string kc = WriteKubeconfig(dir, server);
    sim.Upgrade("rev2");
    RollProcess p(dir, kc, Args({}));
    REQUIRE(Eventually([&] { return sim.Deletions().size() >= 1; }));
    server.CompactHistory();
    server.DropWatches("/pods");
    int code = p.Wait();
    INFO(p.err());
    REQUIRE(code == 0);
    CHECK(sim.Deletions() == std::vector<std::string>{"web-0", "web-2", "web-1"});
    int gone = 0, pod_lists = 0;
    for (const auto& r : server.Requests()) {
      if (r.resource == "pods" && r.verb == "watch" && r.status == 410) ++gone;
      if (r.resource == "pods" && r.verb == "list") ++pod_lists;
    }
    CHECK(gone >= 1);
    CHECK(pod_lists >= 2);
    CHECK_THAT(p.err(), Catch::Contains("relisting"));
  }
}

TEST_CASE("roll: a live lease holder makes the driver wait, the expired lease is taken over", "[roll]") {
  KubeTestServer server;
  ClusterSim sim(server, {});
  TempDir dir;
  std::string kc = WriteKubeconfig(dir, server);
  kube::Client client(TestConfig(server), FastOptions());
  const kube::Kind& lease_kind = kube::LookupKind("Lease");
  server.Put(kLeasePath, R"({"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"capstan-roll-web",
      "namespace":"shop"},"spec":{"holderIdentity":"other-driver","leaseDurationSeconds":1,"leaseTransitions":4,
      "renewTime":"2026-01-01T00:00:00.000000Z"}})");
  sim.Upgrade("rev2");
  RollProcess p(dir, kc, {"web", "--timeout", "30s", "--lease-duration", "1s", "--log-format", "json", "-o", "json"});
  // The other holder renews for 2 s: nothing may be deleted meanwhile.
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (std::chrono::steady_clock::now() < until) {
    kube::JsonDoc l = client.Get(lease_kind, "shop", "capstan-roll-web");
    kube::SetString(l["spec"], "renewTime", std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()),
                    l.GetAllocator());
    client.Update(lease_kind, "shop", "capstan-roll-web", l);
    CHECK(sim.Deletions().empty());
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  CHECK(sim.Deletions().empty());
  int code = p.Wait();
  INFO(p.err());
  REQUIRE(code == 0);
  CHECK_THAT(p.err(), Catch::Contains("waiting for the lease held by other-driver"));
  CHECK_THAT(p.err(), Catch::Contains("taking over the expired lease"));
  CHECK(sim.Deletions() == std::vector<std::string>{"web-0", "web-2", "web-1"});
  kube::JsonDoc lease = kube::ParseJson(server.Object(kLeasePath), "lease");
  CHECK(kube::GetIntOr(lease, {"spec", "leaseTransitions"}, 0) == 5);
}

TEST_CASE("roll: a lease held until the timeout fails with the holder's name", "[roll]") {
  KubeTestServer server;
  ClusterSim sim(server, {});
  TempDir dir;
  std::string kc = WriteKubeconfig(dir, server);
  server.Put(kLeasePath, R"({"metadata":{"name":"capstan-roll-web"},"spec":{"holderIdentity":"busy-7","leaseDurationSeconds":60}})");
  sim.Upgrade("rev2");
  RollProcess p(dir, kc, {"web", "--timeout", "1s"});
  CHECK(p.Wait() == 1);
  CHECK_THAT(p.out(), Catch::Contains("waiting for the lease") && Catch::Contains("busy-7"));
  CHECK(sim.Deletions().empty());
}

TEST_CASE("roll: two drivers at once: only one deletes, no pod deleted twice", "[roll]") {
  KubeTestServer server;
  ClusterSim sim(server, {});
  TempDir dir;
  std::string kc = WriteKubeconfig(dir, server);
  sim.Upgrade("rev2");
  RollProcess a(dir, kc, Args({}), "a");
  RollProcess b(dir, kc, Args({}), "b");
  int ca = a.Wait(), cb = b.Wait();
  INFO(a.err() << "\n----\n" << b.err());
  CHECK(ca == 0);
  CHECK(cb == 0);
  CHECK(sim.Deletions() == std::vector<std::string>{"web-0", "web-2", "web-1"});
  auto ra = Replaced(Report(a.out())), rb = Replaced(Report(b.out()));
  CHECK(ra.size() + rb.size() == 3);
  CHECK((ra.empty() || rb.empty()));  // one driver did all of it; the other waited, then found nothing to do
  CheckAllCurrent(sim, 3, "rev2");
}

TEST_CASE("roll: a driver killed halfway: the next run replaces only what is left, after the lease expires",
          "[roll]") {
  KubeTestServer server;
  ClusterSim sim(server, {});
  TempDir dir;
  std::string kc = WriteKubeconfig(dir, server);
  // Hold the DELETE of pod 1 back (503, retried), so the first driver is killed with pods 0 and 2 replaced.
  Fault hold;
  hold.method = "DELETE";
  hold.path_contains = "/pods/web-1";
  hold.count = 1000;
  hold.status = 503;
  hold.reason = "ServiceUnavailable";
  server.AddFault(hold);
  sim.Upgrade("rev2");
  RollProcess first(dir, kc, Args({}), "first");
  REQUIRE(Eventually([&] { return sim.Deletions().size() == 2 && sim.Ready(2) && sim.Revision(2) == "web-rev2"; }));
  REQUIRE(Eventually([&] {
    for (const auto& r : server.Requests())
      if (r.method == "DELETE" && r.path.find("web-1") != std::string::npos) return true;
    return false;
  }));
  first.Signal(SIGKILL);
  CHECK(first.Wait() == 128 + SIGKILL);
  server.ClearFaults();
  CHECK(sim.Deletions() == std::vector<std::string>{"web-0", "web-2"});
  RollProcess second(dir, kc, Args({}), "second");
  int code = second.Wait();
  INFO(second.err());
  REQUIRE(code == 0);
  CHECK(Replaced(Report(second.out())) == std::vector<std::string>{"web-1"});
  CHECK(sim.Deletions() == std::vector<std::string>{"web-0", "web-2", "web-1"});
  CHECK_THAT(second.err(), Catch::Contains("waiting for the lease held by"));
  kube::JsonDoc lease = kube::ParseJson(server.Object(kLeasePath), "lease");
  CHECK(kube::GetIntOr(lease, {"spec", "leaseTransitions"}, 0) == 1);
  CheckAllCurrent(sim, 3, "rev2");
}

TEST_CASE("roll: SIGTERM stops the driver with exit 3 and a message", "[roll]") {
  KubeTestServer server;
  ClusterSim sim(server, {});
  TempDir dir;
  std::string kc = WriteKubeconfig(dir, server);
  sim.Script(0, PodOutcome::kNeverReady);
  sim.Upgrade("rev2");
  RollProcess p(dir, kc, Args({}));
  REQUIRE(Eventually([&] { return sim.Deletions().size() == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  p.Signal(SIGTERM);
  CHECK(p.Wait(std::chrono::seconds(10)) == 3);
  CHECK_THAT(p.out(), Catch::Contains("interrupted by") && Catch::Contains("run capstan roll web again"));
  // The lease was released on the way out.
  kube::JsonDoc lease = kube::ParseJson(server.Object(kLeasePath), "lease");
  CHECK(kube::GetString(lease, {"spec", "holderIdentity"}).empty());
}

TEST_CASE("roll: text on a terminal is readable, with totals", "[roll]") {
  KubeTestServer server;
  ClusterSim sim(server, {});
  TempDir dir;
  std::string kc = WriteKubeconfig(dir, server);
  sim.Upgrade("rev2");
  TerminalOptions to;
  to.unset_env = {"KUBERNETES_SERVICE_HOST"};
  to.timeout = std::chrono::seconds(60);
  auto r = RunAtTerminal({Binary("capstan"), "roll", "web", "--kubeconfig", kc, "--timeout", "30s"}, to);
  INFO(r.screen);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.screen, Catch::Contains("deleting pod web-0 (revision web-rev1 -> web-rev2)"));
  CHECK_THAT(r.screen, Catch::Contains("pod web-0: Running, Ready"));
  CHECK_THAT(r.screen, Catch::Contains("3/3 pods current"));
  CHECK_THAT(r.screen, Catch::Contains("1/3 pods current, ETA"));
  CHECK_THAT(r.screen, Catch::Contains("rolled out: StatefulSet web: all 3 pods current and Ready"));
  CHECK(r.screen.find("{\"time\"") == std::string::npos);
}

TEST_CASE("roll: usage errors and a missing StatefulSet", "[roll]") {
  KubeTestServer server;
  TempDir dir;
  std::string kc = WriteKubeconfig(dir, server);
  auto r = Run({Binary("capstan"), "roll", "--kubeconfig", kc});
  CHECK(r.exit_code == 2);
  RollProcess p(dir, kc, {"nope", "--timeout", "5s"});
  CHECK(p.Wait() == 1);
  CHECK_THAT(p.out(), Catch::Contains("StatefulSet 'nope' not found in namespace 'shop'"));
}

TEST_CASE("roll: a driver that loses its lease stops deleting and exits 1", "[roll]") {
  KubeTestServer server;
  ClusterSim sim(server, {});
  TempDir dir;
  std::string kc = WriteKubeconfig(dir, server);
  sim.Script(0, PodOutcome::kNeverReady);  // the rollout waits on pod 0 while the lease is stolen
  sim.Upgrade("rev2");
  RollProcess p(dir, kc, Args({}));
  REQUIRE(Eventually([&] { return sim.Deletions().size() == 1; }));
  kube::Client client(TestConfig(server), FastOptions());
  kube::JsonDoc l = client.Get(kube::LookupKind("Lease"), "shop", "capstan-roll-web");
  kube::SetString(l["spec"], "holderIdentity", "thief-1", l.GetAllocator());
  client.Update(kube::LookupKind("Lease"), "shop", "capstan-roll-web", l);
  int code = p.Wait(std::chrono::seconds(20));
  INFO(p.err());
  CHECK(code == 1);
  CHECK(p.elapsed() < std::chrono::seconds(10));
  CHECK_THAT(p.out(), Catch::Contains("lost the lease shop/capstan-roll-web") && Catch::Contains("thief-1"));
  CHECK(sim.Deletions() == std::vector<std::string>{"web-0"});
  // The thief's lease is left alone.
  kube::JsonDoc after = kube::ParseJson(server.Object(kLeasePath), "lease");
  CHECK(kube::GetString(after, {"spec", "holderIdentity"}) == "thief-1");
}
