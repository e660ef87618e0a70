// The engine of `capstan verify` (post-install/post-upgrade hook): wait, with a bounded timeout, until every
// Deployment, StatefulSet and DaemonSet of the release (label selector) has rolled out; then run the HTTP smoke
// checks; say what is not healthy (which pods, their container states, restart reasons). Recording the outcome
// in the release record is done by the caller (RecordOutcome).
#pragma once
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "kube/client.h"
#include "kube/pod_health.h"
#include "kube/rollout.h"
#include "verify/smoke.h"

namespace capstan::verify {

struct VerifyOptions {
  std::string ns;
  std::string release;
  std::string selector;  // default app.kubernetes.io/instance=<release>
  std::chrono::milliseconds timeout{300000};
  std::chrono::milliseconds interval{2000};
  std::vector<SmokeCheck> checks;
  SmokeOptions smoke;
};

struct WorkloadState {
  std::string kind, name;
  kube::RolloutStatus status;
};

struct VerifyReport {
  bool rolled_out = false;
  bool timed_out = false;
  std::string problem;  // why the rollout part failed ("" when rolled out)
  std::vector<WorkloadState> workloads;
  std::vector<kube::PodProblem> pods;
  std::vector<SmokeResult> smoke;
  bool ok() const;
  // Human summary: one line per unhealthy workload, pod and failing smoke request.
  std::string Summary() const;
  std::string ToJson() const;
};

std::string DefaultSelector(const std::string& release);
VerifyReport RunVerify(kube::Client& client, const VerifyOptions& options);

}  // namespace capstan::verify
