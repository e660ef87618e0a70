#include "postrender/filters/ordered_start_filter.h"

#include "manifest/pod_template.h"
#include "manifest/template_digest.h"
#include "manifest/workload_annotation.h"
#include "postrender/config.h"
#include "postrender/filters/ordered_start_checks.h"
#include "postrender/kit/injected_container.h"
#include "util/strings.h"
#include "yaml/snippet.h"

namespace capstan::postrender {

namespace {

constexpr const char* kWaiterName = "capstan-ordered-start";
constexpr const char* kMarkerName = "capstan-mark-ready";
constexpr int kMarkerProbePeriodSeconds = 2;
constexpr int kMarkerProbeTimeoutSeconds = 3;

yaml::Snippet FieldEnv(const std::string& name, const std::string& field_path) {
  return yaml::Snippet::Map()
      .Set("name", yaml::Snippet::String(name))
      .Set("valueFrom", yaml::Snippet::Map().Set(
                            "fieldRef", yaml::Snippet::Map().Set("fieldPath", yaml::Snippet::String(field_path))));
}

std::string AnnotationPath(const std::string& key) { return "metadata.annotations['" + key + "']"; }

}  // namespace

void OrderedStartFilter::DeclareOptions(OptionTable& t, Config& c) {
  t.Text("ordered-start-timeout", &c.ordered_start_timeout,
         "How long pods > 0 wait for pod 0 (capstan.dev/ordered-start; default 30m)")
      .Alias("waits.orderedStartTimeout");
}

bool OrderedStartFilter::Wants(const DocInfo& info) const {
  // Every workload kind: an annotated Deployment is a finding (ordered start needs a StatefulSet's ordinals).
  return options_.enabled && info.object.is_object && manifest::IsWorkloadKind(info.object) && !info.object.IsHook();
}

void OrderedStartFilter::Apply(const DocInfo& info, const yaml::Node& root, yaml::Editor& editor, Report& report) {
  manifest::PodTemplate tmpl = manifest::FindPodTemplate(root, info.object);
  if (!tmpl.node) return;
  if (ToLower(manifest::WorkloadAnnotation(root, tmpl, "capstan.dev/ordered-start")) != "true") return;
  for (const char* list : {"initContainers", "containers"})
    for (const auto& c : tmpl.spec().Get(list).Items())
      if (c.Get("name").scalar() == kWaiterName) return;  // already injected

  // Whether the checksum filter writes this workload's config digest (its own switches, read the same way).
  std::string checksum = ToLower(manifest::WorkloadAnnotation(root, tmpl, options_.checksum_opt_annotation));
  bool config_digest =
      options_.config_digest && checksum != "false" && (!options_.checksum_opt_in || checksum == "true");
  OrderedStartSetup setup;
  bool failed = false;
  for (auto& p : CheckOrderedStart(root, tmpl, info.object.kind, config_digest, setup)) {
    failed = failed || p.severity == findings::Severity::kError || p.rule == "ordered-start-kind";
    report.AddFinding({p.severity, p.rule, p.message, info.index(), info.object.Ref(), info.source});
  }
  if (failed || options_.check_only) return;
  if (setup.set_on_delete) editor.Set(root, {"spec", "updateStrategy", "type"}, yaml::Snippet::String("OnDelete"));

  // The marker digest: the template's own digest, plus the config digest when the pods consume configuration.
  manifest::TemplateDigestExclusions capstan_writes{
      {options_.digest_annotation, kOrderedStartDigestAnnotation, "kubectl.kubernetes.io/default-container"},
      {kWaiterName, kMarkerName}};
  std::string template_digest = manifest::TemplateDigest(tmpl.node, capstan_writes);
  auto annotate = [&](const std::string& key, const std::string& value) {
    auto p = tmpl.path;
    p.insert(p.end(), {"metadata", "annotations", key});
    editor.Set(root, p, yaml::Snippet::String(value));
  };
  annotate(kOrderedStartDigestAnnotation, template_digest);

  std::string marker_dir = (setup.mount_path.back() == '/' ? setup.mount_path : setup.mount_path + "/") + ".capstan";
  yaml::Snippet env = yaml::Snippet::List();
  env.Push(FieldEnv("CAPSTAN_POD_NAME", "metadata.name"));
  if (setup.consumes_config) {
    // Kubernetes expands $(VAR) from the variables listed before it; a missing annotation reads as "".
    env.Push(FieldEnv("CAPSTAN_CONFIG_DIGEST", AnnotationPath(options_.digest_annotation)));
    env.Push(FieldEnv("CAPSTAN_TEMPLATE_DIGEST", AnnotationPath(kOrderedStartDigestAnnotation)));
    env.Push(yaml::Snippet::Map()
                 .Set("name", yaml::Snippet::String("CAPSTAN_DIGEST"))
                 .Set("value", yaml::Snippet::String("$(CAPSTAN_TEMPLATE_DIGEST)+$(CAPSTAN_CONFIG_DIGEST)")));
  } else {
    env.Push(FieldEnv("CAPSTAN_DIGEST", AnnotationPath(kOrderedStartDigestAnnotation)));
  }
  yaml::Snippet mounts = yaml::Snippet::List().Push(yaml::Snippet::Map()
                                                        .Set("name", yaml::Snippet::String(setup.volume))
                                                        .Set("mountPath", yaml::Snippet::String(setup.mount_path)));
  InjectedContainer waiter;
  waiter.name = kWaiterName;
  waiter.image = HookImage(options_.image, manifest::WorkloadAnnotation(root, tmpl, kWaitImageAnnotation));
  waiter.args = {"wait", "--ordered-start", "--marker-dir", marker_dir, "--timeout", options_.timeout};
  waiter.env = env;
  waiter.volume_mounts = mounts;

  InjectedContainer marker = waiter;
  marker.name = kMarkerName;
  marker.args = {"mark-ready", "--marker-dir", marker_dir, "--keep-running"};
  if (!setup.ready_args.empty()) {
    marker.args.push_back("--");
    marker.args.insert(marker.args.end(), setup.ready_args.begin(), setup.ready_args.end());
  }
  // Pod 0 is Ready only once it has marked its own digest (a rollout driver reads "pod 0 current and Ready" as
  // "initialised"); the probe reads the pod name and digest from the container's own env, the directory from here.
  yaml::Snippet probe_command = yaml::Snippet::List();
  for (const char* a : {kHookImageBinary, "mark-ready", "--probe", "--marker-dir"})
    probe_command.Push(yaml::Snippet::String(a));
  probe_command.Push(yaml::Snippet::String(marker_dir));
  marker.readiness_probe = yaml::Snippet::Map()
                               .Set("exec", yaml::Snippet::Map().Set("command", probe_command))
                               .Set("periodSeconds", yaml::Snippet::Int(kMarkerProbePeriodSeconds))
                               .Set("timeoutSeconds", yaml::Snippet::Int(kMarkerProbeTimeoutSeconds))
                               .Set("failureThreshold", yaml::Snippet::Int(1));

  std::vector<std::string> spec = tmpl.path;
  spec.push_back("spec");
  auto at = [&](const char* key) {
    auto p = spec;
    p.push_back(key);
    return p;
  };
  editor.Prepend(root, at("initContainers"), BuildContainer(waiter));
  editor.Prepend(root, at("containers"), BuildContainer(marker));
  // The marker container goes first in the list: keep the application's container the default for kubectl.
  std::string first(tmpl.spec().Get("containers").At(0).Get("name").scalar());
  if (!first.empty() && manifest::Annotation(tmpl.node, "kubectl.kubernetes.io/default-container").empty())
    annotate("kubectl.kubernetes.io/default-container", first);
  report.AddChange({"ordered-start", info.index(), info.object.Ref(),
                    "pods > 0 wait for pod 0's marker in " + marker_dir + " (init container capstan-ordered-start); "
                    "pod 0 writes it (container capstan-mark-ready, Ready once it has); marker digest " +
                        std::string(kOrderedStartDigestAnnotation) +
                        (setup.consumes_config ? " + " + options_.digest_annotation : "") +
                        (setup.set_on_delete ? "; updateStrategy OnDelete" : "")});
}

}  // namespace capstan::postrender
