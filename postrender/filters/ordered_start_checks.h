// What makes an ordered-start configuration (capstan.dev/ordered-start: "true") unable to work, checked before the
// ordered-start filter injects anything and in check mode (docs/wait.md, "What the post-renderer checks"):
//   ordered-start-kind              not a StatefulSet: pods have no stable ordinal, so there is no pod 0 (warning;
//                                   nothing is injected)
//   ordered-start-volume            no capstan.dev/ordered-start-volume, the volume is not declared, or no container
//                                   mounts it without a subPath (error)
//   ordered-start-volume-not-shared the volume is per pod (volumeClaimTemplates, emptyDir), or read-only
//                                   (configMap, secret, downwardAPI, projected, a read-only claim): pods > 0 would never
//                                   see pod 0's marker (error); hostPath is shared only by pods on one node (warning)
//   ordered-start-rolling-update    updateStrategy RollingUpdate (or a rollingUpdate block without a type, which the
//                                   API server defaults to RollingUpdate): pods > 0 are replaced first and wait for a
//                                   pod 0 replaced last (error)
//   ordered-start-update-strategy   an updateStrategy type other than OnDelete or RollingUpdate (error)
//   ordered-start-single-replica    one replica (or none set): nothing waits for pod 0 until the set is scaled (info)
//   ordered-start-no-config-digest  the pods consume ConfigMaps/Secrets but their config digest is off: a change of
//                                   them is not part of the marker, so pods > 0 do not wait for pod 0 to take it
//                                   up (warning)
//   bad-wait-for                    capstan.dev/ordered-start-ready does not parse (error)
#pragma once
#include <string>
#include <vector>

#include "findings/finding.h"
#include "manifest/pod_template.h"
#include "yaml/tree.h"

namespace capstan::postrender {

struct OrderedStartProblem {
  findings::Severity severity;
  std::string rule;
  std::string message;
};

struct OrderedStartSetup {
  std::string volume;                   // capstan.dev/ordered-start-volume
  std::string mount_path;               // where the pod's containers mount it
  std::vector<std::string> ready_args;  // capstan.dev/ordered-start-ready as `capstan wait` arguments
  bool set_on_delete = false;           // no updateStrategy: the filter sets OnDelete
  bool consumes_config = false;         // the pod spec references a ConfigMap or Secret
};

// Checks a workload annotated capstan.dev/ordered-start: "true". Fills setup with what the injection needs.
// config_digest: whether the checksum filter writes this workload's config digest (--checksum, its opt-out/opt-in). An error problem means the
// configuration cannot work and nothing may be injected.
std::vector<OrderedStartProblem> CheckOrderedStart(const yaml::Node& root, const manifest::PodTemplate& tmpl,
                                                   const std::string& kind, bool config_digest,
                                                   OrderedStartSetup& setup);

}  // namespace capstan::postrender
