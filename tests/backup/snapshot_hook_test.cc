// `capstan backup --snapshot-pvc` and `capstan restore --restore-snapshots-as` end to end, against the local TLS API
// test server with the simulated snapshot controller (tests/kube/snapshot_sim.h), without PostgreSQL
// (--no-database): the snapshots are taken and waited for, recorded in the manifest and shown by list and verify;
// a backup that fails afterwards (or whose snapshot fails) deletes them; retention deletes the snapshots of pruned
// restore points, and says which were left without API access; a restore creates new claims from them.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "backup/manifest.h"
#include "kube/kube_test_server.h"
#include "kube/snapshot_sim.h"
#include "support/test_support.h"
#include "util/file_io.h"

using namespace capstan;
using namespace capstan::test;

namespace {

struct Env {
  KubeTestServer server;
  SnapshotSim sim{server, {}};
  TempDir t;
  std::string kubeconfig = WriteKubeconfig(t, server);
  std::string root = t.path() + "/backups";
  std::string data = t.path() + "/data";
  Env() {
    sim.AddClaim("portal-shared", "20Gi", "csi-rbd");
    ::mkdir(data.c_str(), 0755);
    t.Write("data/a.txt", "hello\n");
  }
  ProcessResult Capstan(std::vector<std::string> args) {
    args.insert(args.begin(), Binary("capstan"));
    ProcessOptions o;
    o.unset_env = {"KUBECONFIG", "CAPSTAN_NAMESPACE", "CAPSTAN_BACKUP_ROOT", "KUBERNETES_SERVICE_HOST"};
    o.timeout = std::chrono::seconds(60);
    return Run(args, o);
  }
  ProcessResult Backup(std::vector<std::string> extra, const std::string& output = "json") {
    std::vector<std::string> args = {"backup", "--backup-root", root, "--no-database", "--release", "portal",
                                     "-n", "shop", "--kubeconfig", kubeconfig, "-o", output};
    args.insert(args.end(), extra.begin(), extra.end());
    return Capstan(args);
  }
  std::map<std::string, std::string> Snapshots() {
    return server.Objects("/apis/snapshot.storage.k8s.io/v1/namespaces/shop/volumesnapshots/");
  }
  backup::Manifest ManifestOf(const std::string& id) {
    return backup::ManifestFromJson(ReadFile(root + "/" + id + "/manifest.json"), id);
  }
};

std::string IdFrom(const std::string& json_out) {
  kube::JsonDoc d = kube::ParseJson(json_out, "backup output");
  return kube::GetString(d, {"manifest", "id"});
}

}  // namespace

TEST_CASE("backup --snapshot-pvc: snapshot first, recorded beside the archive, listed and verified",
          "[backup][snapshot]") {
  Env e;
  auto r = e.Backup({"--snapshot-pvc", "portal-shared", "--snapshot-class", "csi-snapclass", "--dir", e.data});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::string id = IdFrom(r.out);
  backup::Manifest m = e.ManifestOf(id);
  REQUIRE(m.volume_snapshots.size() == 1);
  const auto& v = m.volume_snapshots[0];
  CHECK(v.pvc == "portal-shared");
  CHECK(v.namespace_name == "shop");
  CHECK(v.class_name == "csi-snapclass");
  CHECK(v.ready_to_use);
  CHECK(v.restore_size == "20Gi");
  CHECK_FALSE(v.content_name.empty());
  CHECK(m.artifacts.size() == 1);
  CHECK(m.namespace_name == "shop");
  auto snaps = e.Snapshots();
  REQUIRE(snaps.size() == 1);
  kube::JsonDoc s = kube::ParseJson(snaps.begin()->second, "snapshot");
  CHECK(kube::GetString(s, {"metadata", "labels", "capstan.dev/restore-point"}) == id);
  CHECK(kube::GetString(s, {"metadata", "name"}) == v.name);
  // Snapshot first: it was ready before the manifest was written (the archive came after it).
  auto list = e.Capstan({"backup", "list", "--backup-root", e.root, "-o", "text"});
  CHECK(list.exit_code == 0);
  CHECK_THAT(list.out, Catch::Contains("volume snapshot shop/" + v.name + " of pvc portal-shared (20Gi, class "
                                       "csi-snapclass, ready)"));
  auto verify = e.Capstan({"backup", "verify", "latest", "--backup-root", e.root, "-o", "text"});
  CHECK(verify.exit_code == 0);
  CHECK_THAT(verify.out, Catch::Contains("volume snapshots (recorded; they live in the cluster)"));
}

