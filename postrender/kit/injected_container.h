// The one builder for every container a filter injects into a pod (the wait filter's `capstan wait` init
// container, the ordered-start filter's waiter and marker): name, image, args, env, resources, volume mounts, an
// optional readinessProbe and a securityContext that meets the restricted Pod Security level (runAsNonRoot, readOnlyRootFilesystem,
// allowPrivilegeEscalation false, capabilities drop ALL, seccompProfile RuntimeDefault). The keys are always
// written in the same order, so every injected container reads the same. Also the one image rule of injected
// containers (HookImage): the image configured with --wait-image / CAPSTAN_WAIT_IMAGE / `wait-image:`, else the
// workload's capstan.dev/wait-image annotation, else the Capstan hook image of this binary's version.
#pragma once
#include <optional>
#include <string>
#include <string_view>
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
  std::optional<yaml::Snippet> readiness_probe;  // a Probe; omitted when unset
  // Replaces the restricted securityContext (the wait filter copies the pod's first container's, so the injected
  // container passes the same admission policy).
  std::optional<yaml::Snippet> security_context;
};

// The repository of the Capstan hook image (Dockerfile, target hook); the default image of injected containers is
// this repository at the binary's version (DefaultHookImage).
inline constexpr const char* kHookImageRepository = "ghcr.io/capstan-dev/capstan";
// Where the hook image holds the capstan binary (its ENTRYPOINT): an exec probe names the program itself.
inline constexpr const char* kHookImageBinary = "/capstan";
// The annotation (on a workload or its pod template) that names the image of the containers injected into it.
inline constexpr const char* kWaitImageAnnotation = "capstan.dev/wait-image";
// "ghcr.io/capstan-dev/capstan:<CAPSTAN_VERSION>".
std::string DefaultHookImage();
// configured (the option; "" when not set), else the workload's annotation (may be empty), else DefaultHookImage().
std::string HookImage(const std::string& configured, std::string_view workload_annotation);

// The restricted Pod Security level's container securityContext.
yaml::Snippet RestrictedSecurityContext();
// The container as a mapping: name, image, args, env, resources, volumeMounts, readinessProbe, securityContext (in
// this order).
yaml::Snippet BuildContainer(const InjectedContainer& c);

}  // namespace capstan::postrender
