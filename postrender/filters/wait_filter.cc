#include "postrender/filters/wait_filter.h"

#include "manifest/pod_template.h"
#include "manifest/selector.h"
#include "util/duration.h"
#include "util/error.h"
#include "util/strings.h"
#include "wait/condition.h"
#include "yaml/snippet.h"

namespace capstan::postrender {

namespace {

bool IsService(const DocInfo& info) {
  return info.object.is_object && info.object.kind == "Service" && info.object.api_version == "v1";
}

// Hooks that run before Helm creates (or updates) the release's regular resources.
bool IsPreHook(const manifest::ObjectInfo& o) {
  for (const char* e : {"pre-install", "pre-upgrade", "pre-rollback", "pre-delete"})
    if (o.HasHookEvent(e)) return true;
  return false;
}

// The container-level securityContext of the injected container: the pod's first container's (so it passes the
// same admission policy), else a restrictive one. Pod-level settings (runAsUser, fsGroup...) apply by themselves.
yaml::Snippet SecurityContext(const manifest::PodTemplate& tmpl) {
  yaml::Node first = tmpl.spec().Get("containers").At(0).Get("securityContext");
  if (first && first.IsMapping() && first.size() > 0) return yaml::Snippet::FromNode(first);
  yaml::Snippet sc = yaml::Snippet::Map();
  sc.Set("allowPrivilegeEscalation", yaml::Snippet::Bool(false));
  sc.Set("readOnlyRootFilesystem", yaml::Snippet::Bool(true));
  sc.Set("runAsNonRoot", yaml::Snippet::Bool(true));
  sc.Set("capabilities", yaml::Snippet::Map().Set("drop", yaml::Snippet::List().Push(yaml::Snippet::String("ALL"))));
  return sc;
}

}  // namespace

WaitFilter::WaitFilter(WaitOptions options) : options_(std::move(options)) {
  if (options_.enabled && options_.image.empty())
    throw UsageError("injecting waits needs the capstan image: pass --wait-image (or waits.image in --config)");
  timeout_ms_ = ParseDuration(options_.timeout).count();
  if (timeout_ms_ <= 0) throw UsageError("--wait-timeout must be more than 0");
}

bool WaitFilter::Observes(const DocInfo& info) const {
  return options_.enabled && IsService(info) && !info.object.IsHook();
}

void WaitFilter::Observe(const DocInfo& info, const yaml::Node&) {
  std::lock_guard<std::mutex> l(mu_);
  services_.emplace(info.namespace_, info.object.name);
}

bool WaitFilter::ReleaseService(const std::string& ns, const std::string& host) const {
  // "db", "db.ns", "db.ns.svc", "db.ns.svc.cluster.local"
  std::vector<std::string> labels = Split(host, '.');
  if (labels.empty()) return false;
  std::string service_ns = labels.size() >= 2 ? labels[1] : ns;
  if (labels.size() >= 3 && labels[2] != "svc") return false;
  std::lock_guard<std::mutex> l(mu_);
  return services_.count({service_ns, labels[0]}) > 0;
}

bool WaitFilter::Wants(const DocInfo& info) const {
  return options_.enabled && info.object.is_object && manifest::IsWorkloadKind(info.object);
}

void WaitFilter::Apply(const DocInfo& info, const yaml::Node& root, yaml::Editor& editor, Report& report) {
  manifest::PodTemplate tmpl = manifest::FindPodTemplate(root, info.object);
  if (!tmpl.node) return;
  std::string_view text = manifest::Annotation(tmpl.node, options_.annotation);
  if (text.empty()) text = manifest::Annotation(root, options_.annotation);
  std::string from_rules;
  if (Trim(text).empty()) {  // no annotation: the configuration file's rules that select this workload
    manifest::Labels labels = manifest::ReadLabels(root), pod_labels = manifest::ReadLabels(tmpl.node);
    for (const auto& rule : options_.rules) {
      bool match = (rule.kind.empty() || rule.kind == info.object.kind) &&
                   (rule.name.empty() || rule.name == info.object.name);
      for (const auto& [k, v] : rule.labels) {
        auto a = labels.find(k), b = pod_labels.find(k);
        match = match && ((a != labels.end() && a->second == v) || (b != pod_labels.end() && b->second == v));
      }
      if (match) from_rules += (from_rules.empty() ? "" : "\n") + rule.wait_for;
    }
    text = from_rules;
  }
  if (Trim(text).empty()) return;
  auto finding = [&](const char* severity, const char* code, const std::string& message) {
    report.AddFinding({severity, code, message, info.index(), info.object.Ref(), info.source});
  };
  wait::ConditionList conditions;
  try {
    conditions = wait::ParseConditionList(text);
  } catch (const wait::ConditionError& e) {
    finding("error", "bad-wait-for",
            "annotation " + options_.annotation + " on " + info.Where() + ": " + e.what() + " (syntax: docs/wait.md)");
    return;
  }
  if (conditions.empty()) return;

  for (const auto& c : tmpl.spec().Get("initContainers").Items())
    if (c.Get("name").scalar() == options_.container_name) return;  // already injected (or written by the chart)

  if (info.object.IsHook() && IsPreHook(info.object)) {
    for (const auto& c : conditions) {
      std::string host = c->host();
      if (!host.empty() && ReleaseService(info.namespace_, host)) {
        finding("warning", "wait-deadlock",
                "not injected: this " + Join(info.object.hook_events, ",") + " hook would wait for " +
                    c->Describe() + ", a Service this release creates only after its pre-hooks finished (a "
                    "deadlock); wait for it in the workloads instead, or use a post-install/post-upgrade hook");
        return;
      }
    }
  }

  wait::WaitCommandOptions wo;
  wo.timeout = wait::Millis(timeout_ms_);
  yaml::Snippet args = yaml::Snippet::List();
  for (const auto& a : wait::WaitArgv(conditions, wo)) args.Push(yaml::Snippet::String(a));
  for (const auto& c : conditions)
    if (!c->timeout())
      continue;
    else if (c->timeout()->count() > timeout_ms_)
      finding("warning", "wait-timeout-exceeds",
              c->Describe() + " has timeout=" + wait::FormatDurationExact(*c->timeout()) +
                  ", longer than the injected --timeout " + options_.timeout + " (the shorter one applies)");

  // The files the conditions read (password-file=, ca=, file: targets) live on the pod's volumes: mount, read-only,
  // every volume of the pod's containers whose mountPath holds one of them.
  yaml::Snippet mounts = yaml::Snippet::List();
  {
    std::vector<std::string> paths;
    for (const auto& c : conditions)
      for (auto& f : c->Files()) paths.push_back(std::move(f));
    std::set<std::pair<std::string, std::string>> seen;
    for (const char* list : {"initContainers", "containers"})
      for (const auto& c : tmpl.spec().Get(list).Items())
        for (const auto& m : c.Get("volumeMounts").Items()) {
          std::string name(m.Get("name").scalar()), mp(m.Get("mountPath").scalar());
          if (name.empty() || mp.empty() || m.Get("subPath") || seen.count({name, mp})) continue;
          std::string prefix = mp.back() == '/' ? mp : mp + "/";
          bool used = false;
          for (const auto& p : paths) used |= p == mp || StartsWith(p, prefix);
          if (!used) continue;
          seen.insert({name, mp});
          mounts.Push(yaml::Snippet::Map()
                          .Set("name", yaml::Snippet::String(name))
                          .Set("mountPath", yaml::Snippet::String(mp))
                          .Set("readOnly", yaml::Snippet::Bool(true)));
        }
  }

  yaml::Snippet resources = yaml::Snippet::Map();
  resources.Set("requests", yaml::Snippet::Map()
                                .Set("cpu", yaml::Snippet::String(options_.cpu_request))
                                .Set("memory", yaml::Snippet::String(options_.memory_request)));
  resources.Set("limits", yaml::Snippet::Map().Set("memory", yaml::Snippet::String(options_.memory_limit)));
  yaml::Snippet ctr = yaml::Snippet::Map();
  ctr.Set("name", yaml::Snippet::String(options_.container_name));
  ctr.Set("image", yaml::Snippet::String(options_.image));
  ctr.Set("args", args);
  ctr.Set("resources", resources);
  if (!mounts.empty()) ctr.Set("volumeMounts", mounts);
  ctr.Set("securityContext", SecurityContext(tmpl));

  std::vector<std::string> path = tmpl.path;
  path.push_back("spec");
  path.push_back("initContainers");
  editor.Prepend(root, path, ctr);
  report.AddChange({"wait", info.index(), info.object.Ref(),
                    "added init container " + options_.container_name + " waiting for " +
                        wait::ToListString(conditions)});
}

}  // namespace capstan::postrender
