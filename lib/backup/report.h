// What backup and restore commands print on stdout: a JSON summary (the default off a terminal, and in pods) or
// readable text. Never contains a secret: connection descriptions are redacted by lib/pg.
#pragma once
#include <string>
#include <vector>

#include "backup/engine.h"

namespace capstan::backup {

enum class Output { kText, kJson };
// "text" | "json" | "" (text on a terminal, json otherwise); throws UsageError.
Output ResolveOutput(const std::string& flag);

// What became of the volume snapshots of pruned restore points: deleted, or left in the cluster (and why).
struct SnapshotCleanup {
  std::vector<std::string> deleted;  // "namespace/name"
  std::vector<std::string> left;     // "namespace/name"
  std::string why_left;
};

std::string RenderBackup(const BackupResult& r, Output out, const SnapshotCleanup* snapshots = nullptr);
std::string RenderList(const std::vector<PointInfo>& points, Output out);
std::string RenderVerify(const VerifyResult& r, Output out);
std::string RenderPrune(const std::vector<std::string>& deleted, Output out, const SnapshotCleanup* snapshots = nullptr);
// A claim created (or, in a dry run, to be created) from a volume snapshot of the restore point.
struct ClaimFromSnapshot {
  std::string ns, name, snapshot, pvc, size, storage_class;
  bool created = false;
};
std::string RenderRestore(const RestoreResult& r, Output out, const std::vector<ClaimFromSnapshot>* claims = nullptr);

}  // namespace capstan::backup
