// Live progress of `capstan roll`, one log line per change (lib/log: JSON lines in a pod, text on a terminal): a
// pod's phase, readiness, revision or container waiting reason changed, a pod was deleted or recreated, a Warning
// Event of one of the set's pods (FailedScheduling, FailedMount, BackOff, Failed, Unhealthy...; each reason+message
// once). JSON lines carry the fields pod, phase, ready, revision, reason, current, total; text lines say the same
// in words and end with the totals ("2/5 pods current") and an ETA from the pace so far.
#pragma once
#include <chrono>
#include <map>
#include <set>
#include <string>

#include "kube/json.h"

namespace capstan::roll {

class Progress {
 public:
  using Clock = std::chrono::steady_clock;
  Progress(std::string set_name, Clock::time_point start);

  // The rollout's totals (after each step), for the line suffix and the ETA.
  void SetTotals(int current, int total);
  // A pod as seen now (or deleted: pod is null, name given): logs a line when what is shown of it changed.
  void Pod(const std::string& name, const kube::Json* pod, const std::string& update_revision);
  // A Warning Event: logged once per involved pod + reason + message.
  void Event(const kube::Json& event);
  void Deleting(const std::string& pod, const std::string& from_revision, const std::string& to_revision);
  std::string Totals() const;  // "2/5 pods current, ETA 1m10s"

 private:
  std::string set_;
  Clock::time_point start_;
  int current_ = 0, total_ = 0, start_current_ = -1;
  std::map<std::string, std::string> shown_;  // pod -> what was last shown
  std::set<std::string> events_seen_;
};

// "Running, Ready" / "Pending, not Ready, container app waiting ContainerCreating"
std::string PodStateText(const kube::Json& pod);
// The first waiting reason of a container (init containers first), "" when none.
std::string WaitingReason(const kube::Json& pod, std::string* container = nullptr);

}  // namespace capstan::roll
