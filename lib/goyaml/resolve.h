// go-yaml v2's scalar resolution (resolve.go): what a scalar means under YAML 1.1 as Helm reads it -- y/n/yes/no/
// on/off are booleans, 0755 is octal, 1_000 is 1000, 1e400 stays a string, .inf is a float -- and the explicit
// tags (!!str, !!int, !!float, !!bool, !!null, !!timestamp, !!binary) with go-yaml's errors when a tag does not fit.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace capstan::goyaml {

inline constexpr std::string_view kLongTagPrefix = "tag:yaml.org,2002:";

// The Go value resolve() returns: nil, bool, int (int64 on the platforms Helm ships for), uint64, float64 or string
// (a string also for !!timestamp, which the interface{} decoder keeps as the scalar's text).
struct Resolved {
  enum Type { kNil, kBool, kInt, kUint, kFloat, kString };
  std::string tag;  // the resolved tag, long form ("tag:yaml.org,2002:int")
  Type type = kString;
  bool b = false;
  int64_t i = 0;
  uint64_t u = 0;
  double f = 0;
  std::string s;
};

// resolve(tag, in). Throws YamlError("yaml: cannot decode !!str `x` as a !!int") as go-yaml's failf does.
Resolved Resolve(std::string_view tag, std::string_view in);

// decode.go's scalar rules for an interface{} target: a quoted or block scalar without a tag is a string; !!binary
// is base64-decoded (YamlError "!!binary value contains invalid base64 data"); a timestamp keeps the text.
Resolved ResolveNodeScalar(std::string_view tag, std::string_view value, bool implicit);

// shortTag: "tag:yaml.org,2002:int" -> "!!int".
std::string ShortTag(std::string_view tag);

// Go's strconv.ParseFloat(s, 64) for decimal text (what go-yaml hands it): false on a syntax error or overflow.
bool GoParseFloat(std::string_view s, double* out);
// Go's strconv.ParseInt(s, 0, 64) / ParseUint(s, 0, 64) (base prefixes, a leading 0 is octal, no underscores).
bool GoParseInt(std::string_view s, int base, int64_t* out);
bool GoParseUint(std::string_view s, int base, uint64_t* out);

}  // namespace capstan::goyaml
