// A digest that identifies a pod template generation by its meaning, for the ordered-start marker
// (capstan.dev/ordered-start-digest, docs/wait.md): SHA-256 over a canonical form of the template in which mapping
// keys are sorted (Kubernetes sees maps, not key order), merge keys and aliases are resolved, and scalars carry their
// YAML 1.1 type as Kubernetes reads them ("int:3", "str:3"), so reformatting, reordering or re-quoting the chart's
// YAML never changes it while any change of a value does. What Capstan itself writes into the template is left out
// (the annotations and containers named in TemplateDigestExclusions), so the digest of a template is the same
// whether or not it was already post-rendered.
#pragma once
#include <string>
#include <vector>

#include "yaml/tree.h"

namespace capstan::manifest {

struct TemplateDigestExclusions {
  std::vector<std::string> annotations;  // metadata.annotations keys left out
  std::vector<std::string> containers;   // spec.containers / spec.initContainers entries (by name) left out
};

// The canonical text the digest is taken over (exposed for tests and for explaining a difference).
std::string CanonicalTemplate(const yaml::Node& pod_template, const TemplateDigestExclusions& exclusions);
// "sha256:<64 hex>" over CanonicalTemplate.
std::string TemplateDigest(const yaml::Node& pod_template, const TemplateDigestExclusions& exclusions);

}  // namespace capstan::manifest
