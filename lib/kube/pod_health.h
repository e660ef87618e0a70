// Why pods are not healthy, from their status: phase, readiness, each container's waiting/terminated state and
// reason (CrashLoopBackOff, ImagePullBackOff, OOMKilled, Error...), last termination and restart counts. Used by
// `capstan verify` to say which pods are the problem, and by `capstan roll` to fail fast on a pod that cannot become
// Ready (FatalPodProblem).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kube/json.h"

namespace capstan::kube {

struct PodProblem {
  std::string pod;
  std::string phase;
  std::string summary;  // "container app: waiting CrashLoopBackOff (back-off 5m0s ...), last terminated OOMKilled
                        // exit 137, 7 restarts"
};

// nullopt-like: an empty summary when the pod is Ready (or Succeeded).
PodProblem DiagnosePod(const Json& pod);
// Every pod of a PodList that is not healthy.
std::vector<PodProblem> UnhealthyPods(const Json& pod_list);

// A state a pod does not leave by waiting: a container in CrashLoopBackOff that restarted at least
// crashloop_restarts times, ImagePullBackOff, ErrImagePull, InvalidImageName, CreateContainerConfigError,
// CreateContainerError (init containers included), or the pod unschedulable (PodScheduled False, reason
// Unschedulable: unschedulable is set, and the caller applies its grace period, since autoscalers add nodes).
struct PodFailure {
  std::string pod;
  std::string container;  // empty for Unschedulable
  bool init = false;
  std::string reason;     // "CrashLoopBackOff", "ErrImagePull", "Unschedulable", ...
  std::string message;    // the server's message (cut at 300 bytes)
  int64_t restarts = 0;
  bool unschedulable = false;
  std::string Describe() const;  // "pod web-0 container app: CrashLoopBackOff after 3 restarts (back-off ...)"
};
std::optional<PodFailure> FatalPodProblem(const Json& pod, int crashloop_restarts);
// Whether the pod's Ready condition is True.
bool PodReady(const Json& pod);

}  // namespace capstan::kube
