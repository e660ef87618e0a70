// The RBAC rules in lib/kube/rbac.cc (printed by `capstan rbac`, listed in docs/rbac.md) are exactly what the hooks
// call: every request made by verify (with its record), check-upgrade, record, the wait kinds, roll (a whole
// rollout on the simulated cluster, kube/cluster_sim.h) and the volume snapshots of backup and restore
// (kube/snapshot_sim.h) is allowed by the
// rules of that hook, and every rule is used by some request. docs/rbac.md holds the same Role as `capstan rbac`.
#include <catch2/catch.hpp>

#include <set>

#include "kube/rbac.h"
#include "kube/wait_probes.h"
#include "release/record.h"
#include "upgrade/policy.h"
#include "upgrade/run.h"
#include "verify/verify.h"
#include "wait/condition.h"
#include "kube/cluster_sim.h"
#include "kube/kube_test_server.h"
#include "roll/roll.h"
#include "kube/snapshot_sim.h"
#include "snapshot/restore_claim.h"
#include "snapshot/volume_snapshot.h"

using namespace capstan;
using namespace capstan::test;

namespace {

struct Seen {
  std::string hook, group, resource, verb;
  bool operator<(const Seen& o) const {
    return std::tie(hook, group, resource, verb) < std::tie(o.hook, o.group, o.resource, o.verb);
  }
};

void PutRelease(KubeTestServer& s) {
  const std::string labels = R"("labels":{"app.kubernetes.io/instance":"portal","app.kubernetes.io/version":"1.0.0"})";
  s.Put("/apis/apps/v1/namespaces/shop/deployments/web", R"({"metadata":{"name":"web","generation":1,)" + labels +
                                                             R"(},"spec":{"replicas":1},"status":{"observedGeneration":1,"replicas":1,"updatedReplicas":1,"availableReplicas":1}})");
  s.Put("/apis/apps/v1/namespaces/shop/statefulsets/db", R"({"metadata":{"name":"db","generation":1,)" + labels +
                                                             R"(},"spec":{"replicas":1},"status":{"observedGeneration":1,"readyReplicas":1,"currentRevision":"a","updateRevision":"a"}})");
  s.Put("/apis/apps/v1/namespaces/shop/daemonsets/agent", R"({"metadata":{"name":"agent","generation":1,)" + labels +
                                                              R"(},"spec":{},"status":{"observedGeneration":1,"desiredNumberScheduled":1,"updatedNumberScheduled":1,"numberAvailable":1}})");
  s.Put("/apis/batch/v1/namespaces/shop/jobs/migrate", R"({"metadata":{"name":"migrate"},"status":{"succeeded":1,
      "conditions":[{"type":"Complete","status":"True"}]}})");
}

}  // namespace

