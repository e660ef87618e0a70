// The one rule for an annotation a workload can carry in two places, on the workload object itself or on its pod
// template (capstan.dev/wait-for, capstan.dev/checksum, capstan.dev/ordered-start...): the pod template's value
// wins; the workload's applies when the pod template has none. A value that is empty or only spaces counts as
// absent. Every filter reads such annotations through this accessor, so they all agree (docs/postrender.md,
// "Where annotations go").
#pragma once
#include <string_view>

#include "manifest/pod_template.h"
#include "yaml/tree.h"

namespace capstan::manifest {

// metadata.annotations[key] of the pod template, else of the workload (root); empty when neither sets it.
// For a bare Pod the template is the root itself.
std::string_view WorkloadAnnotation(const yaml::Node& root, const PodTemplate& tmpl, std::string_view key);

}  // namespace capstan::manifest
