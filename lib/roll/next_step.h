// The rollout step logic of `capstan roll`, pure logic: given the StatefulSet and its pods as last seen, what to do
// next — wait for the controller, delete which pods, wait, or done. No I/O, so every ordering rule is unit-tested
// (next_step_test.cc). The rules (docs/roll.md):
//  - nothing happens until the controller has observed the set's generation (status.updateRevision is then the
//    revision every pod must carry in its controller-revision-hash label);
//  - an ordered-start set (capstan.dev/ordered-start: "true") replaces pod 0 first and touches no other pod until
//    pod 0 is current and Ready (it initialises the shared state the others wait for);
//  - then the other non-current pods, highest ordinal first (as the StatefulSet controller's RollingUpdate does), at
//    most max_unavailable pods not Ready or deleted at a time;
//  - a current pod is never deleted, so a second run continues where the rollout stands.
#pragma once
#include <string>
#include <vector>

#include "kube/json.h"

namespace capstan::roll {

struct PodView {
  int ordinal = -1;
  std::string name, uid, revision, phase;
  bool ready = false;
  bool terminating = false;  // deletionTimestamp set, or deleted by us and not yet gone
};

struct SetView {
  std::string name;
  int replicas = 0;
  int64_t generation = 0, observed_generation = 0;
  std::string update_revision;
  bool ordered_start = false;
  int max_unavailable_annotation = 0;  // capstan.dev/roll-max-unavailable; 0 when absent
  std::string pod_selector;            // spec.selector.matchLabels as "k=v,k2=v2"
};

struct StepInput {
  SetView set;
  std::vector<PodView> pods;  // any order; pods of other sets or ordinals >= replicas are ignored
  int max_unavailable = 1;
};

struct Step {
  enum class Action { kWaitController, kDelete, kWait, kDone };
  Action action = Action::kWait;
  std::vector<std::string> delete_pods;  // kDelete: names, in order
  std::vector<std::string> delete_uids;  // their uids (DELETE preconditions)
  std::string waiting_for;               // what the rollout waits for ("pod web-0 to become Ready")
  int current = 0;                       // pods 0..replicas-1 current and Ready
  int unavailable = 0;
};

Step NextStep(const StepInput& in);

// Reading the objects: the ordinal from "<set>-<n>" (-1 when the name does not fit), a PodView from a Pod, a SetView
// from a StatefulSet (throws Error when spec.selector.matchLabels is missing).
int PodOrdinal(const std::string& set_name, const std::string& pod_name);
PodView ReadPod(const std::string& set_name, const kube::Json& pod);
SetView ReadSet(const kube::Json& sts);

}  // namespace capstan::roll
