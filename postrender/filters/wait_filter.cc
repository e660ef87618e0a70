#include "postrender/filters/wait_filter.h"

#include "manifest/pod_template.h"
#include "manifest/selector.h"
#include "manifest/workload_annotation.h"
#include "postrender/config.h"
#include "postrender/kit/injected_container.h"
#include "postrender/namespaces.h"
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
// same admission policy), else the restricted one. Pod-level settings (runAsUser, fsGroup...) apply by themselves.
yaml::Snippet SecurityContext(const manifest::PodTemplate& tmpl) {
  yaml::Node first = tmpl.spec().Get("containers").At(0).Get("securityContext");
  if (first && first.IsMapping() && first.size() > 0) return yaml::Snippet::FromNode(first);
  return RestrictedSecurityContext();
}

}  // namespace

void WaitFilter::DeclareOptions(OptionTable& t, Config& c) {
  WaitOptions& o = c.waits;
  t.Bool("waits", &o.enabled,
         "Inject a capstan wait init container into workloads annotated capstan.dev/wait-for (default on; "
         "--waits=false reports the annotations it ignores)")
      .Alias("waits.enabled");
  t.Text("wait-image", &o.image,
         "Image of the injected capstan wait container (default: the workload's capstan.dev/wait-image annotation, "
         "else " + DefaultHookImage() + ")")
      .Alias("waits.image");
  t.Text("wait-timeout", &o.timeout, "--timeout of the injected capstan wait (default 5m)").Alias("waits.timeout");
  t.Text("wait-annotation", &o.annotation, "Annotation that holds the wait conditions (default capstan.dev/wait-for)")
      .Alias("waits.annotation");
  t.Text("wait-container-name", &o.container_name, "Name of the injected init container (default capstan-wait)")
      .Alias("waits.containerName");
  t.List("wait-rules", [](const std::string&) {}, "Wait rules: [{kind, name, labels, waitFor}] (file only)")
      .FileOnly()
      .Alias("waits.rules")
      .FileReader([&o](const yaml::Node& rules, const ConfigFileReader& r) {
        if (!rules.IsSequence()) r.Fail(rules, "expected a list of rules: {kind, name, labels, waitFor}");
        for (const auto& rule : rules.Items()) {
          r.Keys(rule, {"kind", "name", "labels", "waitFor"});
          WaitRule w;
          if (auto n = rule.Get("kind")) w.kind = r.Str(n);
          if (auto n = rule.Get("name")) w.name = r.Str(n);
          for (const auto& [k, v] : rule.Get("labels").Entries()) w.labels[std::string(k.scalar())] = r.Str(v);
          if (!rule.Get("waitFor")) r.Fail(rule, "a wait rule needs waitFor (the conditions, as in capstan.dev/wait-for)");
          w.wait_for = r.Str(rule.Get("waitFor"));
          o.rules.push_back(std::move(w));
        }
      });
}

WaitFilter::WaitFilter(WaitOptions options) : options_(std::move(options)) {
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
  // While the release namespace is unknown, a Service without a namespace may be the one meant ("maybe" counts:
  // skipping a wait is reported, a deadlock would not be).
  for (const auto& [svc_ns, name] : services_)
    if (name == labels[0] && MayShareNamespace(svc_ns, service_ns)) return true;
  return false;
}

bool WaitFilter::Wants(const DocInfo& info) const {
  return info.object.is_object && manifest::IsWorkloadKind(info.object);  // switched off: to report what it ignores
}

void WaitFilter::Apply(const DocInfo& info, const yaml::Node& root, yaml::Editor& editor, Report& report) {
  manifest::PodTemplate tmpl = manifest::FindPodTemplate(root, info.object);
  if (!tmpl.node) return;
  std::string_view text = manifest::WorkloadAnnotation(root, tmpl, options_.annotation);
  if (!options_.enabled) {
    std::vector<std::string> ignored;
    if (!Trim(text).empty()) ignored.push_back(options_.annotation);
    if (ToLower(manifest::WorkloadAnnotation(root, tmpl, "capstan.dev/ordered-start")) == "true")
      ignored.push_back("capstan.dev/ordered-start");
    if (!ignored.empty())
      report.AddFinding({findings::Severity::kWarning, "wait-ignored",
                         "waits are switched off (--waits=false, CAPSTAN_WAITS=false or `waits: false`): its " +
                             Join(ignored, " and ") + " annotation was ignored and nothing was injected, so its pods "
                             "start without waiting",
                         info.index(), info.object.Ref(), info.source});
    return;
  }
  std::string from_rules;
  if (text.empty()) {  // no annotation: the configuration file's rules that select this workload
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
  auto finding = [&](findings::Severity severity, const char* code, const std::string& message) {
    report.AddFinding({severity, code, message, info.index(), info.object.Ref(), info.source});
  };
  wait::ConditionList conditions;
  try {
    conditions = wait::ParseConditionList(text);
  } catch (const wait::ConditionError& e) {
    finding(findings::Severity::kError, "bad-wait-for",
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
        finding(findings::Severity::kWarning, "wait-deadlock",
                "not injected: this " + Join(info.object.hook_events, ",") + " hook would wait for " +
                    c->Describe() + ", a Service this release creates only after its pre-hooks finished (a "
                    "deadlock); wait for it in the workloads instead, or use a post-install/post-upgrade hook");
        return;
      }
    }
  }

  wait::WaitCommandOptions wo;
  wo.timeout = wait::Millis(timeout_ms_);
  for (const auto& c : conditions)
    if (!c->timeout())
      continue;
    else if (c->timeout()->count() > timeout_ms_)
      finding(findings::Severity::kWarning, "wait-timeout-exceeds",
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

  InjectedContainer ctr;
  ctr.name = options_.container_name;
  ctr.image = HookImage(options_.image, manifest::WorkloadAnnotation(root, tmpl, kWaitImageAnnotation));
  for (const auto& a : wait::WaitArgv(conditions, wo)) ctr.args.push_back(a);
  ctr.resources = {options_.cpu_request, options_.memory_request, options_.memory_limit};
  ctr.volume_mounts = mounts;
  ctr.security_context = SecurityContext(tmpl);

  std::vector<std::string> path = tmpl.path;
  path.push_back("spec");
  path.push_back("initContainers");
  editor.Prepend(root, path, BuildContainer(ctr));
  report.AddChange({"wait", info.index(), info.object.Ref(),
                    "added init container " + options_.container_name + " (image " + ctr.image + ") waiting for " +
                        wait::ToListString(conditions)});
}

}  // namespace capstan::postrender
