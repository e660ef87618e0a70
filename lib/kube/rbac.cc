#include "kube/rbac.h"

#include <algorithm>
#include <map>
#include <set>

#include "util/error.h"
#include "util/strings.h"

namespace capstan::kube {

const std::vector<RbacRule>& HookRbacRules() {
  // Keep in step with docs/rbac.md; tests/kube/rbac_test.cc fails when the client's requests and these differ.
  static const std::vector<RbacRule> rules = {
      {"verify", "apps", {"deployments", "statefulsets", "daemonsets"}, {"list"}},
      {"verify", "", {"pods"}, {"list"}},
      {"verify", "", {"configmaps"}, {"get", "create", "update"}},
      {"record", "", {"configmaps"}, {"get", "create", "update"}},
      {"check-upgrade", "", {"configmaps"}, {"get"}},
      {"check-upgrade", "apps", {"deployments", "statefulsets", "daemonsets"}, {"get"}},
      {"wait", "apps", {"deployments", "statefulsets", "daemonsets"}, {"get"}},
      {"wait", "batch", {"jobs"}, {"get"}},
      {"roll", "apps", {"statefulsets"}, {"list", "watch"}},
      {"roll", "", {"pods"}, {"list", "watch", "delete"}},
      {"roll", "", {"events"}, {"list", "watch"}},
      {"roll", "coordination.k8s.io", {"leases"}, {"get", "create", "update"}},
      // Only with --snapshot-pvc (backup, prune) and --restore-snapshots-as (restore): lib/snapshot.
      {"backup", "", {"persistentvolumeclaims"}, {"get"}},
      {"backup", "snapshot.storage.k8s.io", {"volumesnapshots"}, {"create", "list", "watch", "delete"}},
      {"restore", "", {"persistentvolumeclaims"}, {"get", "create"}},
      {"restore", "snapshot.storage.k8s.io", {"volumesnapshots"}, {"get"}},
  };
  return rules;
}

std::vector<std::string> RbacHooks() {
  std::vector<std::string> out;
  for (const auto& r : HookRbacRules())
    if (std::find(out.begin(), out.end(), r.hook) == out.end()) out.push_back(r.hook);
  return out;
}

bool RbacAllows(const std::vector<std::string>& hooks, const std::string& group, const std::string& resource,
                const std::string& verb) {
  for (const auto& r : HookRbacRules()) {
    if (!hooks.empty() && std::find(hooks.begin(), hooks.end(), r.hook) == hooks.end()) continue;
    if (r.group != group) continue;
    if (std::find(r.resources.begin(), r.resources.end(), resource) == r.resources.end()) continue;
    if (std::find(r.verbs.begin(), r.verbs.end(), verb) != r.verbs.end()) return true;
  }
  return false;
}

namespace {
std::string QuoteList(const std::vector<std::string>& v) {
  std::vector<std::string> q;
  for (const auto& s : v) {
    std::string item;
    item.append(1, '"').append(s).append(1, '"');
    q.push_back(std::move(item));
  }
  std::string out = "[";
  out.append(Join(q, ", ")).append("]");
  return out;
}
}  // namespace

std::string RenderRole(const std::vector<std::string>& hooks, const std::string& name, const std::string& ns) {
  auto known = RbacHooks();
  for (const auto& h : hooks)
    if (std::find(known.begin(), known.end(), h) == known.end())
      throw UsageError("unknown hook " + Quote(h) + " (hooks with RBAC rules: " + Join(known, ", ") + ")");
  // group -> resource -> verbs, in a stable order; then resources with identical verbs share a rule.
  std::map<std::string, std::map<std::string, std::set<std::string>>> grants;
  for (const auto& r : HookRbacRules()) {
    if (!hooks.empty() && std::find(hooks.begin(), hooks.end(), r.hook) == hooks.end()) continue;
    for (const auto& res : r.resources)
      for (const auto& v : r.verbs) grants[r.group][res].insert(v);
  }
  static const std::vector<std::string> verb_order = {"get", "list", "watch", "create", "update", "patch", "delete"};
  std::string out = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: " + name + "\n";
  if (!ns.empty()) out += "  namespace: " + ns + "\n";
  out += "rules:\n";
  for (const auto& [group, resources] : grants) {
    std::map<std::vector<std::string>, std::vector<std::string>> by_verbs;
    for (const auto& [res, verbs] : resources) {
      std::vector<std::string> ordered;
      for (const auto& v : verb_order)
        if (verbs.count(v)) ordered.push_back(v);
      by_verbs[ordered].push_back(res);
    }
    for (const auto& [verbs, res] : by_verbs)
      out += "  - apiGroups: " + QuoteList({group}) + "\n    resources: " + QuoteList(res) +
             "\n    verbs: " + QuoteList(verbs) + "\n";
  }
  return out;
}

std::string RuleSnippet(const std::string& group, const std::string& resource, const std::string& verb) {
  std::string out = "{apiGroups: ";
  out.append(QuoteList({group})).append(", resources: ").append(QuoteList({resource}));
  out.append(", verbs: ").append(QuoteList({verb})).append("}");
  return out;
}

}  // namespace capstan::kube
