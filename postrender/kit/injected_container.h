// The one builder for every container a filter injects into a pod (the wait filter's `capstan wait` init
// container, the ordered-start filter's waiter and marker): name, image, args, env, resources, volume mounts and a
// securityContext that meets the restricted Pod Security level (runAsNonRoot, readOnlyRootFilesystem,
// allowPrivilegeEscalation false, capabilities drop ALL, seccompProfile RuntimeDefault). The keys are always
// written in the same order, so every injected container reads the same.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "yaml/snippet.h"

namespace capstan::postrender {

struct ContainerResources {
  std::string cpu_request = "10m";
  std::string memory_request = "16Mi";
  std::string memory_limit;  // empty: no limit
};

struct InjectedContainer {
  std::string name;
  std::string image;
  std::vector<std::string> args;
  std::optional<yaml::Snippet> env;            // a list of EnvVar; omitted when unset or empty
  ContainerResources resources;
  std::optional<yaml::Snippet> volume_mounts;  // a list of VolumeMount; omitted when unset or empty
  // Replaces the restricted securityContext (the wait filter copies the pod's first container's, so the injected
  // container passes the same admission policy).
  std::optional<yaml::Snippet> security_context;
};

// The restricted Pod Security level's container securityContext.
yaml::Snippet RestrictedSecurityContext();
// The container as a mapping: name, image, args, env, resources, volumeMounts, securityContext (in this order).
yaml::Snippet BuildContainer(const InjectedContainer& c);

}  // namespace capstan::postrender
