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

// The exclusions for everything Capstan's post-renderer writes into a pod template with its default names: the
// config-digest and ordered-start-digest annotations (and the default-container annotation ordered start sets), and
// the wait and ordered-start containers. digest_annotation / wait_container: the configured names when they differ.
TemplateDigestExclusions CapstanWrites(const std::string& digest_annotation = "capstan.dev/config-digest",
                                       const std::string& wait_container = "capstan-wait");

// The walk the digest is taken over, for other consumers of the same canonical form (lib/plan's per-field
// fingerprint): mapping entries in key order, merges and aliases resolved, exclusions applied. A scalar comes with
// its canonical typed text ("int:3").
class TemplateVisitor {
 public:
  virtual ~TemplateVisitor() = default;
  virtual void BeginMapping(size_t /*entries*/) {}
  virtual void Key(std::string_view /*key*/) {}
  virtual void EndKey() {}
  virtual void EndMapping() {}
  // items: the sequence's items left after exclusions (so a visitor can address them by name).
  virtual void BeginSequence(const std::vector<yaml::Node>& /*items*/) {}
  virtual void Item(size_t /*index*/) {}
  virtual void EndItem() {}
  virtual void EndSequence() {}
  virtual void Scalar(std::string_view canonical) = 0;
  virtual void Missing() { Scalar("~"); }  // an alias to nothing
};
void WalkTemplate(const yaml::Node& pod_template, const TemplateDigestExclusions& exclusions, TemplateVisitor& v);

// The canonical text the digest is taken over (exposed for tests and for explaining a difference).
std::string CanonicalTemplate(const yaml::Node& pod_template, const TemplateDigestExclusions& exclusions);
// "sha256:<64 hex>" over CanonicalTemplate.
std::string TemplateDigest(const yaml::Node& pod_template, const TemplateDigestExclusions& exclusions);

}  // namespace capstan::manifest
