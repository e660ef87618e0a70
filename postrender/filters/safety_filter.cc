#include "postrender/filters/safety_filter.h"

#include <algorithm>

#include "manifest/pod_template.h"
#include "manifest/workload.h"
#include "postrender/config.h"
#include "postrender/namespaces.h"
#include "util/duration.h"
#include "yaml/snippet.h"
#include "yaml/yaml11.h"

namespace capstan::postrender {

void SafetyFilter::DeclareOptions(OptionTable& t, Config& c) {
  SafetyOptions& o = c.safety;
  t.Bool("pdb", &o.pdb,
         "Add a PodDisruptionBudget (maxUnavailable 1) for Deployments/StatefulSets with 2+ replicas and none")
      .Alias("safety.podDisruptionBudgets");
  t.Parsed("prestop-delay",
           [&o](const std::string& v) { o.prestop_seconds = static_cast<int>(ParseDuration(v).count() / 1000); },
           "Add a preStop sleep of this duration (e.g. 5s) where none is set")
      .Alias("safety.preStopDelay");
  t.Bool("keep-pvcs", &o.keep_pvcs, "Annotate PersistentVolumeClaims helm.sh/resource-policy: keep")
      .Alias("safety.keepPersistentVolumeClaims");
  t.Bool("safe-rolling-update", &o.rolling_update,
         "Deployments without a strategy roll with maxUnavailable 0, maxSurge 1")
      .Alias("safety.safeRollingUpdate");
}

namespace {
bool IsPdb(const DocInfo& info) { return info.object.is_object && info.object.kind == "PodDisruptionBudget"; }
bool IsPvc(const DocInfo& info) {
  return info.object.is_object && info.object.kind == "PersistentVolumeClaim" && info.object.api_version == "v1";
}
}  // namespace

bool SafetyFilter::Observes(const DocInfo& info) const { return options_.pdb && IsPdb(info); }

void SafetyFilter::Observe(const DocInfo& info, const yaml::Node& root) {
  Budget b{info.namespace_, manifest::ReadSelector(root.Get("spec").Get("selector"))};
  std::lock_guard<std::mutex> l(mu_);
  budgets_.push_back(std::move(b));
}

bool SafetyFilter::Wants(const DocInfo& info) const {
  if (!info.object.is_object || info.object.IsHook()) return false;
  if (IsPvc(info)) return options_.keep_pvcs;
  if (manifest::IsReplicatedKind(info.object))
    return options_.pdb || options_.prestop_seconds > 0 || options_.rolling_update;
  return options_.prestop_seconds > 0 && manifest::IsWorkloadKind(info.object) && info.object.kind != "Job" &&
         info.object.kind != "CronJob" && info.object.kind != "Pod";
}

void SafetyFilter::Apply(const DocInfo& info, const yaml::Node& root, yaml::Editor& editor, Report& report) {
  auto change = [&](const std::string& what) { report.AddChange({"safety", info.index(), info.object.Ref(), what}); };
  if (IsPvc(info)) {
    if (manifest::Annotation(root, "helm.sh/resource-policy").empty()) {
      editor.Set(root, {"metadata", "annotations", "helm.sh/resource-policy"}, yaml::Snippet::String("keep"));
      change("set helm.sh/resource-policy: keep (helm uninstall keeps the data)");
    }
    return;
  }
  manifest::PodTemplate tmpl = manifest::FindPodTemplate(root, info.object);
  if (!tmpl.node) return;
  std::vector<std::string> spec_path = tmpl.path;
  spec_path.push_back("spec");

  if (options_.pdb && manifest::IsReplicatedKind(info.object) && manifest::Replicas(root) >= 2) AddPdb(info, root, report);

  if (options_.prestop_seconds > 0) {
    size_t added = 0;
    for (const auto& ctr : tmpl.spec().Get("containers").Items()) {
      if (ctr.Get("lifecycle").Get("preStop")) continue;
      editor.Set(ctr, {"lifecycle", "preStop", "sleep", "seconds"}, yaml::Snippet::Int(options_.prestop_seconds));
      ++added;
    }
    if (added) change("added a " + std::to_string(options_.prestop_seconds) + "s preStop sleep to " +
                      std::to_string(added) + " container(s)");
    long long needed = options_.prestop_seconds + 30;
    yaml::Node grace = tmpl.spec().Get("terminationGracePeriodSeconds");
    if (!grace) {
      editor.Set(root, [&] {
        auto p = spec_path;
        p.push_back("terminationGracePeriodSeconds");
        return p;
      }(), yaml::Snippet::Int(needed));
      change("set terminationGracePeriodSeconds " + std::to_string(needed) + " (preStop delay + 30s to drain)");
    } else {
      yaml::ResolvedScalar g = yaml::Resolve(grace);
      if (g.type == yaml::ScalarType::kInt && g.integer <= options_.prestop_seconds)
        report.AddFinding({findings::Severity::kWarning, "grace-shorter-than-prestop",
                           "terminationGracePeriodSeconds " + std::to_string(g.integer) +
                               " does not cover the " + std::to_string(options_.prestop_seconds) +
                               "s preStop delay: pods are killed before they drain (left unchanged)",
                           info.index(), info.object.Ref(), info.source});
    }
  }

  if (options_.rolling_update && info.object.kind == "Deployment") {
    yaml::Node strategy = root.Get("spec").Get("strategy");
    yaml::Snippet rolling = yaml::Snippet::Map();
    rolling.Set("maxUnavailable", yaml::Snippet::Int(0));
    rolling.Set("maxSurge", yaml::Snippet::Int(1));
    if (!strategy) {
      yaml::Snippet s = yaml::Snippet::Map();
      s.Set("type", yaml::Snippet::String("RollingUpdate"));
      s.Set("rollingUpdate", rolling);
      editor.Set(root, {"spec", "strategy"}, s);
      change("set a RollingUpdate strategy with maxUnavailable 0, maxSurge 1");
    } else if (strategy.Get("type").scalar() != "Recreate" && !strategy.Get("rollingUpdate")) {
      editor.Set(root, {"spec", "strategy", "rollingUpdate"}, rolling);
      change("set rollingUpdate maxUnavailable 0, maxSurge 1");
    }
  }
}

void SafetyFilter::AddPdb(const DocInfo& info, const yaml::Node& root, Report& report) {
  manifest::PodTemplate tmpl = manifest::FindPodTemplate(root, info.object);
  manifest::Labels labels = manifest::ReadLabels(tmpl.node);
  for (const auto& b : budgets_)
    // The chart has one (while the release namespace is unknown, one that may be in the same namespace counts: two
    // budgets over one pod make every eviction fail).
    if (MayShareNamespace(b.namespace_, info.namespace_) && b.selector.Matches(labels)) return;
  yaml::Node selector = root.Get("spec").Get("selector");
  if (!selector.IsMapping() || selector.size() == 0) {
    report.AddFinding({findings::Severity::kWarning, "no-selector", "no spec.selector to build a PodDisruptionBudget from",
                       info.index(), info.object.Ref(), info.source});
    return;
  }
  yaml::Snippet md = yaml::Snippet::Map();
  md.Set("name", yaml::Snippet::String(info.object.name + "-capstan-pdb"));
  if (!info.object.namespace_.empty()) md.Set("namespace", yaml::Snippet::String(info.object.namespace_));
  md.Set("labels", yaml::Snippet::Map().Set("capstan.dev/generated-for",
                                            yaml::Snippet::String(info.object.kind + "." + info.object.name)));
  if (!info.object.helm_filename.empty())
    md.Set("annotations", yaml::Snippet::Map().Set("postrenderer.helm.sh/postrender-filename",
                                                   yaml::Snippet::String(info.object.helm_filename)));
  yaml::Snippet spec = yaml::Snippet::Map();
  spec.Set("maxUnavailable", yaml::Snippet::Int(1));
  spec.Set("unhealthyPodEvictionPolicy", yaml::Snippet::String("AlwaysAllow"));
  spec.Set("selector", yaml::Snippet::FromNode(selector));
  yaml::Snippet doc = yaml::Snippet::Map();
  doc.Set("apiVersion", yaml::Snippet::String("policy/v1"));
  doc.Set("kind", yaml::Snippet::String("PodDisruptionBudget"));
  doc.Set("metadata", md);
  doc.Set("spec", spec);
  std::string text;
  if (!info.source.empty() && info.object.helm_filename.empty()) text = "# Source: " + info.source + "\n";
  text += doc.RenderBlock(0, "\n");
  {
    std::lock_guard<std::mutex> l(mu_);
    new_pdbs_.push_back({info.index(), std::move(text)});
  }
  report.AddChange({"safety", info.index(), info.object.Ref(),
                    "added PodDisruptionBudget/" + info.object.name + "-capstan-pdb (maxUnavailable 1)"});
}

std::vector<std::string> SafetyFilter::NewDocuments(Report&) {
  std::sort(new_pdbs_.begin(), new_pdbs_.end(), [](const NewPdb& a, const NewPdb& b) { return a.document < b.document; });
  std::vector<std::string> out;
  for (auto& p : new_pdbs_) out.push_back(std::move(p.text));
  return out;
}

}  // namespace capstan::postrender
