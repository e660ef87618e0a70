#include "roll/progress.h"

#include <algorithm>

#include "kube/pod_health.h"
#include "log/log.h"
#include "util/duration.h"
#include "util/strings.h"

namespace capstan::roll {

std::string WaitingReason(const kube::Json& pod, std::string* container) {
  for (const char* key : {"initContainerStatuses", "containerStatuses"}) {
    const kube::Json* arr = kube::Find(pod, {"status", key});
    if (arr == nullptr || !arr->IsArray()) continue;
    for (const auto& cs : arr->GetArray()) {
      std::string r = kube::GetString(cs, {"state", "waiting", "reason"});
      if (r.empty()) continue;
      if (container != nullptr) *container = kube::GetString(cs, {"name"});
      return r;
    }
  }
  return "";
}

std::string PodStateText(const kube::Json& pod) {
  std::string phase = kube::GetString(pod, {"status", "phase"}, "Pending");
  std::string out = phase + (kube::PodReady(pod) ? ", Ready" : ", not Ready");
  std::string container;
  std::string reason = WaitingReason(pod, &container);
  if (!reason.empty()) out += ", container " + container + " waiting " + reason;
  int64_t restarts = 0;
  if (const kube::Json* arr = kube::Find(pod, {"status", "containerStatuses"}); arr != nullptr && arr->IsArray())
    for (const auto& cs : arr->GetArray()) restarts += kube::GetIntOr(cs, {"restartCount"}, 0);
  if (restarts > 0) out += ", " + std::to_string(restarts) + (restarts == 1 ? " restart" : " restarts");
  if (kube::Find(pod, {"metadata", "deletionTimestamp"}) != nullptr) out += ", terminating";
  return out;
}

Progress::Progress(std::string set_name, Clock::time_point start) : set_(std::move(set_name)), start_(start) {}

void Progress::SetTotals(int current, int total) {
  if (start_current_ < 0) start_current_ = current;
  current_ = current;
  total_ = total;
}

std::string Progress::Totals() const {
  std::string out = std::to_string(current_) + "/" + std::to_string(total_) + " pods current";
  int done = current_ - std::max(0, start_current_);
  int left = total_ - current_;
  if (done > 0 && left > 0) {
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_);
    long long ms = elapsed.count() * left / done;
    ms = ms >= 10000 ? (ms + 500) / 1000 * 1000 : (ms + 50) / 100 * 100;  // whole seconds, or tenths below 10s
    out += ", ETA " + FormatDuration(std::chrono::milliseconds(ms));
  }
  return out;
}

void Progress::Pod(const std::string& name, const kube::Json* pod, const std::string& update_revision) {
  bool json = log::Current().format == log::Format::kJson;
  if (pod == nullptr) {
    auto it = shown_.find(name);
    if (it == shown_.end() || it->second == "gone") return;
    it->second = "gone";
    if (json)
      log::Info("pod deleted", {{"pod", name}, {"phase", "Deleted"}, {"ready", false}, {"reason", "Deleted"},
                                {"current", current_}, {"total", total_}});
    else
      log::Info("pod " + name + ": deleted (" + Totals() + ")");
    return;
  }
  std::string revision = kube::GetString(*pod, {"metadata", "labels", "controller-revision-hash"});
  std::string state = PodStateText(*pod);
  std::string key = kube::GetString(*pod, {"metadata", "uid"}) + "|" + revision + "|" + state;
  auto it = shown_.find(name);
  if (it != shown_.end() && it->second == key) return;
  bool first = it == shown_.end();
  shown_[name] = key;
  bool is_current = revision == update_revision;
  std::string container;
  std::string reason = WaitingReason(*pod, &container);
  if (json) {
    log::Fields f = {{"pod", name},
                     {"phase", kube::GetString(*pod, {"status", "phase"}, "Pending")},
                     {"ready", kube::PodReady(*pod)},
                     {"revision", revision},
                     {"current_revision", is_current},
                     {"reason", reason}};
    if (!container.empty()) f.emplace_back("container", container);
    f.emplace_back("current", current_);
    f.emplace_back("total", total_);
    log::Info(first ? "pod" : "pod changed", f);
  } else {
    log::Info("pod " + name + ": " + state + (is_current ? "" : " (old revision " + revision + ")") + " (" +
              Totals() + ")");
  }
}

void Progress::Event(const kube::Json& ev) {
  if (kube::GetString(ev, {"type"}) != "Warning") return;
  std::string pod = kube::GetString(ev, {"involvedObject", "name"});
  std::string reason = kube::GetString(ev, {"reason"});
  std::string message = kube::GetString(ev, {"message"});
  if (message.size() > 300) message = message.substr(0, 300) + "...";
  if (!events_seen_.insert(pod + "|" + reason + "|" + message).second) return;
  if (log::Current().format == log::Format::kJson)
    log::Warn("event", {{"pod", pod}, {"reason", reason}, {"message", message}});
  else
    log::Warn("pod " + pod + ": event " + reason + ": " + message);
}

void Progress::Deleting(const std::string& pod, const std::string& from, const std::string& to) {
  if (log::Current().format == log::Format::kJson)
    log::Info("deleting pod", {{"pod", pod}, {"phase", "Deleting"}, {"ready", false}, {"reason", "Replace"},
                               {"from_revision", from}, {"revision", to}});
  else
    log::Info("deleting pod " + pod + " (revision " + from + " -> " + to + ")");
}

}  // namespace capstan::roll
