// The ConfigMaps and Secrets a pod spec consumes, and which keys: volumes (configMap, secret, projected sources,
// with items selecting keys), envFrom, and env[].valueFrom.configMapKeyRef/secretKeyRef (only that key counts),
// in every container, init container and ephemeral container.
#pragma once
#include <set>
#include <string>
#include <vector>

#include "yaml/tree.h"

namespace capstan::manifest {

enum class ConfigKind { kConfigMap, kSecret };
const char* ConfigKindName(ConfigKind k);  // "ConfigMap" / "Secret"

struct ConfigRef {
  ConfigKind kind = ConfigKind::kConfigMap;
  std::string name;
  bool all_keys = false;        // a volume without items, or envFrom
  std::set<std::string> keys;   // when !all_keys
  bool optional = true;         // every use is optional: true
  std::vector<std::string> via; // human descriptions: "volume config", "env DB_PASSWORD (container app)"
};

// Merged per (kind, name), sorted by kind then name.
std::vector<ConfigRef> FindConfigRefs(const yaml::Node& pod_spec);

}  // namespace capstan::manifest
