#include "manifest/object.h"

#include "util/strings.h"

namespace capstan::manifest {

bool ObjectInfo::HasHookEvent(std::string_view event) const {
  for (const auto& e : hook_events)
    if (e == event) return true;
  return false;
}

std::string ObjectInfo::Group() const {
  size_t slash = api_version.find('/');
  return slash == std::string::npos ? "" : api_version.substr(0, slash);
}

std::string ObjectInfo::Ref() const { return kind + "/" + name; }

std::string_view Annotation(const yaml::Node& obj, std::string_view key) {
  yaml::Node v = obj.Get("metadata").Get("annotations").Get(key);
  return v.IsScalar() ? v.scalar() : std::string_view();
}

std::string_view Label(const yaml::Node& obj, std::string_view key) {
  yaml::Node v = obj.Get("metadata").Get("labels").Get(key);
  return v.IsScalar() ? v.scalar() : std::string_view();
}

std::vector<std::string> HookEvents(std::string_view annotation) {
  std::vector<std::string> events;
  for (const auto& e : Split(annotation, ',', true)) {
    std::string ev = ToLower(Trim(e));
    if (!ev.empty()) events.push_back(ev);
  }
  return events;
}

ObjectInfo Describe(const yaml::Node& root) {
  ObjectInfo info;
  if (!root.IsMapping()) return info;
  yaml::Node api = root.Get("apiVersion"), kind = root.Get("kind");
  if (!api.IsScalar() || !kind.IsScalar() || api.IsNull() || kind.IsNull()) return info;
  info.is_object = true;
  info.api_version = std::string(api.scalar());
  info.kind = std::string(kind.scalar());
  yaml::Node md = root.Get("metadata");
  if (md.Get("name").IsScalar()) info.name = std::string(md.Get("name").scalar());
  if (md.Get("namespace").IsScalar() && !md.Get("namespace").IsNull())
    info.namespace_ = std::string(md.Get("namespace").scalar());
  info.hook_events = HookEvents(Annotation(root, kHelmHookAnnotation));
  info.helm_filename = std::string(Annotation(root, kHelmFilenameAnnotation));
  return info;
}

}  // namespace capstan::manifest
