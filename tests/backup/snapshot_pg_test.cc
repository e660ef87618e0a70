// `capstan backup --snapshot-pvc` with the database (the PostgreSQL harness) and the local TLS API test server with
// the simulated snapshot controller: the snapshot is taken first, then the dump; the manifest records both; a
// restore brings the database back and creates the claim from the snapshot; a backup whose dump fails deletes the
// snapshot it took.
#include "backup_pg_fixture.h"
#include "kube/kube_test_server.h"
#include "kube/snapshot_sim.h"

using namespace capstan;
using namespace capstan::test;
using namespace capstan::test::backup_pg;

TEST_CASE("snapshots with the database: snapshot, dump, manifest, then a restore gives the database and a new claim",
          "[pg][snapshot]") {
  PgDatabase db("bk_snap");
  TempDir t;
  {
    auto c = db.Connect();
    Seed(c);
  }
  KubeTestServer server;
  SnapshotSim sim(server, {});
  sim.AddClaim("portal-shared", "50Gi", "csi-rbd");
  std::string kubeconfig = WriteKubeconfig(t, server);
  std::string root = t.path() + "/backups";
  std::string before = PlainDump(db);
  std::vector<std::string> kube = {"--kubeconfig", kubeconfig};
  std::vector<std::string> unset = {"KUBECONFIG", "CAPSTAN_NAMESPACE"};

  auto args = Args({"backup", "--release", "portal", "-n", "shop", "--snapshot-pvc", "portal-shared", "-o", "json"},
                   root);
  args.insert(args.end(), kube.begin(), kube.end());
  auto r = db.Capstan(args, {}, unset);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto summary = Json(r.out);
  const auto& m = summary["manifest"];
  REQUIRE(m["artifacts"].Size() == 1);
  CHECK(std::string(m["artifacts"][0]["kind"].GetString()) == "postgresql-dump");
  REQUIRE(m["volume_snapshots"].Size() == 1);
  const auto& v = m["volume_snapshots"][0];
  CHECK(std::string(v["pvc"].GetString()) == "portal-shared");
  CHECK(v["ready_to_use"].GetBool());
  CHECK(std::string(v["restore_size"].GetString()) == "50Gi");
  std::string snap = v["name"].GetString();
  // The snapshot was ready before the dump started (snapshots first).
  size_t ready = r.err.find("volume snapshot ready"), dumped = r.err.find("database dumped");
  REQUIRE(ready != std::string::npos);
  REQUIRE(dumped != std::string::npos);
  CHECK(ready < dumped);

  {
    auto c = db.Connect();
    c.ExecScript("UPDATE items SET name = 'changed' WHERE id < 100; DELETE FROM items WHERE id > 1500;");
  }
  auto rargs = Args({"restore", "--id", "latest", "--restore-snapshots-as", "restored", "-o", "json"}, root);
  rargs.insert(rargs.end(), kube.begin(), kube.end());
  auto rr = db.Capstan(rargs, {}, unset);
  INFO(rr.err);
  REQUIRE(rr.exit_code == 0);
  CHECK(PlainDump(db) == before);
  auto restored = Json(rr.out);
  REQUIRE(restored["claims"].Size() == 1);
  CHECK(std::string(restored["claims"][0]["name"].GetString()) == "portal-shared-restored");
  CHECK(restored["claims"][0]["created"].GetBool());
  std::string pvc = server.Object(SnapshotSim::ClaimPath("shop", "portal-shared-restored"));
  REQUIRE_FALSE(pvc.empty());
  kube::JsonDoc d = kube::ParseJson(pvc, "pvc");
  CHECK(kube::GetString(d, {"spec", "dataSource", "name"}) == snap);
  CHECK(kube::GetString(d, {"spec", "resources", "requests", "storage"}) == "50Gi");

  // A dump that fails (pg_dump missing) after the snapshot was taken: the snapshot is deleted, no restore point.
  size_t snapshots_before = server.Objects("/apis/snapshot.storage.k8s.io/v1/namespaces/shop/volumesnapshots/").size();
  auto bad = Args({"backup", "--release", "portal", "-n", "shop", "--snapshot-pvc", "portal-shared", "--pg-dump",
                   t.path() + "/no-pg_dump"}, root);
  bad.insert(bad.end(), kube.begin(), kube.end());
  auto f = db.Capstan(bad, {}, unset);
  CHECK(f.exit_code != 0);
  CHECK_THAT(f.err, Catch::Contains("deleting the volume snapshots just taken"));
  CHECK(server.Objects("/apis/snapshot.storage.k8s.io/v1/namespaces/shop/volumesnapshots/").size() ==
        snapshots_before);
  CHECK(CompleteIds(db, root).find(',') == std::string::npos);  // still one complete restore point
}