TEST_CASE("rbac: the declared rules are exactly the requests the hooks make", "[kube][rbac]") {
  KubeTestServer server;
  PutRelease(server);
  std::set<Seen> seen;
  auto collect = [&](const std::string& hook) {
    for (const auto& q : server.Requests()) {
      INFO(hook << ": " << q.method << " " << q.path << " -> " << q.verb);
      CHECK(kube::RbacAllows({hook}, q.group, q.resource, q.verb));
      seen.insert({hook, q.group, q.resource, q.verb});
    }
    server.ClearRequests();
  };
  kube::Client client(TestConfig(server), FastOptions());

  // verify: a rollout that is not ready at first (so pods are listed), then the record written (create + update).
  {
    verify::VerifyOptions o;
    o.ns = "shop";
    o.release = "portal";
    o.timeout = std::chrono::milliseconds(200);
    o.interval = std::chrono::milliseconds(50);
    server.Put("/apis/apps/v1/namespaces/shop/deployments/slow",
               R"({"metadata":{"name":"slow","generation":2,"labels":{"app.kubernetes.io/instance":"portal"}},"spec":{},"status":{"observedGeneration":1}})");
    auto report = verify::RunVerify(client, o);
    CHECK_FALSE(report.ok());
    server.Remove("/apis/apps/v1/namespaces/shop/deployments/slow");
    report = verify::RunVerify(client, o);
    CHECK(report.ok());
    for (int rev : {1, 2})
      release::UpdateRecord(client, "shop", "portal", [&](release::ReleaseRecord& r) {
        release::UpsertEntry(r, rev, {{"outcome", "verified"}, {"chartVersion", "1.0.0"}}, 20);
      });
    collect("verify");
  }
  // record: as `capstan record` does it.
  {
    release::UpdateRecord(client, "shop", "other", [](release::ReleaseRecord& r) { release::UpsertEntry(r, 1, {}, 20); });
    release::UpdateRecord(client, "shop", "other", [](release::ReleaseRecord& r) { release::UpsertEntry(r, 1, {{"restorePoint", "x"}}, 20); });
    collect("record");
  }
  // check-upgrade: record and one component of each workload kind.
  {
    auto policy = upgrade::ParsePolicy(R"(components:
  - {name: web, order: 1, version: '1.0.0', deployed: {kind: Deployment, name: web}}
  - {name: db, order: 2, version: '1.0.0', deployed: {kind: StatefulSet, name: db}}
  - {name: agent, order: 3, version: '1.0.0', deployed: {kind: DaemonSet, name: agent}}
)", "policy");
    auto d = upgrade::CheckUpgradeInCluster(client, "shop", "portal", policy, "1.0.1");
    CHECK(d.findings.empty());
    collect("check-upgrade");
  }
  // wait: job: and rollout: kinds.
  {
    kube::AttachWaitProbes([&] { return std::make_unique<kube::Client>(TestConfig(server), FastOptions()); });
    wait::AttemptContext ctx;
    ctx.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (const char* c : {"job:migrate (namespace=shop)", "rollout:deployment/web (namespace=shop)",
                          "rollout:statefulset/db (namespace=shop)", "rollout:daemonset/agent (namespace=shop)"}) {
      auto cond = wait::ParseCondition(c);
      INFO(c);
      CHECK(cond->Check(ctx).held);
    }
    collect("wait");
  }
  // roll: a whole rollout (lease create, renew, release; watches; deletes), on a set whose pods the sim replaces.
  {
    ClusterSim sim(server, {});
    sim.Upgrade("rev2");
    server.ClearRequests();
    roll::RollOptions o;
    o.ns = "shop";
    o.statefulset = "web";
    o.timeout = std::chrono::seconds(30);
    o.lease_duration = std::chrono::seconds(1);  // renewed within the rollout
    o.handle_signals = false;
    auto report = roll::RunRoll(client, o);
    INFO(report.message);
    CHECK(report.exit_code == 0);
    CHECK(report.replaced.size() == 3);
    collect("roll");  // the sim writes to the server's objects directly: only the driver's requests are recorded
  }
  // backup --snapshot-pvc: the claim read, the snapshot created and watched until ready; retention deletes it.
  // restore --restore-snapshots-as: the snapshot read, the new claim checked and created.
  {
    SnapshotSim sim(server, {});
    sim.AddClaim("data");
    server.ClearRequests();
    snapshot::SnapshotRequest q;
    q.ns = "shop";
    q.pvc = "data";
    q.point_id = "20261207T153000Z";
    auto rec = snapshot::CreateSnapshot(client, q);
    snapshot::WaitReady(client, rec, std::chrono::seconds(10));
    snapshot::DeleteSnapshot(client, "shop", rec.name);
    collect("backup");
    rec.name = snapshot::CreateSnapshot(client, q).name;
    snapshot::WaitReady(client, rec, std::chrono::seconds(10));
    server.ClearRequests();
    snapshot::RestoreClaim(client, rec, "restored", false);
    collect("restore");
  }
  // Every declared rule was used.
  for (const auto& rule : kube::HookRbacRules())
    for (const auto& res : rule.resources)
      for (const auto& verb : rule.verbs) {
        INFO("declared but never called: " << rule.hook << " " << rule.group << "/" << res << " " << verb);
        CHECK(seen.count({rule.hook, rule.group, res, verb}) == 1);
      }
}

TEST_CASE("rbac: docs/rbac.md shows the Role `capstan rbac` prints", "[kube][rbac]") {
  std::string doc = Slurp(SourceDir() + "/docs/rbac.md");
  CHECK_THAT(doc, Catch::Contains(kube::RenderRole({}, "capstan-hooks", "")));
  for (const auto& hook : kube::RbacHooks()) {
    INFO(hook);
    CHECK_THAT(doc, Catch::Contains(kube::RenderRole({hook}, "capstan-" + hook, "")));
  }
  auto r = Run({Binary("capstan"), "rbac", "--hook", "verify", "-n", "shop"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == kube::RenderRole({"verify"}, "capstan-hooks", "shop"));
  auto bad = Run({Binary("capstan"), "rbac", "--hook", "verfy"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("unknown hook 'verfy'"));
}

TEST_CASE("wait kinds: job and rollout conditions parse, canonicalise and wait", "[kube][rbac]") {
  KubeTestServer server;
  PutRelease(server);
  kube::AttachWaitProbes([&] { return std::make_unique<kube::Client>(TestConfig(server), FastOptions()); });
  CHECK(wait::ParseCondition("rollout:deploy/web")->ToArg() == "rollout:deployment/web");
  CHECK(wait::ParseCondition("job:migrate (namespace=shop)")->ToArg() == "job:migrate (namespace=shop)");
  CHECK_THROWS_WITH(wait::ParseCondition("rollout:configmap/x"), Catch::Contains("deployment/, statefulset/ or daemonset/"));
  CHECK_THROWS_WITH(wait::ParseCondition("rollout:web"), Catch::Contains("rollout:KIND/NAME"));
  CHECK_THROWS_WITH(wait::ParseCondition("job:Bad_Name"), Catch::Contains("object name"));
  wait::AttemptContext ctx;
  ctx.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  auto missing = wait::ParseCondition("job:nope")->Check(ctx);  // namespace from the client: shop
  CHECK_FALSE(missing.held);
  CHECK_THAT(missing.detail, Catch::Contains("Job shop/nope does not exist (yet)"));
  server.Put("/apis/batch/v1/namespaces/shop/jobs/broken", R"({"metadata":{"name":"broken"},"status":{"failed":3,
      "conditions":[{"type":"Failed","status":"True","reason":"BackoffLimitExceeded"}]}})");
  CHECK_THROWS_WITH(wait::ParseCondition("job:broken")->Check(ctx), Catch::Contains("BackoffLimitExceeded"));
  server.Forbid("get", "jobs");
  CHECK_THROWS_WITH(wait::ParseCondition("job:migrate")->Check(ctx), Catch::Contains("cannot 'get' 'jobs'"));
}
