// YAML 1.1 scalar resolution exactly as Kubernetes and Helm read YAML (go-yaml v2 through sigs.k8s.io/yaml):
// yes/no/on/off/y/n are booleans, 0755 is octal, 1_000 is 1000, .inf/.nan are floats; quoted or explicitly
// tagged scalars are strings. Used to compare typed values (fidelity checks) and by the values engine.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "yaml/tree.h"

namespace capstan::yaml {

enum class ScalarType : uint8_t { kNull, kBool, kInt, kFloat, kString };

struct ResolvedScalar {
  ScalarType type = ScalarType::kString;
  bool boolean = false;
  int64_t integer = 0;    // kInt (values that fit int64)
  uint64_t uinteger = 0;  // kInt with is_unsigned (go-yaml v2 falls back to uint64)
  bool is_unsigned = false;
  double number = 0;      // kFloat
  std::string_view text;  // the decoded text
};

// Resolves a plain scalar's text with go-yaml v2 rules. Quoted and block scalars are always strings.
ResolvedScalar ResolvePlain(std::string_view text);
// Resolves a node: honours style and explicit tags (!!str, !!int, !!bool, !!float, !!null).
ResolvedScalar Resolve(const Node& scalar);
// A canonical text form of a resolved scalar ("int:493", "bool:true", "str:yes"), for comparisons.
std::string Canonical(const ResolvedScalar& r);

}  // namespace capstan::yaml
