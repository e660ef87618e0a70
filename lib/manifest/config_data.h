// The data of a ConfigMap or Secret reduced to one SHA-256 per key, over the bytes the pod would see: ConfigMap
// data and binaryData (base64-decoded); Secret data (base64-decoded) overlaid by stringData. Values never leave
// this function; only their digests do. Formatting, key order, labels and annotations do not count.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "manifest/config_refs.h"
#include "yaml/tree.h"

namespace capstan::manifest {

struct ConfigData {
  ConfigKind kind = ConfigKind::kConfigMap;
  std::map<std::string, std::string> key_digests;  // key -> sha256 hex of the value bytes
  std::vector<std::string> problems;               // e.g. invalid base64 (the raw text is hashed then)
};

ConfigData ReadConfigData(const yaml::Node& root, ConfigKind kind);

}  // namespace capstan::manifest
