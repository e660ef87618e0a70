#include "kube/rollout.h"

#include "util/strings.h"

namespace capstan::kube {
namespace {

RolloutStatus Progress(std::string msg) { return {RolloutState::kProgressing, std::move(msg)}; }
RolloutStatus Done(std::string msg) { return {RolloutState::kDone, std::move(msg)}; }
RolloutStatus Failed(std::string msg) { return {RolloutState::kFailed, std::move(msg)}; }
std::string N(int64_t v) { return std::to_string(v); }

const Json* Condition(const Json& obj, std::string_view type) {
  const Json* conds = Find(obj, {"status", "conditions"});
  if (conds == nullptr || !conds->IsArray()) return nullptr;
  for (const auto& c : conds->GetArray())
    if (c.IsObject() && GetString(c, {"type"}) == type) return &c;
  return nullptr;
}

bool GenerationObserved(const Json& obj) {
  return GetIntOr(obj, {"metadata", "generation"}, 0) <= GetIntOr(obj, {"status", "observedGeneration"}, 0);
}

}  // namespace

RolloutStatus DeploymentRollout(const Json& d) {
  std::string name = "deployment " + Quote(GetString(d, {"metadata", "name"}));
  if (!GenerationObserved(d)) return Progress("Waiting for " + name + " spec update to be observed");
  if (const Json* c = Condition(d, "Progressing"); c != nullptr && GetString(*c, {"reason"}) == "ProgressDeadlineExceeded")
    return Failed(name + " exceeded its progress deadline");
  int64_t replicas = GetIntOr(d, {"spec", "replicas"}, 1);
  int64_t updated = GetIntOr(d, {"status", "updatedReplicas"}, 0);
  int64_t current = GetIntOr(d, {"status", "replicas"}, 0);
  int64_t available = GetIntOr(d, {"status", "availableReplicas"}, 0);
  if (updated < replicas)
    return Progress("Waiting for " + name + " rollout to finish: " + N(updated) + " out of " + N(replicas) +
                    " new replicas have been updated");
  if (current > updated)
    return Progress("Waiting for " + name + " rollout to finish: " + N(current - updated) +
                    " old replicas are pending termination");
  if (available < updated)
    return Progress("Waiting for " + name + " rollout to finish: " + N(available) + " of " + N(updated) +
                    " updated replicas are available");
  return Done(name + " successfully rolled out");
}

RolloutStatus DaemonSetRollout(const Json& d) {
  std::string name = "daemon set " + Quote(GetString(d, {"metadata", "name"}));
  std::string strategy = GetString(d, {"spec", "updateStrategy", "type"}, "RollingUpdate");
  if (!GenerationObserved(d)) return Progress("Waiting for " + name + " spec update to be observed");
  int64_t desired = GetIntOr(d, {"status", "desiredNumberScheduled"}, 0);
  int64_t updated = GetIntOr(d, {"status", "updatedNumberScheduled"}, 0);
  int64_t available = GetIntOr(d, {"status", "numberAvailable"}, 0);
  if (strategy == "RollingUpdate" && updated < desired)
    return Progress("Waiting for " + name + " rollout to finish: " + N(updated) + " out of " + N(desired) +
                    " new pods have been updated");
  if (available < desired)
    return Progress("Waiting for " + name + " rollout to finish: " + N(available) + " of " + N(desired) +
                    " updated pods are available");
  return Done(name + " successfully rolled out" + (strategy == "RollingUpdate" ? "" : " (" + strategy +
                                                    " strategy: pods are replaced only when deleted)"));
}

RolloutStatus StatefulSetRollout(const Json& s) {
  std::string name = "statefulset " + Quote(GetString(s, {"metadata", "name"}));
  std::string strategy = GetString(s, {"spec", "updateStrategy", "type"}, "RollingUpdate");
  int64_t observed = GetIntOr(s, {"status", "observedGeneration"}, 0);
  if (observed == 0 || GetIntOr(s, {"metadata", "generation"}, 0) > observed)
    return Progress("Waiting for " + name + " spec update to be observed");
  int64_t replicas = GetIntOr(s, {"spec", "replicas"}, 1);
  int64_t ready = GetIntOr(s, {"status", "readyReplicas"}, 0);
  if (ready < replicas) return Progress("Waiting for " + N(replicas - ready) + " pods of " + name + " to be ready");
  if (strategy != "RollingUpdate")
    return Done(name + " has all replicas ready (" + strategy + " strategy: pods are replaced only when deleted)");
  int64_t partition = GetIntOr(s, {"spec", "updateStrategy", "rollingUpdate", "partition"}, 0);
  if (partition > 0) {
    int64_t updated = GetIntOr(s, {"status", "updatedReplicas"}, 0);
    int64_t want = replicas - partition;
    if (want < 0) want = 0;
    if (updated < want)
      return Progress("Waiting for partitioned roll out of " + name + " to finish: " + N(updated) + " out of " +
                      N(want) + " new pods have been updated");
    return Done("partitioned roll out of " + name + " complete: " + N(updated) + " new pods have been updated");
  }
  std::string update_rev = GetString(s, {"status", "updateRevision"});
  std::string current_rev = GetString(s, {"status", "currentRevision"});
  if (update_rev != current_rev)
    return Progress("Waiting for " + name + " rolling update to complete " +
                    N(GetIntOr(s, {"status", "updatedReplicas"}, 0)) + " pods at revision " + update_rev);
  return Done(name + " rolling update complete " + N(GetIntOr(s, {"status", "currentReplicas"}, replicas)) +
              " pods at revision " + current_rev);
}

RolloutStatus JobCompletion(const Json& j) {
  std::string name = "job " + Quote(GetString(j, {"metadata", "name"}));
  if (const Json* c = Condition(j, "Failed"); c != nullptr && GetString(*c, {"status"}) == "True")
    return Failed(name + " failed: " + GetString(*c, {"reason"}) +
                  (GetString(*c, {"message"}).empty() ? "" : " (" + GetString(*c, {"message"}) + ")"));
  if (const Json* c = Condition(j, "Complete"); c != nullptr && GetString(*c, {"status"}) == "True")
    return Done(name + " completed");
  int64_t completions = GetIntOr(j, {"spec", "completions"}, 1);
  return Progress("Waiting for " + name + " to complete: " + N(GetIntOr(j, {"status", "succeeded"}, 0)) + " of " +
                  N(completions) + " succeeded, " + N(GetIntOr(j, {"status", "active"}, 0)) + " active, " +
                  N(GetIntOr(j, {"status", "failed"}, 0)) + " failed");
}

RolloutStatus WorkloadRollout(const Json& o) {
  std::string kind = GetString(o, {"kind"});
  if (kind == "Deployment") return DeploymentRollout(o);
  if (kind == "StatefulSet") return StatefulSetRollout(o);
  if (kind == "DaemonSet") return DaemonSetRollout(o);
  if (kind == "Job") return JobCompletion(o);
  return Done(kind + " " + Quote(GetString(o, {"metadata", "name"})) + " has no rollout");
}

}  // namespace capstan::kube
