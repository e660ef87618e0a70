// Restore points: creating one (pg_dump and directory archives in parallel, each streamed into the store and hashed
// while written, then verified by re-reading it from the store), listing, verifying, pruning by retention, and
// restoring. Where the points live (a directory or an S3 bucket) is the store's business (store.h): a point becomes
// complete only after verification, when the store publishes its manifest, under the store's lock.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "backup/manifest.h"
#include "backup/retention.h"
#include "backup/store.h"
#include "pg/settings.h"

namespace capstan::backup {

struct BackupOptions : StoreOptions {
  std::vector<std::string> dirs;
  bool database = true;
  pg::Settings pg;
  std::string pg_dump_path, pg_restore_path;
  std::string release, namespace_name, revision, chart, chart_version, app_version;
  int dump_compress = 1;     // pg_dump --compress (1: fastest; the dump is ~15% larger than at 6)
  int archive_compress = 1;  // gzip level of directory archives
  RetentionPolicy retention;
  // Volume snapshots: the id the caller chose (NewPointId) and put into the snapshots' labels ("": a new one), and
  // the CSI VolumeSnapshots it took (lib/snapshot), recorded in the manifest. Only snapshots: no dump, no archive.
  std::string id;
  std::vector<VolumeSnapshotRecord> volume_snapshots;
};

struct BackupResult {
  Manifest manifest;
  std::string path;
  std::vector<std::string> pruned;
  std::vector<VolumeSnapshotRecord> pruned_snapshots;  // the snapshots of the pruned restore points: delete them
};

// A new restore point id (the time, UTC: 20261207T153000Z, with -2, -3... when taken) not yet used in the store.
std::string NewPointId(const StoreOptions& options);

BackupResult CreateBackup(const BackupOptions& options);

struct PointInfo {
  std::string id;
  std::string path;  // where it is (a directory, an s3:// URL)
  bool complete = false;
  std::optional<Manifest> manifest;
  std::string problem;  // why it is not complete ("in progress or interrupted", "manifest unreadable: ...")
};

// All restore points of a store, complete ones newest first, then incomplete ones.
std::vector<PointInfo> ListPoints(const StoreOptions& options);
std::vector<PointInfo> ListPoints(Store& store);

// Resolves "latest" (the newest complete one, of `release` when not empty) or an id to a complete restore point.
// Throws Error when there is none.
PointInfo ResolvePoint(const StoreOptions& options, const std::string& id, const std::string& release);

// Re-reads every artifact against the manifest, lists the dump with pg_restore and validates the archives.
// The manifest must match its seal (manifest_seal.h), list at least one artifact or volume snapshot (the snapshots
// themselves live in the cluster: lib/snapshot checks them), and every file of the restore point must be listed. Throws Error naming the first problem. pg_restore_path may be empty (PG_BIN, PATH).
struct VerifyResult {
  Manifest manifest;
  uint64_t bytes = 0;
};
VerifyResult VerifyPoint(const StoreOptions& options, const std::string& id, const std::string& pg_restore_path);

// Deletes complete restore points that the policy does not keep, and leftovers of interrupted runs. Takes the lock.
// pruned_snapshots (when given) receives the volume snapshots the deleted restore points recorded.
std::vector<std::string> Prune(const StoreOptions& options, const RetentionPolicy& policy,
                               std::vector<VolumeSnapshotRecord>* pruned_snapshots = nullptr);
// The same with the lock held and leftovers removed; strict: a point that cannot be deleted is an error (else a
// warning, as after a backup, whose restore point is complete either way).
std::vector<std::string> PruneLocked(Store& store, const RetentionPolicy& policy, bool strict,
                                     std::vector<VolumeSnapshotRecord>* pruned_snapshots);

struct RestoreOptions : StoreOptions {
  std::string id = "latest";
  std::string release;  // with "latest": the newest restore point of this release
  // > 0: instead of id, the restore point of `release` for `helm rollback` to this revision (rollback_point.h)
  int64_t rollback_to = 0;
  bool dry_run = false;
  bool database = true;
  bool directories = true;
  bool no_owner = false;
  pg::Settings pg;
  std::string pg_restore_path;
  std::string psql_path;  // default: the psql beside pg_restore, then PG_BIN, then PATH
  // source dir recorded -> where to restore it. Without an entry, a directory is restored in place only when it is
  // on a volume mounted here (restore_targets.h); an entry that matches no archive is a usage error.
  std::vector<std::pair<std::string, std::string>> dir_map;
  bool keep_setid = false;  // restore setuid/setgid bits of files (dropped by default, with a warning)
};

struct RestoreStep {
  std::string kind;    // "database" or "directory"
  std::string source;  // artifact source
  std::string target;  // database description or directory
  std::string artifact;
  uint64_t size = 0;
  std::vector<std::string> warnings;  // what was not restored as stored (special files, setuid bits)
};
struct RestoreResult {
  Manifest manifest;
  std::vector<RestoreStep> steps;
  bool dry_run = false;
};
RestoreResult Restore(const RestoreOptions& options);

}  // namespace capstan::backup
