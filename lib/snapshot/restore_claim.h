// Restoring a volume snapshot: a NEW PersistentVolumeClaim whose spec.dataSource is the VolumeSnapshot (the CSI
// driver provisions a volume with the snapshot's data). Its storage class, access modes and volume mode are the
// original claim's (as recorded at backup time, else read from the claim); its size is the larger of the original
// request and the snapshot's restoreSize. A claim cannot be replaced in place while pods mount it (its spec is
// immutable): the workload is pointed at the new claim (docs/backup.md).
#pragma once
#include <string>

#include "backup/manifest.h"
#include "kube/client.h"

namespace capstan::snapshot {

struct RestoredClaim {
  std::string ns, name;         // the new claim
  std::string snapshot;         // its data source
  std::string storage_class, size;
  std::vector<std::string> access_modes;
  bool created = false;         // false: dry run
};

// The new claim's name: <original pvc>-<suffix>. Throws UsageError when it is not a valid name.
std::string RestoredClaimName(const std::string& pvc, const std::string& suffix);

// Checks that the snapshot exists and is readyToUse, then creates the claim (dry_run: only checks and returns what
// would be created). A claim of that name already existing is an error (nothing is overwritten).
RestoredClaim RestoreClaim(kube::Client& client, const backup::VolumeSnapshotRecord& record, const std::string& suffix,
                           bool dry_run);

}  // namespace capstan::snapshot
