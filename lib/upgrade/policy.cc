#include "upgrade/policy.h"

#include <algorithm>
#include <set>

#include "kube/resources.h"
#include "kube/yaml_json.h"
#include "util/error.h"
#include "util/strings.h"
#include "util/suggest.h"

namespace capstan::upgrade {
namespace {

using kube::Json;

[[noreturn]] void Fail(const std::string& origin, const std::string& path, const std::string& why) {
  throw UsageError(origin + ": " + path + ": " + why);
}

void CheckKeys(const Json& obj, const std::vector<std::string>& allowed, const std::string& origin,
               const std::string& path) {
  for (const auto& m : obj.GetObject()) {
    std::string key(m.name.GetString(), m.name.GetStringLength());
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string best = SuggestClosest(key, allowed);
    Fail(origin, path, "unknown key " + Quote(key) + (best.empty() ? "" : " (did you mean " + Quote(best) + "?)") +
                           "; allowed: " + Join(allowed, ", "));
  }
}

std::string String(const Json& obj, const char* key, const std::string& origin, const std::string& path,
                   bool required) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd()) {
    if (required) Fail(origin, path, "missing " + std::string(key));
    return "";
  }
  if (!it->value.IsString())
    Fail(origin, path + "." + key, "must be a string (quote versions: \"2.0\", not 2.0)");
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::optional<bool> Bool(const Json& obj, const char* key, const std::string& origin, const std::string& path) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd()) return std::nullopt;
  if (!it->value.IsBool()) Fail(origin, path + "." + key, "must be true or false");
  return it->value.GetBool();
}

std::optional<int64_t> Int(const Json& obj, const char* key, const std::string& origin, const std::string& path) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd()) return std::nullopt;
  if (!it->value.IsInt64() || it->value.GetInt64() < 0 || it->value.GetInt64() > 1000000)
    Fail(origin, path + "." + key, "must be a whole number from 0 to 1000000");
  return it->value.GetInt64();
}

}  // namespace

Policy ParsePolicy(const std::string& text, const std::string& origin) {
  kube::JsonDoc d = kube::YamlToJson(text, origin);
  if (!d.IsObject()) Fail(origin, "(top)", "the policy must be a mapping with components:");
  CheckKeys(d, {"allowDowngrade", "maxMajorSkip", "components"}, origin, "(top)");
  Policy p;
  p.allow_downgrade = Bool(d, "allowDowngrade", origin, "(top)").value_or(false);
  p.max_major_skip = Int(d, "maxMajorSkip", origin, "(top)").value_or(0);
  auto comps = d.FindMember("components");
  if (comps == d.MemberEnd() || !comps->value.IsArray())
    Fail(origin, "components", "missing or not a list of components");
  std::set<std::string> names;
  size_t index = 0;
  for (const auto& c : comps->value.GetArray()) {
    std::string path = "components[" + std::to_string(index++) + "]";
    if (!c.IsObject()) Fail(origin, path, "must be a mapping with name, order, version, deployed");
    CheckKeys(c, {"name", "order", "version", "allowDowngrade", "deployed"}, origin, path);
    Component comp;
    comp.name = String(c, "name", origin, path, true);
    if (comp.name.empty()) Fail(origin, path + ".name", "must not be empty");
    path += " (" + comp.name + ")";
    if (!names.insert(comp.name).second) Fail(origin, path, "component name " + Quote(comp.name) + " appears twice");
    auto order = Int(c, "order", origin, path);
    if (!order) Fail(origin, path, "missing order (a number; lower upgrades first)");
    comp.order = *order;
    std::string version = String(c, "version", origin, path, true);
    auto sv = ParseSemVer(version);
    if (!sv) Fail(origin, path + ".version", Quote(version) + " is not a semantic version (MAJOR.MINOR.PATCH[-pre])");
    comp.version = *sv;
    comp.allow_downgrade = Bool(c, "allowDowngrade", origin, path);
    auto dep = c.FindMember("deployed");
    if (dep == c.MemberEnd() || !dep->value.IsObject())
      Fail(origin, path + ".deployed", "missing: say where the deployed version is read ({kind, name, label|image})");
    const Json& dv = dep->value;
    std::string dpath = path + ".deployed";
    CheckKeys(dv, {"kind", "name", "label", "image"}, origin, dpath);
    comp.deployed.kind = String(dv, "kind", origin, dpath, true);
    const kube::Kind* kp = nullptr;
    try {
      kp = &kube::LookupKind(comp.deployed.kind);
    } catch (const UsageError& e) {
      Fail(origin, dpath + ".kind", e.what());
    }
    const kube::Kind& kind = *kp;
    if (kind.kind != "Deployment" && kind.kind != "StatefulSet" && kind.kind != "DaemonSet")
      Fail(origin, dpath + ".kind", Quote(comp.deployed.kind) + " is not a workload (Deployment, StatefulSet, DaemonSet)");
    comp.deployed.kind = kind.kind;
    comp.deployed.name = String(dv, "name", origin, dpath, true);
    if (comp.deployed.name.empty()) Fail(origin, dpath + ".name", "must not be empty");
    comp.deployed.label = String(dv, "label", origin, dpath, false);
    auto img = dv.FindMember("image");
    if (img != dv.MemberEnd()) {
      if (!comp.deployed.label.empty()) Fail(origin, dpath, "give either label or image, not both");
      if (!img->value.IsObject()) Fail(origin, dpath + ".image", "must be a mapping ({} or {container: NAME})");
      CheckKeys(img->value, {"container"}, origin, dpath + ".image");
      comp.deployed.image = true;
      comp.deployed.container = String(img->value, "container", origin, dpath + ".image", false);
    } else if (comp.deployed.label.empty()) {
      comp.deployed.label = "app.kubernetes.io/version";
    }
    p.components.push_back(std::move(comp));
  }
  if (p.components.empty()) Fail(origin, "components", "the list is empty");
  std::stable_sort(p.components.begin(), p.components.end(),
                   [](const Component& a, const Component& b) { return a.order < b.order; });
  return p;
}

}  // namespace capstan::upgrade
