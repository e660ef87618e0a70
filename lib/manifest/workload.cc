#include "manifest/workload.h"

#include "yaml/yaml11.h"

namespace capstan::manifest {

bool IsReplicatedKind(const ObjectInfo& info) {
  return info.is_object && (info.Group() == "apps" || info.Group() == "argoproj.io") &&
         (info.kind == "Deployment" || info.kind == "StatefulSet" || info.kind == "Rollout");
}

long long Replicas(const yaml::Node& root) {
  yaml::Node r = root.Get("spec").Get("replicas");
  if (!r.IsScalar()) return 1;
  yaml::ResolvedScalar v = yaml::Resolve(r);
  if (v.type == yaml::ScalarType::kInt && !v.is_unsigned) return v.integer;
  return 1;
}

}  // namespace capstan::manifest