TEST_CASE("backup --snapshot-pvc alone: a restore point of snapshots only, verified and restored as new claims",
          "[backup][snapshot]") {
  Env e;
  auto r = e.Backup({"--snapshot-pvc", "portal-shared"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::string id = IdFrom(r.out);
  CHECK(e.ManifestOf(id).artifacts.empty());
  auto verify = e.Capstan({"backup", "verify", id, "--backup-root", e.root, "-o", "json"});
  INFO(verify.err);
  CHECK(verify.exit_code == 0);
  // Restore without the flag: nothing else to restore, the snapshots are named.
  auto plain = e.Capstan({"restore", "--backup-root", e.root, "--no-database", "--dry-run", "-o", "text"});
  INFO(plain.err);
  CHECK(plain.exit_code == 0);
  CHECK_THAT(plain.out, Catch::Contains("pass --restore-snapshots-as SUFFIX"));
  std::vector<std::string> restore = {"restore", "--backup-root", e.root, "--restore-snapshots-as", "restored",
                                      "--kubeconfig", e.kubeconfig, "-o", "text"};
  auto dry = restore;
  dry.push_back("--dry-run");
  auto d = e.Capstan(dry);
  INFO(d.err);
  CHECK(d.exit_code == 0);
  CHECK_THAT(d.out, Catch::Contains("would create PVC shop/portal-shared-restored (20Gi, class csi-rbd)"));
  CHECK(e.server.Object(SnapshotSim::ClaimPath("shop", "portal-shared-restored")).empty());
  auto done = e.Capstan(restore);
  INFO(done.err);
  CHECK(done.exit_code == 0);
  CHECK_THAT(done.out, Catch::Contains("created PVC shop/portal-shared-restored"));
  std::string pvc = e.server.Object(SnapshotSim::ClaimPath("shop", "portal-shared-restored"));
  REQUIRE_FALSE(pvc.empty());
  CHECK(kube::GetString(kube::ParseJson(pvc, "pvc"), {"spec", "dataSource", "name"}) ==
        e.ManifestOf(id).volume_snapshots[0].name);
  auto again = e.Capstan(restore);
  CHECK(again.exit_code == 1);
  CHECK_THAT(again.err, Catch::Contains("already exists"));
  // A restore point without snapshots: the flag is a usage error, before anything is restored.
  auto dir_only = e.Capstan({"backup", "--backup-root", e.root, "--no-database", "--dir", e.data, "-o", "json"});
  REQUIRE(dir_only.exit_code == 0);
  auto refused = e.Capstan({"restore", "--backup-root", e.root, "--restore-snapshots-as", "x", "--kubeconfig",
                            e.kubeconfig, "--no-database", "--dry-run"});
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("holds no volume snapshots"));
}

TEST_CASE("backup --snapshot-pvc: a failed backup or snapshot deletes the snapshots just taken", "[backup][snapshot]") {
  Env e;
  auto bad_dir = e.Backup({"--snapshot-pvc", "portal-shared", "--dir", e.t.path() + "/missing"});
  CHECK(bad_dir.exit_code == 2);
  CHECK_THAT(bad_dir.err, Catch::Contains("is not a directory"));
  CHECK(e.Snapshots().empty());
  e.sim.AddClaim("busy");
  e.sim.Script("busy", SnapshotOutcome::kDriverError);
  auto failed = e.Backup({"--snapshot-pvc", "portal-shared", "--snapshot-pvc", "busy"});
  CHECK(failed.exit_code == 1);
  CHECK_THAT(failed.err, Catch::Contains("rbd: image is busy"));
  CHECK(e.Snapshots().empty());
  auto missing = e.Backup({"--snapshot-pvc", "nope"});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Catch::Contains("PVC 'nope' does not exist in namespace 'shop'"));
  auto timeout = e.Backup({"--snapshot-pvc", "portal-shared", "--snapshot-timeout", "0s"});
  CHECK(timeout.exit_code == 2);
  // Not ready in time, or SIGTERM (a Job's deadline) while waiting: the snapshot is deleted too.
  e.sim.AddClaim("slow");
  e.sim.Script("slow", SnapshotOutcome::kNeverReady);
  auto slow = e.Backup({"--snapshot-pvc", "slow", "--snapshot-timeout", "1s"});
  CHECK(slow.exit_code == 1);
  CHECK_THAT(slow.err, Catch::Contains("is not ready after"));
  CHECK(e.Snapshots().empty());
  auto killed = Run({"timeout", "-s", "TERM", "2", Binary("capstan"), "backup", "--backup-root", e.root,
                     "--no-database", "-n", "shop", "--kubeconfig", e.kubeconfig, "--snapshot-pvc", "slow"});
  CHECK(killed.exit_code != 0);
  CHECK_THAT(killed.err, Catch::Contains("interrupted while waiting"));
  CHECK(e.Snapshots().empty());
  struct stat st {};
  CHECK((::stat(e.root.c_str(), &st) != 0 || Run({"sh", "-c", "ls " + e.root + " | grep -v lock"}).out.empty()));
}

