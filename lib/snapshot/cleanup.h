// Deleting the volume snapshots of pruned (or failed) restore points: each one deleted (already gone is fine), or
// left in the cluster with the reason (no API access, RBAC, API unreachable), for the report.
#pragma once
#include <string>
#include <vector>

#include "backup/manifest.h"
#include "backup/report.h"
#include "kube/client.h"

namespace capstan::snapshot {

// client may be null: then every snapshot is left, because of no_client_reason.
backup::SnapshotCleanup DeleteRecorded(kube::Client* client, const std::vector<backup::VolumeSnapshotRecord>& records,
                                       const std::string& no_client_reason);

}  // namespace capstan::snapshot
