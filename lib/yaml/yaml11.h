// YAML 1.1 scalar resolution exactly as go-yaml v2 (gopkg.in/yaml.v2 resolve.go) does it, which is what Helm and
// Kubernetes (sigs.k8s.io/yaml) use: yes/no/on/off/y/n booleans, 0755 octal, 0x1F hex, 0b101 binary, 1_000,
// .5, 1e3, .inf/.nan, ~ and empty as null. Only plain (unquoted, untagged) scalars are resolved; quoted and block
// scalars are always strings.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace capstan::yaml {

enum class ScalarType { kNull, kBool, kInt, kUint, kFloat, kString };

struct Scalar {
  ScalarType type = ScalarType::kString;
  bool b = false;
  int64_t i = 0;
  uint64_t u = 0;
  double f = 0;

  // The numeric value as a float64 (what sigs.k8s.io/yaml -> JSON -> interface{} yields for every number).
  double AsDouble() const;
};

// Resolves a plain scalar as go-yaml v2 does.
Scalar ResolvePlain(std::string_view text);

// Go's strconv.FormatFloat(f, 'g', -1, bits) (bits 32 or 64), for finite f.
std::string FormatFloatG(double f, int bits);
// Go's strconv.FormatFloat(f, 'g', -1, 32) with .inf/.nan spelled as YAML: how sigs.k8s.io/yaml turns a float map
// key into a string.
std::string FormatFloatKey(double f);
// Go's encoding/json formatting of a float64 ('f' between 1e-6 and 1e21, else 'e' with a 1-digit minimum exponent).
std::string FormatJsonFloat(double f);

}  // namespace capstan::yaml
