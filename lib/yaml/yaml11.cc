#include "yaml/yaml11.h"

#include <cmath>
#include <cstdio>

#include "goyaml/resolve.h"

namespace capstan::yaml {

ResolvedScalar ResolvePlain(std::string_view s) {
  // go-yaml v2's own rules (lib/goyaml/resolve.h): one resolver for the values reader and every YAML 1.1 check.
  goyaml::Resolved g = goyaml::Resolve("", s);
  ResolvedScalar r;
  r.text = s;
  switch (g.type) {
    case goyaml::Resolved::kNil: r.type = ScalarType::kNull; break;
    case goyaml::Resolved::kBool: r.type = ScalarType::kBool, r.boolean = g.b; break;
    case goyaml::Resolved::kInt: r.type = ScalarType::kInt, r.integer = g.i; break;
    case goyaml::Resolved::kUint: r.type = ScalarType::kInt, r.uinteger = g.u, r.is_unsigned = true; break;
    case goyaml::Resolved::kFloat: r.type = ScalarType::kFloat, r.number = g.f; break;
    case goyaml::Resolved::kString: r.type = ScalarType::kString; break;  // timestamps and "<<" too: text
  }
  return r;
}

ResolvedScalar Resolve(const Node& n) {
  std::string_view tag = n.tag();
  std::string_view text = n.scalar();
  if (tag == "!!str" || tag == "tag:yaml.org,2002:str" || tag == "!") {
    ResolvedScalar r;
    r.text = text;
    return r;
  }
  if (!tag.empty() && tag != "!!int" && tag != "!!float" && tag != "!!bool" && tag != "!!null" &&
      tag.rfind("tag:yaml.org,2002:", 0) != 0) {
    ResolvedScalar r;  // application tags: kept as strings here
    r.text = text;
    return r;
  }
  if (n.style() != Style::kPlain && tag.empty()) {
    ResolvedScalar r;
    r.text = text;
    return r;
  }
  return ResolvePlain(text);
}

std::string Canonical(const ResolvedScalar& r) {
  char buf[64];
  switch (r.type) {
    case ScalarType::kNull: return "null";
    case ScalarType::kBool: return r.boolean ? "bool:true" : "bool:false";
    case ScalarType::kInt:
      if (r.is_unsigned) std::snprintf(buf, sizeof buf, "int:%llu", static_cast<unsigned long long>(r.uinteger));
      else std::snprintf(buf, sizeof buf, "int:%lld", static_cast<long long>(r.integer));
      return buf;
    case ScalarType::kFloat:
      std::snprintf(buf, sizeof buf, "float:%.17g", r.number);
      return buf;
    case ScalarType::kString: return "str:" + std::string(r.text);
  }
  return "str:";
}

}  // namespace capstan::yaml
