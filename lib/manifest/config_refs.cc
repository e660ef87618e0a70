#include "manifest/config_refs.h"

#include <algorithm>
#include <map>
#include <set>

namespace capstan::manifest {

const char* ConfigKindName(ConfigKind k) { return k == ConfigKind::kConfigMap ? "ConfigMap" : "Secret"; }

namespace {

class Collector {
 public:
  void Add(ConfigKind kind, const yaml::Node& name_node, const yaml::Node& items, const yaml::Node& optional,
           const std::string& via, const std::string* single_key = nullptr) {
    if (!name_node.IsScalar() || name_node.IsNull() || name_node.scalar().empty()) return;
    ConfigRef& r = refs_[{kind, std::string(name_node.scalar())}];
    r.kind = kind;
    r.name = std::string(name_node.scalar());
    bool opt = optional.IsScalar() && (optional.scalar() == "true" || optional.scalar() == "True");
    if (!opt) r.optional = false;
    // each use once: aliases can repeat one container or env entry many times
    if (seen_[{kind, r.name}].insert(via).second) r.via.push_back(via);
    if (single_key) {
      r.keys.insert(*single_key);
    } else if (items.IsSequence() && items.size() > 0) {
      for (const auto& it : items.Items()) {
        yaml::Node k = it.Get("key");
        if (k.IsScalar()) r.keys.insert(std::string(k.scalar()));
      }
    } else {
      r.all_keys = true;
    }
  }

  std::vector<ConfigRef> Result() {
    std::vector<ConfigRef> out;
    for (auto& [k, r] : refs_) {
      if (r.all_keys) r.keys.clear();
      out.push_back(std::move(r));
    }
    return out;
  }

 private:
  std::map<std::pair<ConfigKind, std::string>, ConfigRef> refs_;
  std::map<std::pair<ConfigKind, std::string>, std::set<std::string>> seen_;  // via texts already listed
};

void Containers(Collector& c, const yaml::Node& list, const char* what) {
  for (const auto& ctr : list.Items()) {
    std::string cname = ctr.Get("name").IsScalar() ? std::string(ctr.Get("name").scalar()) : "?";
    std::string in = std::string(" (") + what + " " + cname + ")";
    for (const auto& ef : ctr.Get("envFrom").Items()) {
      if (yaml::Node cm = ef.Get("configMapRef"); cm.IsMapping())
        c.Add(ConfigKind::kConfigMap, cm.Get("name"), {}, cm.Get("optional"), "envFrom" + in);
      if (yaml::Node s = ef.Get("secretRef"); s.IsMapping())
        c.Add(ConfigKind::kSecret, s.Get("name"), {}, s.Get("optional"), "envFrom" + in);
    }
    for (const auto& ev : ctr.Get("env").Items()) {
      yaml::Node vf = ev.Get("valueFrom");
      if (!vf.IsMapping()) continue;
      std::string var = ev.Get("name").IsScalar() ? std::string(ev.Get("name").scalar()) : "?";
      for (auto [key, kind] : {std::pair{"configMapKeyRef", ConfigKind::kConfigMap},
                               std::pair{"secretKeyRef", ConfigKind::kSecret}}) {
        yaml::Node ref = vf.Get(key);
        if (!ref.IsMapping() || !ref.Get("key").IsScalar()) continue;
        std::string k(ref.Get("key").scalar());
        c.Add(kind, ref.Get("name"), {}, ref.Get("optional"), "env " + var + in, &k);
      }
    }
  }
}

}  // namespace

std::vector<ConfigRef> FindConfigRefs(const yaml::Node& spec) {
  Collector c;
  if (!spec.IsMapping()) return c.Result();
  for (const auto& vol : spec.Get("volumes").Items()) {
    std::string vname = vol.Get("name").IsScalar() ? std::string(vol.Get("name").scalar()) : "?";
    if (yaml::Node cm = vol.Get("configMap"); cm.IsMapping())
      c.Add(ConfigKind::kConfigMap, cm.Get("name"), cm.Get("items"), cm.Get("optional"), "volume " + vname);
    if (yaml::Node s = vol.Get("secret"); s.IsMapping())
      c.Add(ConfigKind::kSecret, s.Get("secretName"), s.Get("items"), s.Get("optional"), "volume " + vname);
    if (yaml::Node p = vol.Get("projected"); p.IsMapping()) {
      for (const auto& src : p.Get("sources").Items()) {
        if (yaml::Node cm = src.Get("configMap"); cm.IsMapping())
          c.Add(ConfigKind::kConfigMap, cm.Get("name"), cm.Get("items"), cm.Get("optional"),
                "projected volume " + vname);
        if (yaml::Node s = src.Get("secret"); s.IsMapping())
          c.Add(ConfigKind::kSecret, s.Get("name"), s.Get("items"), s.Get("optional"), "projected volume " + vname);
      }
    }
  }
  Containers(c, spec.Get("initContainers"), "init container");
  Containers(c, spec.Get("containers"), "container");
  Containers(c, spec.Get("ephemeralContainers"), "ephemeral container");
  return c.Result();
}

}  // namespace capstan::manifest
