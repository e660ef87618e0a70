// The check filter's rollout and shutdown rules (see check_filter.h): what a workload's strategy, budgets, preStop
// hooks and grace period do to the requests in flight during a rollout or a node drain.
#include <algorithm>

#include "manifest/object.h"
#include "postrender/filters/check_filter.h"
#include "postrender/namespaces.h"
#include "util/strings.h"
#include "yaml/yaml11.h"

namespace capstan::postrender {

namespace {

using findings::Severity;

constexpr long long kDefaultGraceSeconds = 30;     // the API server's default terminationGracePeriodSeconds
constexpr long long kAssumedShutdownSeconds = 10;  // without capstan.dev/shutdown-seconds (docs/postrender.md)
constexpr int kSleepActionMinor = 30;              // sleep action on by default (KEP-3960: beta in 1.30)
constexpr int kSleepZeroMinor = 33;                // seconds: 0 allowed by default (KEP-4818: beta in 1.33)

int LineOf(const yaml::Node& n, int fallback) {
  return n && n.has_position() ? static_cast<int>(n.start().line) : fallback;
}

// A non-negative integer scalar (an int, or digits as a string); -1 otherwise.
long long Seconds(std::string_view text) {
  if (!text.empty() && text.back() == 's') text.remove_suffix(1);
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string_view::npos) return -1;
  return std::stoll(std::string(text));
}

// A non-negative int scalar, at most kMaxCount (sums and products of these never overflow); -1 otherwise.
constexpr long long kMaxCount = 1000000000;
long long IntOf(const yaml::Node& n) {
  if (!n.IsScalar()) return -1;
  yaml::ResolvedScalar r = yaml::Resolve(n);
  if (r.type != yaml::ScalarType::kInt || r.integer < 0) return -1;
  return std::min<long long>(r.integer, kMaxCount);
}

// The seconds of the first `sleep N` in an exec command ("sh -c 'sleep 5 && nginx -s quit'"), else -1.
long long ExecSleep(const yaml::Node& command) {
  std::string text;
  for (const auto& item : command.Items()) text += std::string(item.scalar()) + " ";
  for (size_t at = text.find("sleep"); at != std::string::npos; at = text.find("sleep", at + 5)) {
    size_t digits = text.find_first_not_of(" \"'", at + 5);
    if (digits == std::string::npos || digits == at + 5) continue;
    size_t end = text.find_first_not_of("0123456789", digits);
    long long n = Seconds(text.substr(digits, end == std::string::npos ? std::string::npos : end - digits));
    if (n >= 0) return n;
  }
  return -1;
}

// An int-or-percent of a rolling update scaled as the Deployment controller does: maxUnavailable rounds down,
// maxSurge up. -1 when it is not a number.
long long Scaled(const std::string& v, long long replicas, bool round_up) {
  if (v.empty()) return -1;
  bool percent = !v.empty() && v.back() == '%';
  long long n = Seconds(percent ? std::string_view(v).substr(0, v.size() - 1) : std::string_view(v));
  if (n < 0 || v.back() == 's') return -1;
  if (!percent) return n;
  replicas = std::clamp(replicas, 0LL, kMaxCount);
  return round_up ? (n * replicas + 99) / 100 : n * replicas / 100;
}

}  // namespace

