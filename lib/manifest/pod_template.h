// Where a workload keeps its pod template: Deployment/StatefulSet/DaemonSet/ReplicaSet/Job/Rollout at
// spec.template, CronJob at spec.jobTemplate.spec.template, a bare Pod at the document root. More kinds can be
// declared by configuration (kind, optional API group, path).
#pragma once
#include <string>
#include <vector>

#include "manifest/object.h"
#include "yaml/tree.h"

namespace capstan::manifest {

struct WorkloadKind {
  std::string group;  // API group ("apps"); "*" matches any group
  std::string kind;
  std::vector<std::string> template_path;  // empty: the document root is the pod (metadata + spec)
};

const std::vector<WorkloadKind>& BuiltinWorkloadKinds();

struct PodTemplate {
  yaml::Node node;                 // the mapping holding metadata and spec; invalid when not a workload
  std::vector<std::string> path;   // from the document root
  const WorkloadKind* kind = nullptr;
  yaml::Node spec() const { return node.Get("spec"); }
  yaml::Node metadata() const { return node.Get("metadata"); }
};

// Finds the pod template of a workload. `extra` kinds are checked before the built-in ones.
PodTemplate FindPodTemplate(const yaml::Node& root, const ObjectInfo& info,
                            const std::vector<WorkloadKind>& extra = {});
bool IsWorkloadKind(const ObjectInfo& info, const std::vector<WorkloadKind>& extra = {});

}  // namespace capstan::manifest
