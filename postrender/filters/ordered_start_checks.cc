#include "postrender/filters/ordered_start_checks.h"

#include "manifest/config_refs.h"
#include "manifest/workload.h"
#include "manifest/workload_annotation.h"
#include "util/strings.h"
#include "wait/condition.h"

namespace capstan::postrender {

namespace {

using findings::Severity;

// Why the volume cannot carry the marker from pod 0 to the others ("" when it can); *warning when it only may not.
std::string NotShared(const yaml::Node& root, const yaml::Node& volume, const std::string& name, bool* warning) {
  *warning = false;
  for (const auto& claim : root.Get("spec").Get("volumeClaimTemplates").Items())
    if (claim.Get("metadata").Get("name").scalar() == name)
      return "is a volumeClaimTemplates entry: every pod gets its own claim, so pods > 0 never see pod 0's marker; "
             "use a volume all pods share (a ReadWriteMany claim, NFS...)";
  if (!volume) return "";
  for (const char* per_pod : {"emptyDir", "ephemeral"})
    if (volume.Get(per_pod))
      return std::string("is an ") + per_pod + " volume: every pod has its own, so pods > 0 never see pod 0's marker; "
             "use a volume all pods share (a ReadWriteMany claim, NFS...)";
  for (const char* read_only : {"configMap", "secret", "downwardAPI", "projected"})
    if (volume.Get(read_only))
      return std::string("is a ") + read_only + " volume: read-only and per pod, pod 0 cannot write its marker there; "
             "use a volume all pods share (a ReadWriteMany claim, NFS...)";
  if (volume.Get("persistentVolumeClaim").Get("readOnly").scalar() == "true")
    return "is mounted from a read-only claim (persistentVolumeClaim.readOnly: true): pod 0 cannot write its marker";
  if (volume.Get("hostPath")) {
    *warning = true;
    return "is a hostPath volume: only pods on the same node share it; pods > 0 scheduled elsewhere wait for a marker "
           "they cannot see until their timeout";
  }
  return "";
}

}  // namespace

std::vector<OrderedStartProblem> CheckOrderedStart(const yaml::Node& root, const manifest::PodTemplate& tmpl,
                                                   const std::string& kind, bool config_digest,
                                                   OrderedStartSetup& setup) {
  std::vector<OrderedStartProblem> out;
  auto add = [&](Severity s, const char* rule, const std::string& msg) { out.push_back({s, rule, msg}); };
  if (kind != "StatefulSet") {
    add(Severity::kWarning, "ordered-start-kind",
        "capstan.dev/ordered-start is ignored on a " + kind + ": only a StatefulSet's pods have the stable ordinals "
        "(NAME-0, NAME-1...) that make one of them pod 0; use a StatefulSet or remove the annotation");
    return out;
  }
  auto annotation = [&](const char* key) { return std::string(manifest::WorkloadAnnotation(root, tmpl, key)); };
  yaml::Node spec = tmpl.spec();

  // The shared volume.
  setup.volume = annotation("capstan.dev/ordered-start-volume");
  if (setup.volume.empty()) {
    add(Severity::kError, "ordered-start-volume",
        "capstan.dev/ordered-start needs capstan.dev/ordered-start-volume: the name of the volume all pods share");
  } else {
    yaml::Node declared;
    for (const auto& v : spec.Get("volumes").Items())
      if (v.Get("name").scalar() == setup.volume) declared = v;
    bool claim_template = false;
    for (const auto& claim : root.Get("spec").Get("volumeClaimTemplates").Items())
      claim_template = claim_template || claim.Get("metadata").Get("name").scalar() == setup.volume;
    for (const auto& c : spec.Get("containers").Items())
      for (const auto& m : c.Get("volumeMounts").Items())
        if (m.Get("name").scalar() == setup.volume && !m.Get("subPath") && setup.mount_path.empty())
          setup.mount_path = std::string(m.Get("mountPath").scalar());
    bool warning = false;
    std::string why = NotShared(root, declared, setup.volume, &warning);
    if (!declared && !claim_template)
      add(Severity::kError, "ordered-start-volume",
          "volume " + Quote(setup.volume) + " (capstan.dev/ordered-start-volume) is not in the pod's volumes: declare "
          "the volume all pods share there");
    else if (!why.empty())
      add(warning ? Severity::kWarning : Severity::kError, "ordered-start-volume-not-shared",
          "volume " + Quote(setup.volume) + " (capstan.dev/ordered-start-volume) " + why);
    if (setup.mount_path.empty())
      add(Severity::kError, "ordered-start-volume",
          "no container mounts volume " + Quote(setup.volume) +
              " (capstan.dev/ordered-start-volume) without a subPath");
  }

  // What "initialised" means for pod 0.
  std::string ready = annotation("capstan.dev/ordered-start-ready");
  if (!Trim(ready).empty()) {
    try {
      for (const auto& a : wait::ToArgs(wait::ParseConditionList(ready))) setup.ready_args.push_back(a);
    } catch (const wait::ConditionError& e) {
      add(Severity::kError, "bad-wait-for", "capstan.dev/ordered-start-ready: " + std::string(e.what()));
    }
  }

  // The update strategy.
  yaml::Node strategy = root.Get("spec").Get("updateStrategy");
  std::string type(strategy.Get("type").scalar());
  if (type == "RollingUpdate" || (type.empty() && strategy.Get("rollingUpdate"))) {
    add(Severity::kError, "ordered-start-rolling-update",
        std::string("ordered start deadlocks with updateStrategy RollingUpdate") +
            (type.empty() ? " (a rollingUpdate block without a type is a RollingUpdate)" : "") +
            " (pods > 0 are replaced first and wait for a pod 0 that is replaced last): use OnDelete, or drop "
            "capstan.dev/ordered-start");
  } else if (!type.empty() && type != "OnDelete") {
    add(Severity::kError, "ordered-start-update-strategy",
        "updateStrategy type " + Quote(type) + " is not one Kubernetes knows (OnDelete or RollingUpdate); ordered "
        "start needs OnDelete");
  }
  setup.set_on_delete = type.empty() && !strategy.Get("rollingUpdate");

  // Replicas and configuration.
  long long replicas = manifest::Replicas(root);
  if (replicas <= 1)
    add(Severity::kInfo, "ordered-start-single-replica",
        std::to_string(replicas) + (replicas == 1 ? " replica" : " replicas") +
            ": no pod waits for pod 0 until the StatefulSet is scaled up (the containers are injected all the same)");
  setup.consumes_config = !manifest::FindConfigRefs(spec).empty();
  if (setup.consumes_config && !config_digest)
    add(Severity::kWarning, "ordered-start-no-config-digest",
        "the pods consume ConfigMaps/Secrets but their config digest is off (--checksum=false, capstan.dev/checksum: "
        "\"false\", or --opt-in without capstan.dev/checksum: \"true\"): a change of them is not part of pod 0's "
        "marker, so pods > 0 do not wait for pod 0 to take it up; turn the checksum on for this StatefulSet");
  return out;
}

}  // namespace capstan::postrender