void CheckFilter::ObserveRollout(const yaml::Node& root, const yaml::Node& pod_template, Object& o) {
  yaml::Node spec = root.Get("spec");
  o.replicas_line = LineOf(spec.Get("replicas"), -1);
  if (o.kind == "Deployment") {
    yaml::Node strategy = spec.Get("strategy");
    o.strategy_type = std::string(strategy.Get("type").scalar());
    o.strategy_line = LineOf(strategy.Get("type"), LineOf(strategy, -1));
    yaml::Node rolling = strategy.Get("rollingUpdate");
    o.max_unavailable_rollout = std::string(rolling.Get("maxUnavailable").scalar());
    o.max_surge = std::string(rolling.Get("maxSurge").scalar());
    o.max_unavailable_line = LineOf(rolling.Get("maxUnavailable"), o.strategy_line);
  }
  yaml::Node pod_spec = pod_template.Get("spec");
  o.grace = IntOf(pod_spec.Get("terminationGracePeriodSeconds"));
  o.grace_line = LineOf(pod_spec.Get("terminationGracePeriodSeconds"), LineOf(pod_template, -1));
  std::string_view shutdown = manifest::Annotation(pod_template, "capstan.dev/shutdown-seconds");
  if (shutdown.empty()) shutdown = manifest::Annotation(root, "capstan.dev/shutdown-seconds");
  o.shutdown_seconds = Seconds(Trim(shutdown));
  for (const char* list : {"initContainers", "containers"}) {
    for (const auto& c : pod_spec.Get(list).Items()) {
      Container k;
      k.name = std::string(c.Get("name").scalar());
      k.line = LineOf(c, -1);
      k.init = std::string_view(list) == "initContainers";
      k.serves = c.Get("ports").size() > 0;
      yaml::Node pre = c.Get("lifecycle").Get("preStop");
      k.has_prestop = static_cast<bool>(pre);
      long long exec = ExecSleep(pre.Get("exec").Get("command"));
      long long action = IntOf(pre.Get("sleep").Get("seconds"));
      k.prestop_seconds = std::max({0LL, exec, action});
      for (const char* hook : {"preStop", "postStart"}) {
        yaml::Node sleep = c.Get("lifecycle").Get(hook).Get("sleep");
        if (!sleep) continue;
        k.sleep_actions.emplace_back(hook, std::max(0LL, IntOf(sleep.Get("seconds"))));
        if (k.sleep_line < 0) k.sleep_line = LineOf(sleep, k.line);
      }
      o.containers.push_back(std::move(k));
    }
  }
}

void CheckFilter::Rollout(const Object& o, const Add& add) const {
  if (!o.hook_events.empty() || !o.replicated) return;
  if (o.kind == "Deployment" && o.strategy_type == "Recreate" && o.replicas > 1)
    add(o, Severity::kWarning, "recreate-strategy",
        "strategy Recreate stops all " + std::to_string(o.replicas) +
            " replicas before starting new ones: every rollout is an outage; use RollingUpdate",
        o.strategy_line);
  if (o.replicas >= 2) {
    bool budget = std::any_of(objects_.begin(), objects_.end(), [&](const Object& p) {
      return p.kind == "PodDisruptionBudget" && MayShareNamespace(p.namespace_, o.namespace_) &&
             (p.selector.Matches(o.template_labels) || (p.selector_present && p.selector.empty()));
    });
    if (!budget)
      add(o, Severity::kWarning, "no-pdb",
          std::to_string(o.replicas) + " replicas and no PodDisruptionBudget in namespace " +
              (o.namespace_.empty() ? "(the release's)" : o.namespace_) +
              " selects their pods: a node drain may evict them all at once; add one with maxUnavailable: 1",
          o.replicas_line);
  }
  bool rolling = o.strategy_type.empty() || o.strategy_type == "RollingUpdate";
  if (o.kind == "Deployment" && rolling && !o.max_unavailable_rollout.empty() && o.replicas >= 1) {
    long long down = Scaled(o.max_unavailable_rollout, o.replicas, false);
    if (down >= o.replicas) {
      std::string surge = o.max_surge.empty() ? "25%" : o.max_surge;
      long long up = Scaled(surge, o.replicas, true);
      add(o, Severity::kWarning, "max-unavailable-all",
          "maxUnavailable " + o.max_unavailable_rollout + " of " + std::to_string(o.replicas) + " replica" +
              (o.replicas == 1 ? "" : "s") + " lets a rollout take all of them down at once (maxSurge " + surge +
              (up >= 0 ? " adds " + std::to_string(up) : "") +
              "): set maxUnavailable below the replica count, e.g. maxUnavailable: 0 and maxSurge: 1",
          o.max_unavailable_line);
    }
  }
}

