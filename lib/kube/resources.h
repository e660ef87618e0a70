// The few Kubernetes kinds Capstan reads and writes, with their API group, version and plural resource name, and
// the REST paths built from them. One table serves the client, the RBAC rules and the messages.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace capstan::kube {

struct Kind {
  std::string kind;      // "Deployment"
  std::string group;     // "apps" ("" for the core group)
  std::string version;   // "v1"
  std::string resource;  // "deployments"
};

const std::vector<Kind>& Kinds();
// Looks up by kind ("Deployment"), resource ("deployments") or short forms ("deploy", "sts", "ds", "cm");
// case-insensitive. Throws UsageError listing the supported kinds.
const Kind& LookupKind(std::string_view name);

// /api/v1/namespaces/<ns>/<resource>[/<name>] or /apis/<group>/<version>/namespaces/<ns>/<resource>[/<name>].
std::string ResourcePath(const Kind& kind, const std::string& ns, const std::string& name = "");
// Percent-encodes a query parameter value (label selectors, continue tokens).
std::string UrlEncode(std::string_view s);

}  // namespace capstan::kube

namespace capstan::kube {

// What a REST path addresses, for RBAC checks and messages: /api/v1/namespaces/ns/pods/name ->
// {group "", resource "pods", ns "ns", name "name"}. ok is false for paths outside the resource URL scheme.
struct PathTarget {
  bool ok = false;
  std::string group, version, resource, ns, name, subresource;
};
PathTarget ParseResourcePath(std::string_view path);
// The RBAC verb of a request: GET with a name = get, GET without = list (watch=true: watch), POST = create,
// PUT = update, PATCH = patch, DELETE = delete / deletecollection.
std::string RbacVerb(std::string_view method, const PathTarget& target, std::string_view query = "");

}  // namespace capstan::kube
