// Why pods are not healthy, from their status: phase, readiness, each container's waiting/terminated state and
// reason (CrashLoopBackOff, ImagePullBackOff, OOMKilled, Error...), last termination and restart counts. Used by
// `capstan verify` to say which pods are the problem.
#pragma once
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

}  // namespace capstan::kube
