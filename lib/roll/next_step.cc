#include "roll/next_step.h"

#include <algorithm>
#include <map>

#include "kube/pod_health.h"
#include "util/error.h"
#include "util/strings.h"

namespace capstan::roll {

int PodOrdinal(const std::string& set, const std::string& pod) {
  if (pod.size() <= set.size() + 1 || pod.compare(0, set.size(), set) != 0 || pod[set.size()] != '-') return -1;
  std::string_view rest = std::string_view(pod).substr(set.size() + 1);
  if (rest.size() > 6 || rest.find_first_not_of("0123456789") != std::string_view::npos) return -1;
  if (rest.size() > 1 && rest[0] == '0') return -1;
  return std::stoi(std::string(rest));
}

PodView ReadPod(const std::string& set, const kube::Json& pod) {
  PodView p;
  p.name = kube::GetString(pod, {"metadata", "name"});
  p.ordinal = PodOrdinal(set, p.name);
  p.uid = kube::GetString(pod, {"metadata", "uid"});
  p.revision = kube::GetString(pod, {"metadata", "labels", "controller-revision-hash"});
  p.phase = kube::GetString(pod, {"status", "phase"}, "Pending");
  p.ready = kube::PodReady(pod);
  p.terminating = kube::Find(pod, {"metadata", "deletionTimestamp"}) != nullptr;
  return p;
}

SetView ReadSet(const kube::Json& sts) {
  SetView s;
  s.name = kube::GetString(sts, {"metadata", "name"});
  int64_t replicas = kube::GetIntOr(sts, {"spec", "replicas"}, 1);
  if (replicas < 0 || replicas > 100000)
    throw Error("StatefulSet " + s.name + ": spec.replicas " + std::to_string(replicas) + " is out of range");
  s.replicas = static_cast<int>(replicas);
  s.generation = kube::GetIntOr(sts, {"metadata", "generation"}, 0);
  s.observed_generation = kube::GetIntOr(sts, {"status", "observedGeneration"}, 0);
  s.update_revision = kube::GetString(sts, {"status", "updateRevision"});
  auto annotation = [&](std::initializer_list<std::string_view> base, const char* key) {
    const kube::Json* a = kube::Find(sts, base);
    return a != nullptr ? kube::GetString(*a, {key}) : std::string();
  };
  const char* kOrdered = "capstan.dev/ordered-start";
  s.ordered_start = ToLower(annotation({"metadata", "annotations"}, kOrdered)) == "true" ||
                    ToLower(annotation({"spec", "template", "metadata", "annotations"}, kOrdered)) == "true";
  std::string mu = annotation({"metadata", "annotations"}, "capstan.dev/roll-max-unavailable");
  if (!mu.empty()) {
    if (mu.size() > 4 || mu.find_first_not_of("0123456789") != std::string::npos || std::stoi(mu) < 1)
      throw UsageError("StatefulSet " + s.name + ": annotation capstan.dev/roll-max-unavailable " + Quote(mu) +
                       " is not a whole number >= 1; fix the annotation or pass --max-unavailable");
    s.max_unavailable_annotation = std::stoi(mu);
  }
  const kube::Json* ml = kube::Find(sts, {"spec", "selector", "matchLabels"});
  std::vector<std::string> terms;
  if (ml != nullptr && ml->IsObject())
    for (const auto& m : ml->GetObject())
      if (m.value.IsString()) terms.push_back(std::string(m.name.GetString()) + "=" + m.value.GetString());
  if (terms.empty())
    throw Error("StatefulSet " + s.name + " has no spec.selector.matchLabels: capstan roll finds the set's pods by "
                "them (matchExpressions are not supported)");
  s.pod_selector = Join(terms, ",");
  return s;
}

Step NextStep(const StepInput& in) {
  Step step;
  const SetView& set = in.set;
  if (set.update_revision.empty() || set.observed_generation < set.generation) {
    step.action = Step::Action::kWaitController;
    step.waiting_for = "the StatefulSet controller to observe generation " + std::to_string(set.generation);
    return step;
  }
  std::map<int, const PodView*> by_ordinal;
  for (const auto& p : in.pods)
    if (p.ordinal >= 0 && p.ordinal < set.replicas) by_ordinal[p.ordinal] = &p;
  auto available = [&](int i) {
    auto it = by_ordinal.find(i);
    return it != by_ordinal.end() && !it->second->terminating && it->second->ready;
  };
  auto current = [&](int i) {
    auto it = by_ordinal.find(i);
    return it != by_ordinal.end() && !it->second->terminating && it->second->revision == set.update_revision;
  };
  for (int i = 0; i < set.replicas; ++i) {
    if (current(i) && available(i)) ++step.current;
    if (!available(i)) ++step.unavailable;
  }
  if (step.current == set.replicas) {
    step.action = Step::Action::kDone;
    return step;
  }
  int budget = std::max(1, in.max_unavailable) - step.unavailable;
  auto try_delete = [&](int i) {
    // Replacing a pod that is not available costs nothing more; an available one takes one from the budget.
    bool cost = available(i);
    if (cost && budget <= 0) return false;
    if (cost) --budget;
    step.delete_pods.push_back(by_ordinal[i]->name);
    step.delete_uids.push_back(by_ordinal[i]->uid);
    return true;
  };
  auto deletable = [&](int i) {
    auto it = by_ordinal.find(i);
    return it != by_ordinal.end() && !it->second->terminating && it->second->revision != set.update_revision;
  };
  auto name_of = [&](int i) { return set.name + "-" + std::to_string(i); };
  if (set.ordered_start && set.replicas > 0 && !(current(0) && available(0))) {
    if (deletable(0) && try_delete(0)) {
      step.action = Step::Action::kDelete;
      step.waiting_for = "pod " + name_of(0) + " to be replaced";
    } else {
      step.action = Step::Action::kWait;
      step.waiting_for = deletable(0) ? "fewer unavailable pods before replacing " + name_of(0)
                                      : "pod " + name_of(0) + " to be current and Ready (ordered start)";
    }
    return step;
  }
  std::vector<std::string> blocked;
  for (int i = set.replicas - 1; i >= 0; --i) {
    if (!deletable(i)) continue;
    if (!try_delete(i)) blocked.push_back(name_of(i));
  }
  if (!step.delete_pods.empty()) {
    step.action = Step::Action::kDelete;
    return step;
  }
  step.action = Step::Action::kWait;
  std::vector<std::string> pending;
  for (int i = 0; i < set.replicas; ++i)
    if (!(current(i) && available(i))) pending.push_back(name_of(i));
  step.waiting_for = (pending.size() == 1 ? "pod " : "pods ") + Join(pending, ", ") + " to be current and Ready";
  return step;
}

}  // namespace capstan::roll
