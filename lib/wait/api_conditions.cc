// job:NAME (namespace=NS) holds when the Job completed (a failed Job fails the wait at once); rollout:KIND/NAME
// (namespace=NS) when a Deployment, StatefulSet or DaemonSet rolled out. The grammar (object names, the kinds
// rollout: takes, with kubectl's short names); the probe, which needs the Kubernetes API, is
// lib/kube/wait_probes.h.
#include "util/strings.h"
#include "wait/kinds.h"

namespace capstan::wait {

ApiCondition::ApiCondition(std::string kind, std::string target, std::string api_kind, std::string name,
                           std::string ns)
    : Condition(std::move(kind), std::move(target)),
      api_kind_(std::move(api_kind)),
      name_(std::move(name)),
      ns_(std::move(ns)) {
  if (!ns_.empty()) AddCanonicalOption("namespace", "=", ns_);
}

namespace detail {
namespace {

bool ValidName(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  return true;
}

// The workload kind rollout: names, as kube::LookupKind reads it (kind, resource, singular resource or kubectl
// short name, any case); "" for anything else.
std::string RolloutKind(std::string_view written) {
  std::string n = ToLower(written);
  static const struct {
    const char *kind, *resource, *short_name;
  } kKinds[] = {{"Deployment", "deployments", "deploy"},
                {"StatefulSet", "statefulsets", "sts"},
                {"DaemonSet", "daemonsets", "ds"}};
  for (const auto& k : kKinds)
    if (n == ToLower(k.kind) || n == k.resource || n + "s" == k.resource || n == k.short_name) return k.kind;
  return {};
}

std::string Namespace(OptionReader& r) {
  std::string ns = r.Take("namespace").value_or("");
  if (!ns.empty() && !ValidName(ns)) r.FailTarget("namespace= is not a valid namespace name");
  return ns;
}

}  // namespace

ConditionFactory JobFactory() {
  return [](OptionReader& r) -> std::unique_ptr<Condition> {
    std::string name(r.spec().body);
    if (!ValidName(name)) r.FailTarget("expected job:NAME with a Kubernetes object name (lower-case, digits, '-', '.')");
    std::string ns = Namespace(r);
    return std::make_unique<ApiCondition>("job", "job:" + name, "Job", name, ns);
  };
}

ConditionFactory RolloutFactory() {
  return [](OptionReader& r) -> std::unique_ptr<Condition> {
    std::string body(r.spec().body);
    size_t slash = body.find('/');
    if (slash == std::string::npos)
      r.FailTarget("expected rollout:KIND/NAME, e.g. rollout:deployment/web or rollout:statefulset/db");
    std::string kind = RolloutKind(body.substr(0, slash));
    if (kind.empty())
      r.FailTarget("rollout: takes deployment/, statefulset/ or daemonset/ (got " + Quote(body.substr(0, slash)) + ")");
    std::string name = body.substr(slash + 1);
    if (!ValidName(name)) r.FailTarget("expected a Kubernetes object name after '/'", slash + 1);
    std::string ns = Namespace(r);
    return std::make_unique<ApiCondition>("rollout", "rollout:" + ToLower(kind) + "/" + name, kind, name, ns);
  };
}

}  // namespace detail
}  // namespace capstan::wait
