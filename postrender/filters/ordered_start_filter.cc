#include "postrender/filters/ordered_start_filter.h"

#include "manifest/pod_template.h"
#include "manifest/workload_annotation.h"
#include "postrender/config.h"
#include "postrender/kit/injected_container.h"
#include "util/strings.h"
#include "wait/condition.h"
#include "yaml/snippet.h"

namespace capstan::postrender {

namespace {

yaml::Snippet FieldEnv(const std::string& name, const std::string& field_path) {
  return yaml::Snippet::Map()
      .Set("name", yaml::Snippet::String(name))
      .Set("valueFrom", yaml::Snippet::Map().Set(
                            "fieldRef", yaml::Snippet::Map().Set("fieldPath", yaml::Snippet::String(field_path))));
}

}  // namespace

void OrderedStartFilter::DeclareOptions(OptionTable& t, Config& c) {
  t.Text("ordered-start-timeout", &c.ordered_start_timeout,
         "How long pods > 0 wait for pod 0 (capstan.dev/ordered-start; default 30m)")
      .Alias("waits.orderedStartTimeout");
}

bool OrderedStartFilter::Wants(const DocInfo& info) const {
  return options_.enabled && info.object.is_object && info.object.kind == "StatefulSet" && !info.object.IsHook();
}

void OrderedStartFilter::Apply(const DocInfo& info, const yaml::Node& root, yaml::Editor& editor, Report& report) {
  manifest::PodTemplate tmpl = manifest::FindPodTemplate(root, info.object);
  if (!tmpl.node) return;
  auto annotation = [&](const char* key) { return std::string(manifest::WorkloadAnnotation(root, tmpl, key)); };
  if (ToLower(annotation("capstan.dev/ordered-start")) != "true") return;
  auto finding = [&](findings::Severity severity, const char* code, const std::string& msg) {
    report.AddFinding({severity, code, msg, info.index(), info.object.Ref(), info.source});
  };
  for (const char* list : {"initContainers", "containers"})
    for (const auto& c : tmpl.spec().Get(list).Items())
      if (c.Get("name").scalar() == "capstan-ordered-start") return;  // already injected

  std::string volume = annotation("capstan.dev/ordered-start-volume");
  if (volume.empty()) {
    finding(findings::Severity::kError, "ordered-start-volume",
            "capstan.dev/ordered-start needs capstan.dev/ordered-start-volume: the name of the volume all pods share");
    return;
  }
  std::string mount_path;
  for (const auto& c : tmpl.spec().Get("containers").Items())
    for (const auto& m : c.Get("volumeMounts").Items())
      if (m.Get("name").scalar() == volume && !m.Get("subPath") && mount_path.empty())
        mount_path = std::string(m.Get("mountPath").scalar());
  if (mount_path.empty()) {
    finding(findings::Severity::kError, "ordered-start-volume",
            "no container mounts volume " + Quote(volume) + " (capstan.dev/ordered-start-volume) without a subPath");
    return;
  }
  std::string ready = annotation("capstan.dev/ordered-start-ready");
  std::vector<std::string> ready_args;
  if (!Trim(ready).empty()) {
    try {
      for (const auto& a : wait::ToArgs(wait::ParseConditionList(ready))) ready_args.push_back(a);
    } catch (const wait::ConditionError& e) {
      finding(findings::Severity::kError, "bad-wait-for", "capstan.dev/ordered-start-ready: " + std::string(e.what()));
      return;
    }
  }
  yaml::Node strategy = root.Get("spec").Get("updateStrategy").Get("type");
  if (strategy.IsScalar() && strategy.scalar() == "RollingUpdate") {
    finding(findings::Severity::kError, "ordered-start-rolling-update",
            "ordered start deadlocks with updateStrategy RollingUpdate (pods > 0 are replaced first and wait for a "
            "pod 0 that is replaced last): use OnDelete, or drop capstan.dev/ordered-start");
    return;
  }
  if (!strategy) editor.Set(root, {"spec", "updateStrategy", "type"}, yaml::Snippet::String("OnDelete"));

  std::string marker_dir = (mount_path.back() == '/' ? mount_path : mount_path + "/") + ".capstan";
  yaml::Snippet env = yaml::Snippet::List();
  env.Push(FieldEnv("CAPSTAN_POD_NAME", "metadata.name"));
  env.Push(FieldEnv("CAPSTAN_DIGEST", "metadata.annotations['" + options_.digest_annotation + "']"));
  yaml::Snippet mounts = yaml::Snippet::List().Push(
      yaml::Snippet::Map().Set("name", yaml::Snippet::String(volume)).Set("mountPath", yaml::Snippet::String(mount_path)));
  InjectedContainer waiter;
  waiter.name = "capstan-ordered-start";
  waiter.image = HookImage(options_.image, annotation(kWaitImageAnnotation));
  waiter.args = {"wait", "--ordered-start", "--marker-dir", marker_dir, "--timeout", options_.timeout};
  waiter.env = env;
  waiter.volume_mounts = mounts;

  InjectedContainer marker = waiter;
  marker.name = "capstan-mark-ready";
  marker.args = {"mark-ready", "--marker-dir", marker_dir, "--keep-running"};
  if (!ready_args.empty()) {
    marker.args.push_back("--");
    marker.args.insert(marker.args.end(), ready_args.begin(), ready_args.end());
  }

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
  if (!first.empty() && manifest::Annotation(tmpl.node, "kubectl.kubernetes.io/default-container").empty()) {
    auto p = tmpl.path;
    p.insert(p.end(), {"metadata", "annotations", "kubectl.kubernetes.io/default-container"});
    editor.Set(root, p, yaml::Snippet::String(first));
  }
  report.AddChange({"ordered-start", info.index(), info.object.Ref(),
                    "pods > 0 wait for pod 0's marker in " + marker_dir + " (init container capstan-ordered-start); "
                    "pod 0 writes it (container capstan-mark-ready)" + (strategy ? "" : "; updateStrategy OnDelete")});
}

}  // namespace capstan::postrender
