#include "postrender/filters/check_filter.h"
#include "postrender/namespaces.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "manifest/pod_template.h"
#include "manifest/workload.h"
#include "postrender/check_rules.h"
#include "postrender/config.h"
#include "postrender/option_table.h"
#include "util/error.h"
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

// An int-or-percent of a PodDisruptionBudget scaled as the disruption controller does (percentages round up);
// -1 when it is not a number.
long long ScaledUp(const std::string& v, long long total) {
  bool percent = !v.empty() && v.back() == '%';
  std::string digits = percent ? v.substr(0, v.size() - 1) : v;
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) return -1;
  long long n = std::stoll(digits);
  total = std::clamp(total, 0LL, 1000000000LL);  // n * total stays far from overflow
  return percent ? (n * total + 99) / 100 : n;
}

// The line of the '# Source:' comment in a document (else of its '---' line, else -1), and the lines after it.
std::pair<int, int> BaseLine(std::string_view text) {
  int line = 0, base = -1, lines = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string_view l = text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    if (base < 0 && line == 0 && (l == "---" || StartsWith(l, "--- ") || StartsWith(l, "---\r"))) base = 0;
    if (StartsWith(l, "# Source:")) {
      base = line;
      break;
    }
    if (!l.empty() && l[0] != '#' && l[0] != '-' && l.find_first_not_of(" \t\r") != std::string_view::npos) break;
    ++line;
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  for (char c : text) lines += c == '\n';
  if (!text.empty() && text.back() != '\n') ++lines;
  return {base, lines - base - 1};
}

int LineOf(const yaml::Node& n, int fallback) {
  return n && n.has_position() ? static_cast<int>(n.start().line) : fallback;
}

}  // namespace

bool CheckOptions::Enabled(const std::string& rule) const {
  if (!rules.empty() && std::find(rules.begin(), rules.end(), rule) == rules.end()) return false;
  return std::find(skip_rules.begin(), skip_rules.end(), rule) == skip_rules.end();
}

int ParseKubeMinor(const std::string& version) {
  std::string v = version;
  if (!v.empty() && v[0] == 'v') v.erase(0, 1);
  size_t dot = v.find('.');
  std::string minor = dot == std::string::npos ? "" : v.substr(dot + 1, v.find_first_of(".-+", dot + 1) - dot - 1);
  if (v.substr(0, dot) != "1" || minor.empty() || minor.size() > 3 ||
      minor.find_first_not_of("0123456789") != std::string::npos)
    throw UsageError("invalid Kubernetes version " + Quote(version) +
                     ": use the cluster's version as kubectl version prints it, e.g. 1.30 or v1.30.2");
  return std::stoi(minor);
}

void CheckFilter::DeclareOptions(OptionTable& t, Config& c) {
  t.Bool("check", &c.check, "Change nothing: report upgrade risks instead of manifests");
  t.Text("output", &c.output, "Check mode output: text, json, sarif, github or junit")
      .Short("o")
      .Choices({"text", "json", "sarif", "github", "junit"});
  t.Text("fail-on", &c.fail_on, "Check mode: exit 1 on findings of this severity or worse")
      .Choices({"warning", "error"});
  // --rule and --skip-rule take one rule id each, or several separated by commas (also in CAPSTAN_RULE).
  auto ids = [](std::vector<std::string>* into, const char* flag) {
    return [into, flag](const std::string& v) {
      for (const auto& part : Split(v, ',', true)) {
        std::string id(Trim(part));
        RequireCheckRule(id, flag);
        into->push_back(id);
      }
    };
  };
  t.List("rule", ids(&c.check_options.rules, "--rule"), "Check mode: report only this rule (repeatable)");
  t.List("skip-rule", ids(&c.check_options.skip_rules, "--skip-rule"),
         "Check mode: never report this rule (repeatable)");
  t.Parsed("kube-version", [&c](const std::string& v) { c.check_options.kube_minor = ParseKubeMinor(v); },
           "Check mode: the cluster's Kubernetes version (e.g. 1.30), for the features it lacks (default: unknown)");
  t.Text("chart-dir", &c.check_options.chart_dir,
         "Check mode: the chart's directory relative to the repository root; findings name DIR/templates/x.yaml "
         "instead of CHART/templates/x.yaml (for SARIF and GitHub annotations)");
}

