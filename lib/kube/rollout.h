// Rollout status of workloads computed from their JSON objects, the way `kubectl rollout status` computes it
// (observedGeneration, updated/ready/available replicas, StatefulSet revisions and partitions), plus Job
// completion. Pure functions: easy to test and shared by `capstan wait` and `capstan verify`.
#pragma once
#include <string>

#include "kube/json.h"

namespace capstan::kube {

enum class RolloutState { kProgressing, kDone, kFailed };

struct RolloutStatus {
  RolloutState state = RolloutState::kProgressing;
  std::string message;  // kubectl-like: "Waiting for deployment \"x\" rollout to finish: 1 of 3 updated replicas..."
  bool done() const { return state == RolloutState::kDone; }
};

RolloutStatus DeploymentRollout(const Json& deployment);
RolloutStatus StatefulSetRollout(const Json& statefulset);
RolloutStatus DaemonSetRollout(const Json& daemonset);
RolloutStatus JobCompletion(const Json& job);
// Dispatches on the object's kind; a kind without a rollout is done.
RolloutStatus WorkloadRollout(const Json& object);

}  // namespace capstan::kube
