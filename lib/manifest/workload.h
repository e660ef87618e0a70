// Facts about a workload that upgrade-safety decisions need: replicas (absent means 1), the pod template's labels,
// its selector, and its containers.
#pragma once
#include <string>

#include "manifest/object.h"
#include "manifest/selector.h"
#include "yaml/tree.h"

namespace capstan::manifest {

// True for the kinds whose pods serve behind a rolling update: Deployment, StatefulSet (apps group).
bool IsReplicatedKind(const ObjectInfo& info);
// spec.replicas as an integer; absent (or not a number) means 1, as the API server defaults it.
long long Replicas(const yaml::Node& root);

}  // namespace capstan::manifest
