#include "kube/pod_health.h"

#include "util/strings.h"

namespace capstan::kube {
namespace {

std::string ContainerSummary(const Json& cs, bool init) {
  std::string name = GetString(cs, {"name"});
  bool ready = GetBool(cs, {"ready"}).value_or(false);
  int64_t restarts = GetIntOr(cs, {"restartCount"}, 0);
  std::vector<std::string> parts;
  if (const Json* w = Find(cs, {"state", "waiting"}); w != nullptr && w->IsObject()) {
    std::string msg = GetString(*w, {"message"});
    if (msg.size() > 160) msg = msg.substr(0, 160) + "...";
    parts.push_back("waiting " + GetString(*w, {"reason"}, "(no reason)") + (msg.empty() ? "" : " (" + msg + ")"));
  } else if (const Json* t = Find(cs, {"state", "terminated"}); t != nullptr && t->IsObject()) {
    if (init && GetString(*t, {"reason"}) == "Completed") return "";
    parts.push_back("terminated " + GetString(*t, {"reason"}, "(no reason)") + " exit " +
                    std::to_string(GetIntOr(*t, {"exitCode"}, 0)));
  } else if (!ready && !init) {
    parts.push_back("running but not ready (readiness probe failing?)");
  }
  if (const Json* lt = Find(cs, {"lastState", "terminated"}); lt != nullptr && lt->IsObject())
    parts.push_back("last terminated " + GetString(*lt, {"reason"}, "(no reason)") + " exit " +
                    std::to_string(GetIntOr(*lt, {"exitCode"}, 0)));
  if (restarts > 0) parts.push_back(std::to_string(restarts) + (restarts == 1 ? " restart" : " restarts"));
  if (parts.empty()) return "";
  return std::string(init ? "init container " : "container ") + name + ": " + Join(parts, ", ");
}

}  // namespace

PodProblem DiagnosePod(const Json& pod) {
  PodProblem p;
  p.pod = GetString(pod, {"metadata", "name"});
  p.phase = GetString(pod, {"status", "phase"}, "Unknown");
  if (p.phase == "Succeeded") return p;
  bool pod_ready = false;
  if (const Json* conds = Find(pod, {"status", "conditions"}); conds != nullptr && conds->IsArray())
    for (const auto& c : conds->GetArray())
      if (c.IsObject() && GetString(c, {"type"}) == "Ready") pod_ready = GetString(c, {"status"}) == "True";
  if (pod_ready && p.phase == "Running") return p;
  std::vector<std::string> parts;
  for (const char* key : {"initContainerStatuses", "containerStatuses"}) {
    const Json* arr = Find(pod, {"status", key});
    if (arr == nullptr || !arr->IsArray()) continue;
    for (const auto& cs : arr->GetArray()) {
      if (!cs.IsObject()) continue;
      std::string s = ContainerSummary(cs, std::string_view(key) == "initContainerStatuses");
      if (!s.empty()) parts.push_back(s);
    }
  }
  if (parts.empty()) {
    std::string reason = GetString(pod, {"status", "reason"});
    std::string msg;
    if (const Json* conds = Find(pod, {"status", "conditions"}); conds != nullptr && conds->IsArray())
      for (const auto& c : conds->GetArray())
        if (c.IsObject() && GetString(c, {"type"}) == "PodScheduled" && GetString(c, {"status"}) == "False")
          msg = "unschedulable: " + GetString(c, {"message"});
    parts.push_back(!msg.empty() ? msg : !reason.empty() ? reason : "not ready");
  }
  p.summary = Join(parts, "; ");
  return p;
}

std::vector<PodProblem> UnhealthyPods(const Json& list) {
  std::vector<PodProblem> out;
  const Json* items = Find(list, {"items"});
  if (items == nullptr || !items->IsArray()) return out;
  for (const auto& pod : items->GetArray()) {
    if (!pod.IsObject()) continue;
    PodProblem p = DiagnosePod(pod);
    if (!p.summary.empty()) out.push_back(std::move(p));
  }
  return out;
}

bool PodReady(const Json& pod) {
  if (const Json* conds = Find(pod, {"status", "conditions"}); conds != nullptr && conds->IsArray())
    for (const auto& c : conds->GetArray())
      if (c.IsObject() && GetString(c, {"type"}) == "Ready") return GetString(c, {"status"}) == "True";
  return false;
}

std::string PodFailure::Describe() const {
  std::string out = "pod " + pod;
  if (!container.empty()) out += (init ? " init container " : " container ") + container;
  out += ": " + reason;
  if (reason == "CrashLoopBackOff") out += " after " + std::to_string(restarts) + (restarts == 1 ? " restart" : " restarts");
  if (!message.empty()) out += " (" + message + ")";
  return out;
}

std::optional<PodFailure> FatalPodProblem(const Json& pod, int crashloop_restarts) {
  PodFailure f;
  f.pod = GetString(pod, {"metadata", "name"});
  auto cut = [](std::string m) { return m.size() > 300 ? m.substr(0, 300) + "..." : m; };
  for (const char* key : {"initContainerStatuses", "containerStatuses"}) {
    const Json* arr = Find(pod, {"status", key});
    if (arr == nullptr || !arr->IsArray()) continue;
    for (const auto& cs : arr->GetArray()) {
      const Json* w = Find(cs, {"state", "waiting"});
      if (w == nullptr || !w->IsObject()) continue;
      std::string reason = GetString(*w, {"reason"});
      int64_t restarts = GetIntOr(cs, {"restartCount"}, 0);
      bool fatal = reason == "ImagePullBackOff" || reason == "ErrImagePull" || reason == "InvalidImageName" ||
                   reason == "CreateContainerConfigError" || reason == "CreateContainerError" ||
                   (reason == "CrashLoopBackOff" && restarts >= crashloop_restarts);
      if (!fatal) continue;
      f.container = GetString(cs, {"name"});
      f.init = std::string_view(key) == "initContainerStatuses";
      f.reason = reason;
      f.message = cut(GetString(*w, {"message"}));
      f.restarts = restarts;
      if (reason == "CrashLoopBackOff")
        if (const Json* lt = Find(cs, {"lastState", "terminated"}); lt != nullptr && lt->IsObject())
          f.message = cut("last terminated " + GetString(*lt, {"reason"}, "(no reason)") + " exit " +
                          std::to_string(GetIntOr(*lt, {"exitCode"}, 0)) +
                          (f.message.empty() ? "" : "; " + f.message));
      return f;
    }
  }
  if (const Json* conds = Find(pod, {"status", "conditions"}); conds != nullptr && conds->IsArray())
    for (const auto& c : conds->GetArray())
      if (c.IsObject() && GetString(c, {"type"}) == "PodScheduled" && GetString(c, {"status"}) == "False" &&
          GetString(c, {"reason"}) == "Unschedulable") {
        f.reason = "Unschedulable";
        f.message = cut(GetString(c, {"message"}));
        f.unschedulable = true;
        return f;
      }
  return std::nullopt;
}

}  // namespace capstan::kube
