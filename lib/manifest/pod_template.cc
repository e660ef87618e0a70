#include "manifest/pod_template.h"

namespace capstan::manifest {

const std::vector<WorkloadKind>& BuiltinWorkloadKinds() {
  static const std::vector<WorkloadKind> kinds = {
      {"apps", "Deployment", {"spec", "template"}},
      {"apps", "StatefulSet", {"spec", "template"}},
      {"apps", "DaemonSet", {"spec", "template"}},
      {"apps", "ReplicaSet", {"spec", "template"}},
      {"extensions", "Deployment", {"spec", "template"}},
      {"extensions", "DaemonSet", {"spec", "template"}},
      {"extensions", "ReplicaSet", {"spec", "template"}},
      {"batch", "Job", {"spec", "template"}},
      {"batch", "CronJob", {"spec", "jobTemplate", "spec", "template"}},
      {"", "Pod", {}},
      {"argoproj.io", "Rollout", {"spec", "template"}},
  };
  return kinds;
}

namespace {
const WorkloadKind* Match(const ObjectInfo& info, const std::vector<WorkloadKind>& extra) {
  std::string group = info.Group();
  for (const auto* list : {&extra, &BuiltinWorkloadKinds()})
    for (const auto& k : *list)
      if (k.kind == info.kind && (k.group == "*" || k.group == group)) return &k;
  return nullptr;
}
}  // namespace

bool IsWorkloadKind(const ObjectInfo& info, const std::vector<WorkloadKind>& extra) {
  return info.is_object && Match(info, extra) != nullptr;
}

PodTemplate FindPodTemplate(const yaml::Node& root, const ObjectInfo& info, const std::vector<WorkloadKind>& extra) {
  PodTemplate t;
  if (!info.is_object) return t;
  const WorkloadKind* k = Match(info, extra);
  if (!k) return t;
  yaml::Node n = root;
  for (const auto& key : k->template_path) {
    n = n.Get(key);
    if (!n.IsMapping()) return t;
  }
  if (!n.IsMapping()) return t;
  t.node = n.Resolved();
  t.path = k->template_path;
  t.kind = k;
  return t;
}

}  // namespace capstan::manifest
