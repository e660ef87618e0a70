#include "kube/resources.h"

#include "util/error.h"
#include "util/strings.h"

namespace capstan::kube {

const std::vector<Kind>& Kinds() {
  static const std::vector<Kind> kinds = {
      {"Deployment", "apps", "v1", "deployments"}, {"StatefulSet", "apps", "v1", "statefulsets"},
      {"DaemonSet", "apps", "v1", "daemonsets"},   {"ReplicaSet", "apps", "v1", "replicasets"},
      {"Job", "batch", "v1", "jobs"},              {"Pod", "", "v1", "pods"},
      {"ConfigMap", "", "v1", "configmaps"},       {"Service", "", "v1", "services"},
      {"Endpoints", "", "v1", "endpoints"},     {"Event", "", "v1", "events"},
      {"Lease", "coordination.k8s.io", "v1", "leases"},
  };
  return kinds;
}

const Kind& LookupKind(std::string_view name) {
  std::string n = ToLower(name);
  static const std::vector<std::pair<std::string, std::string>> shorts = {
      {"deploy", "deployments"}, {"sts", "statefulsets"}, {"ds", "daemonsets"}, {"rs", "replicasets"},
      {"po", "pods"},            {"cm", "configmaps"},    {"svc", "services"},  {"ep", "endpoints"}};
  for (const auto& [s, r] : shorts)
    if (n == s) n = r;
  std::vector<std::string> names;
  for (const auto& k : Kinds()) {
    if (n == ToLower(k.kind) || n == k.resource || n + "s" == k.resource) return k;
    names.push_back(k.kind);
  }
  throw UsageError("unsupported kind " + Quote(name) + " (supported: " + Join(names, ", ") + ")");
}

std::string ResourcePath(const Kind& kind, const std::string& ns, const std::string& name) {
  std::string p;
  if (kind.group.empty())
    p.append("/api/").append(kind.version);
  else
    p.append("/apis/").append(kind.group).append("/").append(kind.version);
  p.append("/namespaces/").append(UrlEncode(ns)).append("/").append(kind.resource);
  if (!name.empty()) p.append("/").append(UrlEncode(name));
  return p;
}

std::string UrlEncode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

}  // namespace capstan::kube

namespace capstan::kube {

PathTarget ParseResourcePath(std::string_view path) {
  PathTarget t;
  size_t q = path.find('?');
  if (q != std::string_view::npos) path = path.substr(0, q);
  auto parts = Split(path, '/', true);
  size_t i = 0;
  if (parts.size() >= 2 && parts[0] == "api") {
    t.version = parts[1];
    i = 2;
  } else if (parts.size() >= 3 && parts[0] == "apis") {
    t.group = parts[1];
    t.version = parts[2];
    i = 3;
  } else {
    return t;
  }
  if (i + 1 < parts.size() && parts[i] == "namespaces" && i + 2 < parts.size()) {
    t.ns = parts[i + 1];
    i += 2;
  }
  if (i >= parts.size()) return t;
  t.resource = parts[i++];
  if (i < parts.size()) t.name = parts[i++];
  if (i < parts.size()) t.subresource = parts[i++];
  t.ok = i == parts.size();
  return t;
}

std::string RbacVerb(std::string_view method, const PathTarget& target, std::string_view query) {
  if (method == "GET") {
    if (!target.name.empty()) return "get";
    if (!query.empty() && query.front() == '?') query.remove_prefix(1);
    for (const auto& kv : Split(query, '&', true))
      if (kv == "watch=true" || kv == "watch=1") return "watch";
    return "list";
  }
  if (method == "POST") return "create";
  if (method == "PUT") return "update";
  if (method == "PATCH") return "patch";
  if (method == "DELETE") return target.name.empty() ? "deletecollection" : "delete";
  return ToLower(method);
}

}  // namespace capstan::kube
