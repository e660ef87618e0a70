#include "manifest/config_data.h"

#include "digest/sha256.h"

namespace capstan::manifest {

bool DecodeBase64(std::string_view in, std::string* out) {
  out->clear();
  out->reserve(in.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0, pad = 0;
  for (unsigned char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+') v = 62;
    else if (c == '/') v = 63;
    else if (c == '=') {
      ++pad;
      continue;
    } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      continue;
    } else {
      return false;
    }
    if (pad) return false;  // data after padding
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return bits < 6 && pad <= 2;
}

ConfigData ReadConfigData(const yaml::Node& root, ConfigKind kind) {
  ConfigData d;
  d.kind = kind;
  auto add = [&](const yaml::Node& map, bool base64, const char* field) {
    for (const auto& [k, v] : map.Entries()) {
      if (!k.IsScalar()) continue;
      std::string key(k.scalar());
      std::string_view raw = v.IsNull() ? std::string_view() : v.scalar();
      if (base64) {
        std::string bytes;
        if (DecodeBase64(raw, &bytes)) {
          d.key_digests[key] = Sha256::Hex(bytes);
          continue;
        }
        d.problems.push_back(std::string(field) + "." + key + " is not valid base64");
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
