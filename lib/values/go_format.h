// Go's formatting of numbers and strings, as Helm's output and messages show them: encoding/json for toJson/toYaml (every YAML number is a
// float64), %v / strconv 'g' for template text ({{ .Values.big }} prints 1.2345678e+07), and the float32 'g' form
// sigs.k8s.io/yaml uses for float map keys.
#pragma once
#include <string>
#include <string_view>

namespace capstan::values {

// Go's strconv.FormatFloat(f, 'g', -1, bits) (bits 32 or 64), "+Inf", "-Inf" and "NaN" included (a float64 beyond
// float32's range is infinite with bits 32).
std::string FormatFloatG(double f, int bits);
// Go's strconv.FormatFloat(f, 'g', -1, 32) with .inf/.nan spelled as YAML: how sigs.k8s.io/yaml turns a float map
// key into a string.
std::string FormatFloatKey(double f);
// Go's %q of a string, for messages: quotes and backslashes escaped, \n \t, other control bytes as \xNN (no
// Unicode escapes: bytes >= 0x80 pass as they are).
std::string GoQuote(std::string_view s);
// Go's encoding/json formatting of a float64 ('f' between 1e-6 and 1e21, else 'e' with a 1-digit minimum exponent).
std::string FormatJsonFloat(double f);

}  // namespace capstan::values
