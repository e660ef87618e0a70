#include "postrender/filters/check_filter.h"

#include <algorithm>
#include <set>

#include "manifest/pod_template.h"
#include "manifest/workload.h"
#include "postrender/config.h"
#include "util/strings.h"

namespace capstan::postrender {

namespace {

std::string Text(const yaml::Node& n) {
  if (n.IsScalar()) return std::string(n.scalar());
  std::string out;
  for (const auto& item : n.Items()) out += Text(item) + " ";
  return out;
}

// Words of a wait description that can name an object: "tcp://db.ns.svc:5432" gives "db.ns.svc" and "db".
std::set<std::string> Words(const std::string& text) {
  std::set<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) {
      out.insert(cur);
      out.insert(cur.substr(0, cur.find('.')));
    }
    cur.clear();
  };
  for (char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.') cur += c;
    else flush();
  }
  flush();
  return out;
}

bool Percent100(const std::string& s) { return s == "100%"; }

}  // namespace

void CheckFilter::DeclareOptions(OptionTable& t, Config& c) {
  t.Bool("check", &c.check, "Change nothing: report upgrade risks instead of manifests");
  t.Text("output", &c.output, "Check mode output: text, json, sarif, github or junit")
      .Short("o")
      .Choices({"text", "json", "sarif", "github", "junit"});
  t.Text("fail-on", &c.fail_on, "Check mode: exit 1 on findings of this severity or worse")
      .Choices({"warning", "error"});
}

void CheckFilter::Observe(const DocInfo& info, const yaml::Node& root) {
  Object o;
  o.document = info.index();
  o.kind = info.object.kind;
  o.name = info.object.name;
  o.namespace_ = info.namespace_;
  o.source = info.source;
  o.hook_events = info.object.hook_events;
  for (const auto& code : Split(manifest::Annotation(root, "capstan.dev/accept-risk"), ',', true))
    o.accepted.insert(std::string(Trim(code)));
  if (info.object.kind == "PodDisruptionBudget") {
    yaml::Node spec = root.Get("spec");
    o.selector = manifest::ReadSelector(spec.Get("selector"));
    if (spec.Get("minAvailable").IsScalar()) o.min_available = std::string(spec.Get("minAvailable").scalar());
    if (spec.Get("maxUnavailable").IsScalar()) o.max_unavailable = std::string(spec.Get("maxUnavailable").scalar());
  }
  manifest::PodTemplate tmpl = manifest::FindPodTemplate(root, info.object);
  if (tmpl.node) {
    o.replicated = manifest::IsReplicatedKind(info.object);
    o.probed_kind = o.replicated || info.object.kind == "DaemonSet";
    o.replicas = manifest::Replicas(root);
    o.template_labels = manifest::ReadLabels(tmpl.node);
    for (const auto& code : Split(manifest::Annotation(tmpl.node, "capstan.dev/accept-risk"), ',', true))
      o.accepted.insert(std::string(Trim(code)));
    for (const auto& c : tmpl.spec().Get("containers").Items())
      if (!c.Get("readinessProbe")) o.containers_without_readiness.emplace_back(c.Get("name").scalar());
    o.wait_text = std::string(manifest::Annotation(root, "capstan.dev/wait-for")) + " " +
                  std::string(manifest::Annotation(tmpl.node, "capstan.dev/wait-for"));
    for (const auto& c : tmpl.spec().Get("initContainers").Items()) {
      std::string cmd = Text(c.Get("command")) + " " + Text(c.Get("args"));
      o.wait_text += " " + cmd;
      bool loop = (cmd.find("until ") != std::string::npos || cmd.find("while ") != std::string::npos) &&
                  cmd.find("sleep") != std::string::npos;
      bool bounded = cmd.find("timeout") != std::string::npos || cmd.find("capstan wait") != std::string::npos;
      if (loop && !bounded) o.unbounded_loops.emplace_back(c.Get("name").scalar());
    }
  }
  std::lock_guard<std::mutex> l(mu_);
  objects_.push_back(std::move(o));
}

