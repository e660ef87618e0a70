// A simulated CSI snapshot controller and provisioner on the local Kubernetes API test server (kube_test_server.h),
// for the snapshot tests: it plays the lifecycle of snapshot.storage.k8s.io/v1 VolumeSnapshots as the
// external-snapshotter does. A new VolumeSnapshot is first bound to a VolumeSnapshotContent (a cluster-scoped object
// the sim creates, deletionPolicy Delete; status boundVolumeSnapshotContentName, creationTime, readyToUse false) and
// becomes readyToUse a moment later with restoreSize (the source claim's status.capacity.storage; the content's in
// bytes); a content whose snapshot is deleted goes with it. Errors as the controller writes them into status.error:
// a VolumeSnapshotClass that does not exist, no default class, a CSI driver failure scripted per claim, a claim
// scripted never to finish, a transient conflict the controller retries. A claim created with a VolumeSnapshot
// dataSource is bound (phase Bound, capacity as requested) when its snapshot is ready. Also makes bound claims.
#pragma once
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "kube/kube_test_server.h"

namespace capstan::test {

enum class SnapshotOutcome { kReady, kDriverError, kNeverReady, kTransientConflict };

struct SnapshotSimOptions {
  std::string ns = "shop";
  std::set<std::string> classes = {"csi-snapclass"};
  std::string default_class = "csi-snapclass";  // "": the cluster has no default class
  std::chrono::milliseconds step{150};           // from creation to bound, and from bound to ready
};

class SnapshotSim {
 public:
  SnapshotSim(KubeTestServer& server, SnapshotSimOptions options);
  ~SnapshotSim();
  SnapshotSim(const SnapshotSim&) = delete;
  SnapshotSim& operator=(const SnapshotSim&) = delete;

  // A bound claim (phase Bound, storage class, access modes, capacity).
  void AddClaim(const std::string& name, const std::string& size = "10Gi", const std::string& storage_class = "csi-rbd",
                const std::string& phase = "Bound");
  // The outcome of the snapshots of this claim from now on (default kReady).
  void Script(const std::string& pvc, SnapshotOutcome outcome);
  static std::string SnapshotPath(const std::string& ns, const std::string& name);
  static std::string ClaimPath(const std::string& ns, const std::string& name);

 private:
  void Loop();
  void Tick();

  KubeTestServer& server_;
  SnapshotSimOptions options_;
  std::mutex mu_;
  std::map<std::string, SnapshotOutcome> script_;
  struct Life {
    std::chrono::steady_clock::time_point born;
    int step = 0;
  };
  std::map<std::string, Life> lives_;  // by path#uid
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace capstan::test
