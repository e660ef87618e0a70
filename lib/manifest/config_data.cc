#include "manifest/config_data.h"

#include "digest/sha256.h"
#include "util/base64.h"

namespace capstan::manifest {

ConfigData ReadConfigData(const yaml::Node& root, ConfigKind kind) {
  ConfigData d;
  d.kind = kind;
  auto add = [&](const yaml::Node& map, bool base64, const char* field) {
    for (const auto& [k, v] : map.Entries()) {
      if (!k.IsScalar()) continue;
      std::string key(k.scalar());
      std::string_view raw = v.IsNull() ? std::string_view() : v.scalar();
      if (base64) {
        std::string why;
        if (auto bytes = Base64Decode(raw, &why)) {
          d.key_digests[key] = Sha256::Hex(*bytes);
          continue;
        }
        d.problems.push_back(std::string(field) + "." + key + " is not valid base64 (" + why +
                             "; the API server refuses it)");
      }
      d.key_digests[key] = Sha256::Hex(raw);
    }
  };
  if (kind == ConfigKind::kConfigMap) {
    add(root.Get("data"), false, "data");
    add(root.Get("binaryData"), true, "binaryData");
  } else {
    add(root.Get("data"), true, "data");
    add(root.Get("stringData"), false, "stringData");  // overrides data, as the API server does
  }
  return d;
}

}  // namespace capstan::manifest
