#include "postrender/kit/injected_container.h"

#include "capstan_version.h"
#include "util/strings.h"

namespace capstan::postrender {

std::string DefaultHookImage() { return std::string(kHookImageRepository) + ":" + CAPSTAN_VERSION; }

std::string HookImage(const std::string& configured, std::string_view workload_annotation) {
  if (!configured.empty()) return configured;
  std::string_view a = Trim(workload_annotation);
  if (!a.empty()) return std::string(a);
  return DefaultHookImage();
}

yaml::Snippet RestrictedSecurityContext() {
  yaml::Snippet sc = yaml::Snippet::Map();
  sc.Set("allowPrivilegeEscalation", yaml::Snippet::Bool(false));
  sc.Set("readOnlyRootFilesystem", yaml::Snippet::Bool(true));
  sc.Set("runAsNonRoot", yaml::Snippet::Bool(true));
  sc.Set("capabilities", yaml::Snippet::Map().Set("drop", yaml::Snippet::List().Push(yaml::Snippet::String("ALL"))));
  sc.Set("seccompProfile", yaml::Snippet::Map().Set("type", yaml::Snippet::String("RuntimeDefault")));
  return sc;
}

yaml::Snippet BuildContainer(const InjectedContainer& c) {
  yaml::Snippet args = yaml::Snippet::List();
  for (const auto& a : c.args) args.Push(yaml::Snippet::String(a));
  yaml::Snippet requests = yaml::Snippet::Map();
  if (!c.resources.cpu_request.empty()) requests.Set("cpu", yaml::Snippet::String(c.resources.cpu_request));
  if (!c.resources.memory_request.empty()) requests.Set("memory", yaml::Snippet::String(c.resources.memory_request));
  yaml::Snippet resources = yaml::Snippet::Map();
  if (!requests.empty()) resources.Set("requests", requests);
  if (!c.resources.memory_limit.empty())
    resources.Set("limits", yaml::Snippet::Map().Set("memory", yaml::Snippet::String(c.resources.memory_limit)));

  yaml::Snippet ctr = yaml::Snippet::Map();
  ctr.Set("name", yaml::Snippet::String(c.name));
  ctr.Set("image", yaml::Snippet::String(c.image));
  ctr.Set("args", args);
  if (c.env && !c.env->empty()) ctr.Set("env", *c.env);
  if (!resources.empty()) ctr.Set("resources", resources);
  if (c.volume_mounts && !c.volume_mounts->empty()) ctr.Set("volumeMounts", *c.volume_mounts);
  if (c.readiness_probe) ctr.Set("readinessProbe", *c.readiness_probe);
  ctr.Set("securityContext", c.security_context ? *c.security_context : RestrictedSecurityContext());
  return ctr;
}

}  // namespace capstan::postrender
