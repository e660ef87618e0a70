// capstan backup [list|verify ID|prune]: a verified restore point of the database and directories, and CSI volume
// snapshots of claims (--snapshot-pvc: taken first and waited for, deleted again when the backup fails, and with
// the restore points retention prunes) (see docs/backup.md). Flag parsing only; the work is in lib/backup and
// lib/snapshot.
#include <cstdio>
#include <memory>

#include "backup/cancel.h"
#include "backup/engine.h"
#include "backup/report.h"
#include "backup/retention.h"
#include "backup/store_flags.h"
#include "hooks/command.h"
#include "kube/kube_flags.h"
#include "log/log.h"
#include "pg/flags.h"
#include "snapshot/cleanup.h"
#include "snapshot/volume_snapshot.h"
#include "util/duration.h"
#include "util/error.h"
#include "util/file_io.h"

namespace capstan::hooks {
namespace {

struct BackupFlags {
  backup::StoreOptions store;
  std::string output;
  std::vector<std::string> dirs;
  bool no_database = false;
  pg::ConnectionFlags db;
  std::string pg_dump, pg_restore;
  std::string release, namespace_name, revision, chart, chart_version, app_version;
  int dump_compress = 1;
  int archive_compress = 1;
  int keep_last = -1;
  std::string keep_within;
  std::string verify_id;
  std::vector<std::string> snapshot_pvcs;
  std::string snapshot_class;
  std::string snapshot_timeout = "10m";
  kube::KubeFlags kube;
};

void AddRootAndOutput(CLI::App& app, BackupFlags& f) {
  backup::AddStoreFlags(app, f.store);
  app.add_option("-o,--output", f.output, "text (default on a terminal) or json")
      ->check(CLI::IsMember({"text", "json"}));
}

void AddRetention(CLI::App& app, BackupFlags& f) {
  app.add_option("--keep-last", f.keep_last, "Keep the last N complete restore points")->check(CLI::NonNegativeNumber)
      ->envname("CAPSTAN_KEEP_LAST");
  app.add_option("--keep-within", f.keep_within, "Keep restore points younger than this age (7d, 36h, 2w)")
      ->envname("CAPSTAN_KEEP_WITHIN");
}

backup::RetentionPolicy Policy(const BackupFlags& f) {
  backup::RetentionPolicy p;
  if (f.keep_last >= 0) p.keep_last = static_cast<uint64_t>(f.keep_last);
  if (!f.keep_within.empty()) p.keep_within = backup::ParseAge(f.keep_within);
  return p;
}

void Print(const std::string& s) { WriteAll(1, s); }

void AddKube(CLI::App& app, BackupFlags& f) { kube::AddKubeConnectionFlags(app, f.kube); }

// A client for the snapshots (the namespace: --namespace, else the pod's or the context's).
std::unique_ptr<kube::Client> Client(BackupFlags& f) {
  f.kube.ns = f.namespace_name;
  auto client = kube::MakeClient(f.kube, "backup");
  if (f.namespace_name.empty()) f.namespace_name = f.kube.ns;
  return client;
}

// Deletes the snapshots of pruned restore points; without API access they are reported as left.
backup::SnapshotCleanup CleanUp(BackupFlags& f, kube::Client* client,
                                const std::vector<backup::VolumeSnapshotRecord>& records) {
  if (records.empty()) return {};
  std::unique_ptr<kube::Client> own;
  std::string why;
  if (client == nullptr) {
    try {
      own = Client(f);
      client = own.get();
    } catch (const Error& e) {
      why = std::string("no Kubernetes API access: ") + e.what();
    }
  }
  return snapshot::DeleteRecorded(client, records, why);
}

// Takes the snapshots (all created first, then waited for together); on failure deletes those it created.
std::vector<backup::VolumeSnapshotRecord> TakeSnapshots(BackupFlags& f, kube::Client& client,
                                                        const std::string& point_id) {
  auto timeout = ParseDuration(f.snapshot_timeout);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<backup::VolumeSnapshotRecord> taken;
  try {
    for (const auto& pvc : f.snapshot_pvcs) {
      snapshot::SnapshotRequest q;
      q.ns = f.namespace_name;
      q.pvc = pvc;
      q.class_name = f.snapshot_class;
      q.release = f.release;
      q.point_id = point_id;
      taken.push_back(snapshot::CreateSnapshot(client, q));
    }
    for (auto& r : taken) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      snapshot::WaitReady(client, r, std::max(left, std::chrono::milliseconds(1)));
    }
  } catch (...) {
    snapshot::DeleteRecorded(&client, taken, "");
    throw;
  }
  return taken;
}

Runner Setup(CLI::App& sub) {
  auto f = std::make_shared<BackupFlags>();
  sub.footer(
      "Example: capstan backup --backup-root /backups --dir /data --release portal --keep-last 5 --dbname app\n"
      "         capstan backup --backup-root s3://backups/portal --encryption-key-file /secrets/backup-key/key --dbname app\n"
      "         capstan backup --backup-root /backups --snapshot-pvc portal-shared --release portal -n shop --dbname app\n"
      "         capstan backup list --backup-root /backups\n"
      "Exit codes: 0 complete and verified, 1 failed (nothing complete was left), 2 usage, 3 disk full, database or "
      "Kubernetes API unreachable.");
  AddRootAndOutput(sub, *f);
  sub.add_option("--dir", f->dirs, "A directory to archive (repeatable): the shared volume");
  sub.add_flag("--no-database", f->no_database, "Archive the directories only");
  sub.add_option("--pg-dump", f->pg_dump, "pg_dump to run (default: PG_BIN, then PATH)")->envname("CAPSTAN_PG_DUMP");
  sub.add_option("--pg-restore", f->pg_restore, "pg_restore used to verify the dump (default: PG_BIN, then PATH)")
      ->envname("CAPSTAN_PG_RESTORE");
  sub.add_option("--release", f->release, "Helm release name recorded in the manifest")->envname("CAPSTAN_RELEASE");
  sub.add_option("-n,--namespace", f->namespace_name, "Release namespace recorded in the manifest")
      ->envname("CAPSTAN_NAMESPACE");
  sub.add_option("--revision", f->revision, "Release revision recorded in the manifest (.Release.Revision)")
      ->envname("CAPSTAN_REVISION");
  sub.add_option("--chart", f->chart, "Chart name recorded in the manifest")->envname("CAPSTAN_CHART");
  sub.add_option("--chart-version", f->chart_version, "Chart version recorded in the manifest")
      ->envname("CAPSTAN_CHART_VERSION");
  sub.add_option("--app-version", f->app_version, "App version recorded in the manifest")->envname("CAPSTAN_APP_VERSION");
  sub.add_option("--dump-compress", f->dump_compress, "pg_dump compression level 0..9 (default 1: fast; the dump is somewhat larger than at 6)")->check(CLI::Range(0, 9));
  sub.add_option("--archive-compress", f->archive_compress, "gzip level of directory archives 1..9 (default 1)")
      ->check(CLI::Range(1, 9));
  AddRetention(sub, *f);
  sub.add_option("--snapshot-pvc", f->snapshot_pvcs,
                 "A PersistentVolumeClaim to take a CSI VolumeSnapshot of (repeatable): taken before the dump, waited "
                 "for until readyToUse, recorded in the manifest (large volumes, instead of --dir)")
      ->envname("CAPSTAN_SNAPSHOT_PVC");
  sub.add_option("--snapshot-class", f->snapshot_class,
                 "VolumeSnapshotClass of the snapshots (default: the cluster's default class for the claim's driver)")
      ->envname("CAPSTAN_SNAPSHOT_CLASS");
  sub.add_option("--snapshot-timeout", f->snapshot_timeout, "How long to wait for the snapshots to be readyToUse")
      ->capture_default_str()
      ->envname("CAPSTAN_SNAPSHOT_TIMEOUT");
  AddKube(sub, *f);
  f->db.Add(sub);

  CLI::App* list = sub.add_subcommand("list", "List restore points (complete ones newest first)");
  list->footer("Example: capstan backup list --backup-root /backups -o json");
  AddRootAndOutput(*list, *f);
  CLI::App* verify = sub.add_subcommand("verify", "Re-read a restore point against its manifest");
  verify->footer("Example: capstan backup verify latest --backup-root /backups");
  AddRootAndOutput(*verify, *f);
  verify->add_option("id", f->verify_id, "Restore point id, or latest")->required();
  verify->add_option("--pg-restore", f->pg_restore, "pg_restore used to list the dump")->envname("CAPSTAN_PG_RESTORE");
  CLI::App* prune = sub.add_subcommand("prune", "Delete restore points the retention policy does not keep");
  prune->footer("Example: capstan backup prune --backup-root /backups --keep-last 3 --keep-within 7d");
  AddRootAndOutput(*prune, *f);
  AddRetention(*prune, *f);
  prune->add_option("-n,--namespace", f->namespace_name, "Namespace for the Kubernetes API client (the snapshots' "
                    "namespaces are recorded)")->envname("CAPSTAN_NAMESPACE");
  AddKube(*prune, *f);
  sub.require_subcommand(0, 1);

  return [f, list, verify, prune]() -> int {
    backup::Output out = backup::ResolveOutput(f->output);
    if (f->store.root.empty())
      throw UsageError("no backup root: pass --backup-root DIR or s3://BUCKET/PREFIX, or set CAPSTAN_BACKUP_ROOT");
    if (list->parsed()) {
      Print(backup::RenderList(backup::ListPoints(f->store), out));
      return kExitOk;
    }
    if (verify->parsed()) {
      Print(backup::RenderVerify(backup::VerifyPoint(f->store, f->verify_id, f->pg_restore), out));
      return kExitOk;
    }
    if (prune->parsed()) {
      auto policy = Policy(*f);
      if (!policy.Any()) throw UsageError("prune needs --keep-last N and/or --keep-within AGE");
      std::vector<backup::VolumeSnapshotRecord> snaps;
      auto deleted = backup::Prune(f->store, policy, &snaps);
      backup::SnapshotCleanup cleanup = CleanUp(*f, nullptr, snaps);
      Print(backup::RenderPrune(deleted, out, snaps.empty() ? nullptr : &cleanup));
      return kExitOk;
    }
    backup::BackupOptions o;
    static_cast<backup::StoreOptions&>(o) = f->store;
    o.dirs = f->dirs;
    o.database = !f->no_database;
    if (o.database) o.pg = f->db.Resolve("capstan-backup");
    o.pg_dump_path = f->pg_dump;
    o.pg_restore_path = f->pg_restore;
    o.release = f->release;
    o.namespace_name = f->namespace_name;
    o.revision = f->revision;
    o.chart = f->chart;
    o.chart_version = f->chart_version;
    o.app_version = f->app_version;
    o.dump_compress = f->dump_compress;
    o.archive_compress = f->archive_compress;
    o.retention = Policy(*f);
    if (f->snapshot_pvcs.empty()) {
      backup::BackupResult r = backup::CreateBackup(o);
      backup::SnapshotCleanup cleanup = CleanUp(*f, nullptr, r.pruned_snapshots);
      Print(backup::RenderBackup(r, out, r.pruned_snapshots.empty() ? nullptr : &cleanup));
      return kExitOk;
    }
    // Snapshots first (the storage's own copy, taken while nothing else runs), then the dump and archives, then
    // the manifest records both. A failure after the snapshots deletes them: nothing half-made is left.
    if (ParseDuration(f->snapshot_timeout).count() <= 0)
      throw UsageError("--snapshot-timeout " + f->snapshot_timeout + ": use a positive duration such as 10m");
    auto client = Client(*f);
    o.namespace_name = f->namespace_name;
    backup::InstallCancelHandlers();  // a SIGTERM while waiting for the snapshots still deletes them
    backup::ResetCancel();
    o.id = backup::NewPointId(f->store);
    o.volume_snapshots = TakeSnapshots(*f, *client, o.id);
    backup::BackupResult r;
    try {
      r = backup::CreateBackup(o);
    } catch (...) {
      log::Error("backup failed: deleting the volume snapshots just taken", {{"restore_point", o.id}});
      snapshot::DeleteRecorded(client.get(), o.volume_snapshots, "");
      throw;
    }
    backup::SnapshotCleanup cleanup = CleanUp(*f, client.get(), r.pruned_snapshots);
    Print(backup::RenderBackup(r, out, r.pruned_snapshots.empty() ? nullptr : &cleanup));
    return kExitOk;
  };
}

Registration reg("backup", "Make a verified restore point of the database and directories (list, verify, prune)",
                 Setup);

}  // namespace
}  // namespace capstan::hooks
