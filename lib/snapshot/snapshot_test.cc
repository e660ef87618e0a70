// CSI volume snapshots against the local TLS API test server with the simulated snapshot controller
// (tests/kube/snapshot_sim.h): real snapshot.storage.k8s.io/v1 shapes, readyToUse false -> true, status.error from
// the controller (missing class, no default class, driver failure), a transient conflict waited out, a cluster
// without the CRDs (404 on the API group), a missing or unbound claim, RBAC denials, a watch dropped and expired
// (410) while waiting, a timeout, deletion (404 tolerated), and claims created from snapshots.
#include <catch2/catch.hpp>

#include "kube/kube_test_server.h"
#include "kube/snapshot_sim.h"
#include "snapshot/cleanup.h"
#include "snapshot/quantity.h"
#include "snapshot/restore_claim.h"
#include "snapshot/volume_snapshot.h"

using namespace capstan;
using namespace capstan::test;
using namespace std::chrono_literals;

namespace {

snapshot::SnapshotRequest Request(const std::string& pvc, const std::string& cls = "") {
  snapshot::SnapshotRequest q;
  q.ns = "shop";
  q.pvc = pvc;
  q.class_name = cls;
  q.release = "portal";
  q.point_id = "20261207T153000Z";
  return q;
}

backup::VolumeSnapshotRecord Take(kube::Client& client, const snapshot::SnapshotRequest& q,
                                  std::chrono::milliseconds timeout = 10s) {
  auto r = snapshot::CreateSnapshot(client, q);
  snapshot::WaitReady(client, r, timeout);
  return r;
}

std::string Message(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("snapshot: quantities in bytes", "[snapshot]") {
  CHECK(*snapshot::QuantityBytes("10Gi") == 10.0L * 1073741824);
  CHECK(*snapshot::QuantityBytes("500M") == 5e8L);
  CHECK(*snapshot::QuantityBytes("1.5Ti") == 1.5L * 1099511627776.0L);
  CHECK(*snapshot::QuantityBytes("1073741824") == 1073741824.0L);
  CHECK(*snapshot::QuantityBytes("1e9") == 1e9L);
  CHECK(*snapshot::QuantityBytes("10Gi") > *snapshot::QuantityBytes("10G"));
  CHECK_FALSE(snapshot::QuantityBytes("ten"));
  CHECK_FALSE(snapshot::QuantityBytes("10Xi"));
  CHECK_FALSE(snapshot::QuantityBytes(""));
}

TEST_CASE("snapshot: names and labels", "[snapshot]") {
  CHECK(snapshot::SnapshotName("portal-shared", "20261207T153000Z") == "portal-shared-20261207t153000z");
  CHECK(snapshot::SnapshotName(std::string(260, 'a'), "20261207T153000Z-2").size() <= 253);
  CHECK(snapshot::RestoredClaimName("portal-shared", "restored") == "portal-shared-restored");
  CHECK_THROWS_WITH(snapshot::RestoredClaimName("portal-shared", "Bad_Suffix"), Catch::Contains("not a valid"));
  CHECK_THROWS_WITH(snapshot::RestoredClaimName("portal-shared", ""), Catch::Contains("not a valid"));
}

TEST_CASE("snapshot: taken, readyToUse false then true, recorded with the claim's spec", "[snapshot]") {
  KubeTestServer server;
  SnapshotSim sim(server, {});
  sim.AddClaim("portal-shared", "20Gi", "csi-rbd");
  kube::Client client(TestConfig(server), FastOptions());
  auto q = Request("portal-shared", "csi-snapclass");
  auto r = snapshot::CreateSnapshot(client, q);
  CHECK(r.name == "portal-shared-20261207t153000z");
  CHECK_FALSE(r.ready_to_use);
  std::string created = server.Object(SnapshotSim::SnapshotPath("shop", r.name));
  kube::JsonDoc d = kube::ParseJson(created, "snapshot");
  CHECK(kube::GetString(d, {"apiVersion"}) == "snapshot.storage.k8s.io/v1");
  CHECK(kube::GetString(d, {"spec", "source", "persistentVolumeClaimName"}) == "portal-shared");
  CHECK(kube::GetString(d, {"spec", "volumeSnapshotClassName"}) == "csi-snapclass");
  CHECK(kube::GetString(d, {"metadata", "labels", "capstan.dev/release"}) == "portal");
  CHECK(kube::GetString(d, {"metadata", "labels", "capstan.dev/restore-point"}) == "20261207T153000Z");
  CHECK(kube::GetString(d, {"metadata", "labels", "app.kubernetes.io/managed-by"}) == "capstan");
  snapshot::WaitReady(client, r, 10s);
  CHECK(r.ready_to_use);
  CHECK(r.restore_size == "20Gi");
  CHECK(r.content_name.rfind("snapcontent-", 0) == 0);
  CHECK_FALSE(r.creation_time.empty());
  CHECK(r.pvc_storage_class == "csi-rbd");
  CHECK(r.pvc_size == "20Gi");
  CHECK(r.pvc_volume_mode == "Filesystem");
  CHECK(r.pvc_access_modes == std::vector<std::string>{"ReadWriteMany"});
  const std::string content_path = "/apis/snapshot.storage.k8s.io/v1/volumesnapshotcontents/" + r.content_name;
  kube::JsonDoc content = kube::ParseJson(server.Object(content_path), "content");
  CHECK(kube::GetString(content, {"spec", "volumeSnapshotRef", "name"}) == r.name);
  CHECK(kube::GetInt(content, {"status", "restoreSize"}) == 20LL * 1024 * 1024 * 1024);
  // Deleting the snapshot takes its content along (deletionPolicy Delete).
  CHECK(snapshot::DeleteSnapshot(client, "shop", r.name));
  for (int i = 0; i < 200 && !server.Object(content_path).empty(); ++i) std::this_thread::sleep_for(10ms);
  CHECK(server.Object(content_path).empty());
  // The requests: the claim read, the snapshot created, then listed and watched by name, and deleted.
  std::set<std::string> verbs;
  for (const auto& req : server.Requests()) verbs.insert(req.verb + " " + req.resource);
  CHECK(verbs == std::set<std::string>{"get persistentvolumeclaims", "create volumesnapshots", "list volumesnapshots",
                                       "watch volumesnapshots", "delete volumesnapshots"});
}

TEST_CASE("snapshot: the default class, and a transient controller conflict is waited out", "[snapshot]") {
  KubeTestServer server;
  SnapshotSim sim(server, {});
  sim.AddClaim("data");
  sim.Script("data", SnapshotOutcome::kTransientConflict);
  kube::Client client(TestConfig(server), FastOptions());
  auto r = snapshot::CreateSnapshot(client, Request("data"));
  // The conflict shows first; the sim then makes it ready.
  std::thread later([&] {
    std::this_thread::sleep_for(600ms);
    std::string path = SnapshotSim::SnapshotPath("shop", r.name);
    kube::JsonDoc d = kube::ParseJson(server.Object(path), "snap");
    d.RemoveMember("status");
    std::string json = kube::ToJson(d);
    json.pop_back();
    server.PutIfExists(path, json + R"(,"status":{"readyToUse":true,"restoreSize":"10Gi","boundVolumeSnapshotContentName":"c1"}})");
  });
  CHECK_NOTHROW(snapshot::WaitReady(client, r, 10s));
  later.join();
  CHECK(r.ready_to_use);
  CHECK(kube::GetString(kube::ParseJson(server.Object(SnapshotSim::SnapshotPath("shop", r.name)), "s"),
                        {"spec", "volumeSnapshotClassName"}) == "");
}

TEST_CASE("snapshot: status.error is a clear failure", "[snapshot]") {
  KubeTestServer server;
  SnapshotSimOptions so;
  so.default_class = "";
  SnapshotSim sim(server, so);
  sim.AddClaim("data");
  sim.AddClaim("busy");
  sim.Script("busy", SnapshotOutcome::kDriverError);
  kube::Client client(TestConfig(server), FastOptions());
  std::string missing = Message([&] { Take(client, Request("data", "gold")); });
  CHECK_THAT(missing, Catch::Contains("VolumeSnapshot 'data-20261207t153000z'") &&
                          Catch::Contains("\"gold\" not found") &&
                          Catch::Contains("VolumeSnapshotClass 'gold' does not exist") &&
                          Catch::Contains("--snapshot-class"));
  server.Remove(SnapshotSim::SnapshotPath("shop", "data-20261207t153000z"));
  std::string no_default = Message([&] { Take(client, Request("data")); });
  CHECK_THAT(no_default, Catch::Contains("no default VolumeSnapshotClass") && Catch::Contains("--snapshot-class"));
  std::string driver = Message([&] { Take(client, Request("busy", "csi-snapclass")); });
  CHECK_THAT(driver, Catch::Contains("failed: Failed to check and update snapshot content") &&
                         Catch::Contains("rbd: image is busy") && Catch::Contains("kubectl describe volumesnapshot"));
}

TEST_CASE("snapshot: no CRDs, no claim, an unbound claim, RBAC denials", "[snapshot]") {
  KubeTestServer server;
  SnapshotSim sim(server, {});
  sim.AddClaim("data");
  sim.AddClaim("pending", "1Gi", "csi-rbd", "Pending");
  kube::Client client(TestConfig(server), FastOptions());
  Fault crd;
  crd.path_contains = "/apis/snapshot.storage.k8s.io/";
  crd.status = 404;
  crd.reason = "NotFound";
  crd.message = "the server could not find the requested resource";
  server.AddFault(crd);
  std::string no_crd = Message([&] { snapshot::CreateSnapshot(client, Request("data")); });
  CHECK_THAT(no_crd, Catch::Contains("no CSI snapshot support") && Catch::Contains("external-snapshotter") &&
                         Catch::Contains("drop --snapshot-pvc"));
  server.AddFault(crd);
  CHECK_THROWS_WITH(snapshot::DeleteSnapshot(client, "shop", "x"), Catch::Contains("no CSI snapshot support"));
  CHECK_THROWS_WITH(snapshot::CreateSnapshot(client, Request("nope")),
                    Catch::Contains("PVC 'nope' does not exist in namespace 'shop'") &&
                        Catch::Contains("--snapshot-pvc"));
  CHECK_THROWS_WITH(snapshot::CreateSnapshot(client, Request("pending")), Catch::Contains("is Pending, not Bound"));
  CHECK_THROWS_WITH(snapshot::CreateSnapshot(client, Request("Bad_Name")), Catch::Contains("not a valid"));
  server.Forbid("create", "volumesnapshots");
  CHECK_THROWS_WITH(snapshot::CreateSnapshot(client, Request("data")),
                    Catch::Contains("cannot 'create' 'volumesnapshots' (API group 'snapshot.storage.k8s.io')") &&
                        Catch::Contains("hooks.backup.snapshots.enabled"));
  server.Forbid("get", "persistentvolumeclaims");
  CHECK_THROWS_WITH(snapshot::CreateSnapshot(client, Request("data")),
                    Catch::Contains("cannot 'get' 'persistentvolumeclaims'"));
}

TEST_CASE("snapshot: a watch denied by RBAC ends the wait with the rule to add", "[snapshot]") {
  KubeTestServer server;
  SnapshotSim sim(server, {});
  sim.AddClaim("data");
  kube::Client client(TestConfig(server), FastOptions());
  auto r = snapshot::CreateSnapshot(client, Request("data"));
  server.Forbid("list", "volumesnapshots");
  CHECK_THROWS_WITH(snapshot::WaitReady(client, r, 10s),
                    Catch::Contains("waiting for VolumeSnapshot") && Catch::Contains("cannot 'list' 'volumesnapshots'"));
}

TEST_CASE("snapshot: the wait survives a dropped watch and a 410 Gone", "[snapshot]") {
  for (bool as_http : {false, true}) {
    INFO("410 as HTTP: " << as_http);
    KubeTestServer server;
    server.WatchGoneAsHttp(as_http);
    SnapshotSimOptions so;
    so.step = 700ms;
    SnapshotSim sim(server, so);
    sim.AddClaim("data");
    kube::Client client(TestConfig(server), FastOptions());
    auto r = snapshot::CreateSnapshot(client, Request("data"));
    std::thread faults([&] {
      std::this_thread::sleep_for(300ms);
      server.DropWatches("volumesnapshots");
      std::this_thread::sleep_for(200ms);
      server.CompactHistory();
      server.DropWatches("volumesnapshots");
    });
    snapshot::WaitReady(client, r, 15s);
    faults.join();
    CHECK(r.ready_to_use);
    int lists = 0, watches = 0;
    for (const auto& req : server.Requests()) {
      lists += req.verb == "list" && req.resource == "volumesnapshots";
      watches += req.verb == "watch" && req.resource == "volumesnapshots";
    }
    CHECK(lists >= 2);  // relisted after the 410
    CHECK(watches >= 3);
  }
}

TEST_CASE("snapshot: a snapshot that never becomes ready times out, one deleted meanwhile is an error", "[snapshot]") {
  KubeTestServer server;
  SnapshotSim sim(server, {});
  sim.AddClaim("slow");
  sim.Script("slow", SnapshotOutcome::kNeverReady);
  kube::Client client(TestConfig(server), FastOptions());
  auto r = snapshot::CreateSnapshot(client, Request("slow"));
  CHECK_THROWS_WITH(snapshot::WaitReady(client, r, 1500ms),
                    Catch::Contains("is not ready after 1.5s") && Catch::Contains("bound to VolumeSnapshotContent") &&
                        Catch::Contains("--snapshot-timeout"));
  std::thread del([&] {
    std::this_thread::sleep_for(300ms);
    server.Remove(SnapshotSim::SnapshotPath("shop", r.name));
  });
  CHECK_THROWS_WITH(snapshot::WaitReady(client, r, 10s), Catch::Contains("was deleted while Capstan waited"));
  del.join();
}

TEST_CASE("snapshot: deleting tolerates 404, cleanup reports what was left", "[snapshot]") {
  KubeTestServer server;
  SnapshotSim sim(server, {});
  sim.AddClaim("data");
  kube::Client client(TestConfig(server), FastOptions());
  auto r = Take(client, Request("data"));
  CHECK(snapshot::DeleteSnapshot(client, "shop", r.name));
  CHECK(server.Object(SnapshotSim::SnapshotPath("shop", r.name)).empty());
  CHECK_FALSE(snapshot::DeleteSnapshot(client, "shop", r.name));
  // A name taken (a snapshot left behind with the same restore point id): the next free one.
  auto again = Take(client, Request("data"));
  auto third = Take(client, Request("data"));
  CHECK(again.name == r.name);
  CHECK(third.name == r.name + "-2");
  auto r2 = Take(client, [] {
    auto q = Request("data");
    q.point_id = "20261207T160000Z";
    return q;
  }());
  auto none = snapshot::DeleteRecorded(nullptr, {r2}, "no Kubernetes API access: no kubeconfig");
  CHECK(none.left == std::vector<std::string>{"shop/" + r2.name});
  CHECK(none.why_left == "no Kubernetes API access: no kubeconfig");
  server.Forbid("delete", "volumesnapshots");
  auto denied = snapshot::DeleteRecorded(&client, {r2}, "");
  CHECK(denied.left.size() == 1);
  CHECK_THAT(denied.why_left, Catch::Contains("cannot 'delete' 'volumesnapshots'"));
}

TEST_CASE("snapshot: a new claim from a snapshot, with the original's class, modes and at least restoreSize",
          "[snapshot]") {
  KubeTestServer server;
  SnapshotSim sim(server, {});
  sim.AddClaim("data", "5Gi");
  kube::Client client(TestConfig(server), FastOptions());
  auto r = Take(client, Request("data"));
  r.restore_size = "8Gi";  // a snapshot larger than the original request (the claim was expanded)
  server.PutIfExists(SnapshotSim::SnapshotPath("shop", r.name), [&] {
    std::string s = server.Object(SnapshotSim::SnapshotPath("shop", r.name));
    size_t p = s.find("\"restoreSize\":\"5Gi\"");
    REQUIRE(p != std::string::npos);
    return s.replace(p, 19, "\"restoreSize\":\"8Gi\"");
  }());
  auto dry = snapshot::RestoreClaim(client, r, "restored", true);
  CHECK_FALSE(dry.created);
  CHECK(dry.size == "8Gi");
  CHECK(server.Object(SnapshotSim::ClaimPath("shop", "data-restored")).empty());
  auto c = snapshot::RestoreClaim(client, r, "restored", false);
  CHECK(c.created);
  kube::JsonDoc d = kube::ParseJson(server.Object(SnapshotSim::ClaimPath("shop", "data-restored")), "pvc");
  CHECK(kube::GetString(d, {"spec", "dataSource", "kind"}) == "VolumeSnapshot");
  CHECK(kube::GetString(d, {"spec", "dataSource", "apiGroup"}) == "snapshot.storage.k8s.io");
  CHECK(kube::GetString(d, {"spec", "dataSource", "name"}) == r.name);
  CHECK(kube::GetString(d, {"spec", "storageClassName"}) == "csi-rbd");
  CHECK(kube::GetString(d, {"spec", "resources", "requests", "storage"}) == "8Gi");
  CHECK(kube::GetString(d, {"spec", "volumeMode"}) == "Filesystem");
  CHECK(kube::ToJson(*kube::Find(d, {"spec", "accessModes"})) == R"(["ReadWriteMany"])");
  CHECK_THROWS_WITH(snapshot::RestoreClaim(client, r, "restored", false),
                    Catch::Contains("PVC 'data-restored' already exists") && Catch::Contains("nothing is overwritten"));
  // A restore point without the claim's spec (older manifest): the original claim's is used.
  auto bare = r;
  bare.pvc_access_modes.clear();
  bare.pvc_size.clear();
  bare.pvc_storage_class.clear();
  auto c2 = snapshot::RestoreClaim(client, bare, "again", false);
  CHECK(c2.storage_class == "csi-rbd");
  CHECK(c2.size == "8Gi");
  CHECK(c2.access_modes == std::vector<std::string>{"ReadWriteMany"});
  // Gone or not ready: refused before anything is created.
  server.Remove(SnapshotSim::SnapshotPath("shop", r.name));
  CHECK_THROWS_WITH(snapshot::RestoreClaim(client, r, "third", false), Catch::Contains("no longer exists"));
}
