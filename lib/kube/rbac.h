// The RBAC rules each Capstan hook needs, as data: `capstan rbac` prints them as a Role, docs/rbac.md lists them,
// and a test checks that the requests the client really makes are exactly these rules.
#pragma once
#include <string>
#include <vector>

namespace capstan::kube {

struct RbacRule {
  std::string hook;  // "verify", "check-upgrade", "record", "wait", "roll"
  std::string group;
  std::vector<std::string> resources;
  std::vector<std::string> verbs;
};

const std::vector<RbacRule>& HookRbacRules();
// The hooks that have rules.
std::vector<std::string> RbacHooks();
// True when some rule of `hooks` (all hooks when empty) allows verb on group/resource.
bool RbacAllows(const std::vector<std::string>& hooks, const std::string& group, const std::string& resource,
                const std::string& verb);
// A Role (rbac.authorization.k8s.io/v1) granting the union of the hooks' rules, merged per API group and resource.
std::string RenderRole(const std::vector<std::string>& hooks, const std::string& name, const std::string& ns);
// The rule line to suggest in a 403 message: {apiGroups: [""], resources: ["pods"], verbs: ["list"]}
std::string RuleSnippet(const std::string& group, const std::string& resource, const std::string& verb);

}  // namespace capstan::kube