void CheckFilter::Observe(const DocInfo& info, const yaml::Node& root) {
  Object o;
  o.document = info.index();
  o.kind = info.object.kind;
  o.name = info.object.name;
  o.namespace_ = info.namespace_;
  o.source = info.source;
  o.first_line = info.doc->first_line;
  std::tie(o.base_line, o.body_lines) = BaseLine(info.doc->text);
  o.line = LineOf(root.Get("metadata").Get("name"), LineOf(root, 0));
  o.hook_events = info.object.hook_events;
  for (const auto& code : Split(manifest::Annotation(root, "capstan.dev/accept-risk"), ',', true))
    o.accepted.insert(std::string(Trim(code)));
  if (info.object.kind == "PodDisruptionBudget") {
    yaml::Node spec = root.Get("spec");
    o.selector = manifest::ReadSelector(spec.Get("selector"));
    o.selector_present = static_cast<bool>(spec.Get("selector"));
    if (spec.Get("minAvailable").IsScalar()) o.min_available = std::string(spec.Get("minAvailable").scalar());
    if (spec.Get("maxUnavailable").IsScalar()) o.max_unavailable = std::string(spec.Get("maxUnavailable").scalar());
  }
  if (info.object.kind == "Service" && root.Get("spec").Get("selector").IsMapping())
    for (const auto& [k, v] : root.Get("spec").Get("selector").Entries())
      if (v.IsScalar()) o.service_selector[std::string(k.scalar())] = std::string(v.scalar());
  if (info.object.kind == "Ingress") {
    auto backend = [&o](const yaml::Node& b) {
      std::string_view n = b.Get("service").Get("name").IsScalar() ? b.Get("service").Get("name").scalar()
                                                                   : b.Get("serviceName").scalar();
      if (!n.empty()) o.backends.emplace_back(n);
    };
    yaml::Node spec = root.Get("spec");
    backend(spec.Get("defaultBackend"));
    backend(spec.Get("backend"));
    for (const auto& rule : spec.Get("rules").Items())
      for (const auto& path : rule.Get("http").Get("paths").Items()) backend(path.Get("backend"));
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
    ObserveRollout(root, tmpl.node, o);
  }
  std::lock_guard<std::mutex> l(mu_);
  objects_.push_back(std::move(o));
}

void CheckFilter::Prepare(Report& report) {
  std::sort(objects_.begin(), objects_.end(), [](const Object& a, const Object& b) { return a.document < b.document; });
  // Lines: in a '# Source:' template's rendered output (its documents follow each other, one '---' apart), else
  // in the input.
  std::map<std::string, int> next_offset;
  std::vector<int> offset(objects_.size(), 0);
  for (size_t i = 0; i < objects_.size(); ++i) {
    const Object& o = objects_[i];
    if (o.source.empty()) continue;
    int& next = next_offset[o.source];
    offset[i] = next;
    next += o.body_lines + 1;
  }
  std::string chart_dir = options_.chart_dir;
  while (chart_dir.size() > 1 && chart_dir.back() == '/') chart_dir.pop_back();
  auto file_of = [&](const std::string& source) {
    size_t slash = source.find('/');
    if (chart_dir.empty() || source.empty() || slash == std::string::npos) return source;
    return chart_dir == "." ? source.substr(slash + 1) : chart_dir + source.substr(slash);
  };
  Add add_at = [&](const Object& o, findings::Severity severity, const char* code, const std::string& msg, int line) {
    if (!options_.Enabled(code)) return;
    if (line < 0) line = o.line;
    Finding f{severity, code, msg, o.document, o.kind + "/" + o.name, file_of(o.source)};
    f.line = o.source.empty() ? static_cast<int>(o.first_line) + line + 1
                              : offset[static_cast<size_t>(&o - objects_.data())] + line - o.base_line;
    if (o.accepted.count(code)) {
      f.severity = findings::Severity::kInfo;
      f.message += " (accepted: capstan.dev/accept-risk)";
    }
    report.AddFinding(std::move(f));
  };
  auto add = [&](const Object& o, findings::Severity severity, const char* code, const std::string& msg) {
    add_at(o, severity, code, msg, -1);
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
      add_at(o, findings::Severity::kWarning, "single-replica",
          std::to_string(o.replicas) + " replica: every upgrade and node drain interrupts it; run 2 or more with a "
          "PodDisruptionBudget",
             o.replicas_line);
    Rollout(o, add_at);
    Shutdown(o, add_at);
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
        if (w.replicated && MayShareNamespace(w.namespace_, o.namespace_) && o.selector.Matches(w.template_labels)) {
          replicas = std::min(replicas + std::clamp(w.replicas, 0LL, 1000000000LL), 1000000000000LL);
          matched = true;
        }
      // As the disruption controller scales them: percentages round up, for both fields.
      bool blocks = o.max_unavailable == "0" || o.max_unavailable == "0%" || Percent100(o.min_available);
      if (matched && !blocks && !o.min_available.empty()) {
        long long min = ScaledUp(o.min_available, replicas);
        blocks = min >= 0 && min >= replicas;
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