TEST_CASE("backup retention deletes the snapshots of pruned restore points, without API access it says which are left",
          "[backup][snapshot]") {
  Env e;
  auto first = e.Backup({"--snapshot-pvc", "portal-shared"});
  REQUIRE(first.exit_code == 0);
  std::string first_snap = e.ManifestOf(IdFrom(first.out)).volume_snapshots[0].name;
  auto second = e.Backup({"--snapshot-pvc", "portal-shared", "--keep-last", "1"}, "text");
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK_THAT(second.out, Catch::Contains("deleted volume snapshots: shop/" + first_snap));
  REQUIRE(e.Snapshots().size() == 1);
  std::string second_snap = kube::GetString(kube::ParseJson(e.Snapshots().begin()->second, "s"), {"metadata", "name"});
  // Without API access (no kubeconfig): the restore point is pruned, its snapshot reported as left.
  auto third = e.Backup({"--snapshot-pvc", "portal-shared"});
  REQUIRE(third.exit_code == 0);
  CHECK(e.Snapshots().size() == 2);
  auto prune = e.Capstan({"backup", "prune", "--backup-root", e.root, "--keep-last", "1", "--kubeconfig",
                          e.t.path() + "/no-kubeconfig", "-o", "json"});
  INFO(prune.err);
  CHECK(prune.exit_code == 0);
  kube::JsonDoc out = kube::ParseJson(prune.out, "prune output");
  REQUIRE(kube::Find(out, {"snapshots_left"}) != nullptr);
  CHECK(std::string((*kube::Find(out, {"snapshots_left"}))[0].GetString()) == "shop/" + second_snap);
  CHECK_THAT(kube::GetString(out, {"snapshots_left_because"}), Catch::Contains("no Kubernetes API access"));
  CHECK_THAT(prune.err, Catch::Contains("volume snapshots left in the cluster"));
  // With access, prune deletes them.
  auto fourth = e.Backup({"--snapshot-pvc", "portal-shared"});
  REQUIRE(fourth.exit_code == 0);
  auto prune2 = e.Capstan({"backup", "prune", "--backup-root", e.root, "--keep-last", "1", "--kubeconfig",
                           e.kubeconfig, "-o", "text"});
  INFO(prune2.err);
  CHECK(prune2.exit_code == 0);
  CHECK_THAT(prune2.out, Catch::Contains("deleted volume snapshots: shop/"));
}
