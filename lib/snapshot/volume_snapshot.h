// CSI volume snapshots of PersistentVolumeClaims (snapshot.storage.k8s.io/v1 VolumeSnapshot): take one of a claim
// (checked first: the claim exists and is bound), wait until the snapshot controller reports it readyToUse (a watch
// that resumes after a drop and relists on 410 Gone), and delete them (retention; 404 is fine). Errors say what
// failed, where and what to do: a cluster without the snapshot CRDs, a missing VolumeSnapshotClass, a claim that does
// not exist, an RBAC denial, a snapshot the controller or CSI driver failed (status.error), a timeout.
#pragma once
#include <chrono>
#include <string>
#include <vector>

#include "backup/manifest.h"
#include "kube/client.h"
#include "kube/resources.h"

namespace capstan::snapshot {

inline constexpr const char* kSnapshotGroup = "snapshot.storage.k8s.io";
const kube::Kind& VolumeSnapshotKind();  // VolumeSnapshot, snapshot.storage.k8s.io/v1, volumesnapshots
const kube::Kind& ClaimKind();           // PersistentVolumeClaim, v1, persistentvolumeclaims

// Labels on every snapshot Capstan takes (selectors: kubectl get volumesnapshot -l capstan.dev/restore-point=ID).
inline constexpr const char* kLabelManagedBy = "app.kubernetes.io/managed-by";
inline constexpr const char* kLabelRelease = "capstan.dev/release";
inline constexpr const char* kLabelPoint = "capstan.dev/restore-point";
inline constexpr const char* kLabelPvc = "capstan.dev/pvc";

struct SnapshotRequest {
  std::string ns;
  std::string pvc;
  std::string class_name;  // "": the cluster's default VolumeSnapshotClass for the claim's CSI driver
  std::string release;     // label (may be empty)
  std::string point_id;    // the restore point id (label, and part of the name)
};

// The snapshot's name: <pvc>-<point id, lower case>, cut to fit 253 characters (CreateSnapshot appends -2, -3...
// when the name is taken).
std::string SnapshotName(const std::string& pvc, const std::string& point_id);

// Checks the claim (GET: exists, bound) and creates the VolumeSnapshot. The record has the claim's spec and the
// snapshot's name; the status fields come with WaitReady.
backup::VolumeSnapshotRecord CreateSnapshot(kube::Client& client, const SnapshotRequest& request);

// Waits until the snapshot is readyToUse and fills the record's status fields (restoreSize, content, creation
// time). Throws Error on status.error (a permanent one: transient conflicts are waited out), on the snapshot's
// deletion, on a permanent watch error (403), after timeout, and when SIGTERM/SIGINT arrive (backup/cancel.h, when
// the caller installed its handlers).
void WaitReady(kube::Client& client, backup::VolumeSnapshotRecord& record, std::chrono::milliseconds timeout);

// Deletes a snapshot; false when it was already gone (404).
bool DeleteSnapshot(kube::Client& client, const std::string& ns, const std::string& name);

// A Kubernetes API error of a snapshot request explained: a 404 on the snapshot API group (no CRDs) or a 403
// (RBAC). Other errors are returned unchanged (as a copy of their message).
std::string ExplainApiError(const kube::ApiError& e, const std::string& doing);

}  // namespace capstan::snapshot
