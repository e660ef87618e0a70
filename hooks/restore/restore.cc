// capstan restore --id ID|latest: verifies a restore point, then restores the database and the directories, and
// with --restore-snapshots-as creates new claims from its CSI volume snapshots (see docs/backup.md). Flag parsing
// only; the work is in lib/backup and lib/snapshot.
#include <memory>

#include "backup/engine.h"
#include "backup/report.h"
#include "backup/rollback_point.h"
#include "backup/store_flags.h"
#include "hooks/command.h"
#include "kube/kube_flags.h"
#include "pg/flags.h"
#include "snapshot/restore_claim.h"
#include "util/error.h"
#include "util/file_io.h"

namespace capstan::hooks {
namespace {

struct RestoreFlags {
  backup::RestoreOptions o;
  std::string output;
  std::vector<std::string> maps;
  bool no_database = false, no_directories = false;
  pg::ConnectionFlags db;
  std::string snapshots_as;
  kube::KubeFlags kube;
};

// The restore point's manifest as listed (the restore verifies its seal later), to check its snapshots first.
backup::Manifest ChosenManifest(const backup::RestoreOptions& o) {
  if (o.rollback_to > 0) return *backup::SelectForRollback(backup::ListPoints(o), o.release, o.rollback_to).manifest;
  return *backup::ResolvePoint(o, o.id, o.release).manifest;
}

Runner Setup(CLI::App& sub) {
  auto f = std::make_shared<RestoreFlags>();
  sub.footer(
      "Example: capstan restore --backup-root /backups --id latest --release portal --dbname app --dry-run\n"
      "         capstan restore --backup-root /backups --release portal --for-rollback-to 3 --dbname app\n"
      "The restore point is verified first (its manifest must match manifest.json.sha256); a corrupt one is refused.\n"
      "The database's objects and the directories' contents are replaced.");
  backup::AddStoreFlags(sub, f->o);
  sub.add_option("--id", f->o.id, "Restore point id, or latest (default)")->envname("CAPSTAN_RESTORE_ID");
  sub.add_option("--release", f->o.release, "With --id latest: the newest restore point of this release")
      ->envname("CAPSTAN_RELEASE");
  sub.add_option("--for-rollback-to", f->o.rollback_to,
                 "Instead of --id: the restore point taken before the upgrade away from this revision of --release "
                 "(the pre-rollback hook passes its .Release.Revision); refused when there is none")
      ->envname("CAPSTAN_FOR_ROLLBACK_TO")
      ->check(CLI::PositiveNumber);
  sub.add_flag("--dry-run", f->o.dry_run, "Verify and show what would be restored; change nothing");
  sub.add_flag("--no-database", f->no_database, "Do not restore the database");
  sub.add_flag("--no-directories", f->no_directories, "Do not restore the directories");
  sub.add_flag("--no-owner", f->o.no_owner, "pg_restore --no-owner: do not set object owners");
  sub.add_option("--dir-map", f->maps,
                 "FROM=TO: restore the archive of directory FROM into TO (repeatable; required for a directory "
                 "that is not on a volume mounted here; FROM=FROM restores in place)");
  sub.add_flag("--keep-setid", f->o.keep_setid,
               "Restore setuid/setgid bits of files as archived (default: dropped, with a warning)");
  sub.add_option("--pg-restore", f->o.pg_restore_path, "pg_restore to run (default: PG_BIN, then PATH)")
      ->envname("CAPSTAN_PG_RESTORE");
  sub.add_option("--psql", f->o.psql_path, "psql that runs the restore (default: beside pg_restore, then PG_BIN, PATH)")
      ->envname("CAPSTAN_PSQL");
  sub.add_option("-o,--output", f->output, "text (default on a terminal) or json")->check(CLI::IsMember({"text", "json"}));
  sub.add_option("--restore-snapshots-as", f->snapshots_as,
                 "SUFFIX: create a new PVC <pvc>-SUFFIX from each volume snapshot of the restore point (same storage "
                 "class and access modes, at least the snapshot's size); the workload is then pointed at it "
                 "(docs/backup.md). Existing claims are never replaced")
      ->envname("CAPSTAN_RESTORE_SNAPSHOTS_AS");
  kube::AddKubeFlags(sub, f->kube);
  f->db.Add(sub);
  return [f]() -> int {
    backup::Output out = backup::ResolveOutput(f->output);
    if (f->o.rollback_to > 0 && !f->o.id.empty() && f->o.id != "latest")
      throw UsageError("--id " + f->o.id + " and --for-rollback-to " + std::to_string(f->o.rollback_to) +
                       " both choose the restore point: pass one");
    if (f->o.rollback_to > 0 && f->o.release.empty())
      throw UsageError("--for-rollback-to needs --release: the restore points of which release?");
    if (f->o.root.empty())
      throw UsageError("no backup root: pass --backup-root DIR or s3://BUCKET/PREFIX, or set CAPSTAN_BACKUP_ROOT");
    for (const auto& m : f->maps) {
      auto eq = m.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == m.size())
        throw UsageError("invalid --dir-map " + m + ": use FROM=TO (the backed-up directory and where to restore it)");
      f->o.dir_map.emplace_back(m.substr(0, eq), m.substr(eq + 1));
    }
    f->o.database = !f->no_database;
    f->o.directories = !f->no_directories;
    if (f->snapshots_as.empty()) {
      if (f->o.database) f->o.pg = f->db.Resolve("capstan-restore");
      WriteAll(1, backup::RenderRestore(backup::Restore(f->o), out));
      return kExitOk;
    }
    // Claims from the snapshots: checked (snapshot ready, name free) before anything is restored, created after.
    backup::Manifest m = ChosenManifest(f->o);
    if (m.volume_snapshots.empty())
      throw UsageError("--restore-snapshots-as " + f->snapshots_as + ": restore point " + m.id +
                       " holds no volume snapshots (see capstan backup list)");
    std::unique_ptr<kube::Client> client = kube::MakeClient(f->kube, "restore");
    for (const auto& v : m.volume_snapshots) snapshot::RestoreClaim(*client, v, f->snapshots_as, true);
    bool only_snapshots = m.artifacts.empty() || (f->no_database && f->no_directories);
    backup::RestoreResult r;
    if (!only_snapshots) {
      if (f->o.database) f->o.pg = f->db.Resolve("capstan-restore");
      r = backup::Restore(f->o);
    } else {
      backup::RestoreOptions verify_only = f->o;
      verify_only.id = m.id;
      verify_only.rollback_to = 0;
      verify_only.dry_run = true;
      verify_only.database = verify_only.directories = false;
      r = backup::Restore(verify_only);  // the seal and the artifacts verified; nothing selected
      r.dry_run = f->o.dry_run;
    }
    std::vector<backup::ClaimFromSnapshot> claims;
    for (const auto& v : r.manifest.volume_snapshots) {
      snapshot::RestoredClaim c = snapshot::RestoreClaim(*client, v, f->snapshots_as, f->o.dry_run);
      claims.push_back({c.ns, c.name, c.snapshot, v.pvc, c.size, c.storage_class, c.created});
    }
    WriteAll(1, backup::RenderRestore(r, out, &claims));
    return kExitOk;
  };
}

Registration reg("restore", "Restore a verified restore point: the database and the directories", Setup);

}  // namespace
}  // namespace capstan::hooks