void CheckFilter::Prepare(Report& report) {
  std::sort(objects_.begin(), objects_.end(), [](const Object& a, const Object& b) { return a.document < b.document; });
  auto add = [&](const Object& o, findings::Severity severity, const char* code, const std::string& msg) {
    if (o.accepted.count(code)) {
      report.AddFinding({findings::Severity::kInfo, code, msg + " (accepted: capstan.dev/accept-risk)", o.document, o.kind + "/" + o.name,
                         o.source});
      return;
    }
    report.AddFinding({severity, code, msg, o.document, o.kind + "/" + o.name, o.source});
  };
  auto is_post_hook = [](const Object& o) {
    for (const auto& e : o.hook_events)
      if (e == "post-install" || e == "post-upgrade") return true;
    return false;
  };
  auto is_pre_hook = [](const Object& o) {
    for (const auto& e : o.hook_events)
      if (e == "pre-install" || e == "pre-upgrade") return true;
    return false;
  };
  for (const auto& o : objects_) {
    bool hook = !o.hook_events.empty();
    if (o.replicated && !hook && o.replicas < 2)
      add(o, findings::Severity::kWarning, "single-replica",
          std::to_string(o.replicas) + " replica: every upgrade and node drain interrupts it; run 2 or more with a "
          "PodDisruptionBudget");
    if (o.probed_kind && !hook && !o.containers_without_readiness.empty())
      add(o, findings::Severity::kWarning, "no-readiness-probe",
          "no readiness probe in container(s) " + JoinLimited(o.containers_without_readiness, ", ") +
              ": traffic reaches pods before they serve, and rollouts cannot tell a broken pod");
    for (const auto& c : o.unbounded_loops)
      add(o, findings::Severity::kWarning, "wait-without-timeout",
          "init container " + c + " waits in a shell loop with no timeout: a missing dependency hangs the rollout "
          "silently; use capstan wait --timeout");
    if (o.kind == "PodDisruptionBudget") {
      long long replicas = 0;
      bool matched = false;
      for (const auto& w : objects_)
        if (w.replicated && w.namespace_ == o.namespace_ && o.selector.Matches(w.template_labels)) {
          replicas += w.replicas;
          matched = true;
        }
      bool blocks = o.max_unavailable == "0" || o.max_unavailable == "0%" || Percent100(o.min_available);
      if (matched && !blocks && !o.min_available.empty() && o.min_available.find('%') == std::string::npos) {
        try {
          blocks = std::stoll(o.min_available) >= replicas;
        } catch (...) {
        }
      }
      if (blocks)
        add(o, findings::Severity::kWarning, "pdb-blocks-drain",
            "allows no voluntary disruption (" +
                (o.min_available.empty() ? "maxUnavailable " + o.max_unavailable
                                         : "minAvailable " + o.min_available + " of " + std::to_string(replicas) +
                                               " replicas") +
                "): every node drain blocks; use maxUnavailable: 1");
    }
    // Deadlocks between waits and the hook chain.
    if (o.wait_text.find_first_not_of(' ') == std::string::npos) continue;
    std::set<std::string> words = Words(o.wait_text);
    for (const auto& target : objects_) {
      if (&target == &o || !words.count(target.name)) continue;
      if (!hook && is_post_hook(target)) {
        add(o, findings::Severity::kError, "wait-deadlock",
            "waits for " + target.kind + "/" + target.name +
                ", which only a post-install/post-upgrade hook creates; Helm runs that hook after the release's "
                "resources are ready (with --wait), so neither finishes");
        break;
      }
      if (is_pre_hook(o) && target.hook_events.empty()) {
        add(o, findings::Severity::kError, "hook-wait-deadlock",
            "this pre-install/pre-upgrade hook waits for " + target.kind + "/" + target.name +
                ", which Helm creates only after the pre hooks succeed (on install it never exists)");
        break;
      }
    }
  }
}

}  // namespace capstan::postrender