void CheckFilter::Shutdown(const Object& o, const Add& add) const {
  // The sleep action, on every pod (hooks too: the API server refuses the object).
  for (const auto& c : o.containers) {
    for (const auto& [hook, seconds] : c.sleep_actions) {
      int needs = seconds == 0 ? kSleepZeroMinor : kSleepActionMinor;
      std::string what = "container " + c.name + " uses the " + hook + " sleep action" +
                         (seconds == 0 ? " with seconds: 0" : "") + ", which needs Kubernetes 1." +
                         std::to_string(needs) + " or later";
      if (options_.kube_minor == 0)
        add(o, Severity::kInfo, "prestop-sleep-unsupported",
            what + "; give the cluster's version with --kube-version to check it", c.sleep_line);
      else if (options_.kube_minor < needs)
        add(o, Severity::kError, "prestop-sleep-unsupported",
            what + ", not 1." + std::to_string(options_.kube_minor) +
                ": the API server refuses or drops it; use exec: {command: [sleep, \"N\"]}",
            c.sleep_line);
    }
  }
  if (!o.hook_events.empty() || !o.probed_kind) return;

  // Pods behind a Service (its selector matches the pod template's labels), and Ingresses routing to it.
  std::vector<std::string> behind;
  for (const auto& s : objects_) {
    if (s.kind != "Service" || !MayShareNamespace(s.namespace_, o.namespace_) || s.service_selector.empty()) continue;
    bool selects = std::all_of(s.service_selector.begin(), s.service_selector.end(), [&](const auto& kv) {
      auto it = o.template_labels.find(kv.first);
      return it != o.template_labels.end() && it->second == kv.second;
    });
    if (!selects) continue;
    behind.push_back("Service/" + s.name);
    for (const auto& i : objects_)
      if (i.kind == "Ingress" && MayShareNamespace(i.namespace_, o.namespace_) &&
          std::find(i.backends.begin(), i.backends.end(), s.name) != i.backends.end())
        behind.push_back("Ingress/" + i.name);
  }
  bool any_serves = std::any_of(o.containers.begin(), o.containers.end(),
                                [](const Container& c) { return !c.init && c.serves; });
  if (!behind.empty()) {
    std::vector<std::string> missing;
    int line = -1;
    for (const auto& c : o.containers) {
      if (c.init || c.has_prestop || (any_serves && !c.serves)) continue;
      missing.push_back(c.name);
      if (line < 0) line = c.line;
    }
    if (!missing.empty())
      add(o, Severity::kWarning, "no-prestop-delay",
          "container(s) " + JoinLimited(missing, ", ") + " behind " + JoinLimited(behind, ", ") +
              " stop at once, while endpoints still route to them for a few seconds: requests are dropped; add a "
              "preStop delay (lifecycle.preStop.sleep.seconds: 5, or --prestop-delay 5s)",
          line);
  }

  long long delay = 0;
  for (const auto& c : o.containers)
    if (!c.init) delay = std::max(delay, c.prestop_seconds);
  long long shutdown = o.shutdown_seconds >= 0 ? o.shutdown_seconds : kAssumedShutdownSeconds;
  long long grace = o.grace >= 0 ? o.grace : kDefaultGraceSeconds;
  if (grace < delay + shutdown)
    add(o, Severity::kWarning, "grace-period-too-short",
        "terminationGracePeriodSeconds " + std::to_string(grace) + (o.grace >= 0 ? "" : " (the default)") +
            " is shorter than the preStop delay (" + std::to_string(delay) + " s) plus the shutdown time (" +
            std::to_string(shutdown) +
            (o.shutdown_seconds >= 0 ? " s)" : " s assumed; state it with capstan.dev/shutdown-seconds)") +
            ": the kubelet kills the pods mid-request; set it to at least " + std::to_string(delay + shutdown),
        o.grace_line);
}

}  // namespace capstan::postrender
