#include "values/lint/type_surprise.h"

#include <cmath>

#include "util/strings.h"
#include "values/go_format.h"
#include "yaml/yaml11.h"

namespace capstan::values::lint {
namespace {

bool IsBoolWord(std::string_view text, const yaml::ResolvedScalar& r) {
  if (r.type != yaml::ScalarType::kBool) return false;
  std::string l = ToLower(text);
  return l != "true" && l != "false";
}

bool IsNumber(const yaml::ResolvedScalar& r) {
  return r.type == yaml::ScalarType::kInt || r.type == yaml::ScalarType::kFloat;
}

// The float64 every YAML number becomes (sigs.k8s.io/yaml -> JSON -> interface{}).
double AsDouble(const yaml::ResolvedScalar& r) {
  if (r.type == yaml::ScalarType::kFloat) return r.number;
  return r.is_unsigned ? static_cast<double>(r.uinteger) : static_cast<double>(r.integer);
}

// How a template prints the number ({{ .Values.x }} formats a float64 with %v).
std::string Rendered(const yaml::ResolvedScalar& r) { return FormatFloatG(AsDouble(r), 64); }

bool IsOctal(std::string_view t) {
  size_t i = (!t.empty() && (t[0] == '+' || t[0] == '-')) ? 1 : 0;
  if (t.size() < i + 2 || t[i] != '0') return false;
  for (size_t j = i + 1; j < t.size(); ++j)
    if (!((t[j] >= '0' && t[j] <= '7') || t[j] == '_')) return false;
  return true;
}

std::string Quoted(std::string_view t) {
  std::string out = "\"";
  for (char c : t) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string Reading(std::string_view text, const yaml::ResolvedScalar& r) {
  if (r.type == yaml::ScalarType::kBool) return std::string("the boolean ") + (r.boolean ? "true" : "false");
  if (r.type == yaml::ScalarType::kNull) return "null";
  if (IsOctal(text)) return "the octal number " + Rendered(r);
  return "the number " + Rendered(r);
}

bool LosesPrecision(const yaml::ResolvedScalar& r) {
  if (r.type != yaml::ScalarType::kInt) return false;
  if (r.is_unsigned) {
    double d = static_cast<double>(r.uinteger);
    return d >= 18446744073709551615.0 || static_cast<uint64_t>(d) != r.uinteger;
  }
  if (r.integer > (int64_t{1} << 53) || r.integer < -(int64_t{1} << 53)) {
    double d = static_cast<double>(r.integer);
    return d >= 9223372036854775807.0 || static_cast<int64_t>(d) != r.integer;
  }
  return false;
}

}  // namespace

std::vector<Surprise> FindTypeSurprises(const SourceNode& node, const Value* default_value) {
  std::vector<Surprise> out;
  if (node.has_key && node.key_plain) {
    yaml::ResolvedScalar k = yaml::ResolvePlain(node.key_text);
    if (IsBoolWord(node.key_text, k)) {
      out.push_back({"the key " + node.key_text + " is read as '" + (k.boolean ? "true" : "false") +
                         "' (YAML 1.1); quote it to keep the name: " + Quoted(node.key_text),
                     Quoted(node.key_text), true});
    }
  }
  if (node.kind != SourceNode::Kind::kScalar || !node.plain) return out;
  yaml::ResolvedScalar r = yaml::ResolvePlain(node.text);
  bool want_string = default_value && default_value->kind() == Kind::kString;
  if (want_string && (IsBoolWord(node.text, r) || (IsNumber(r) && Rendered(r) != node.text))) {
    out.push_back({"the unquoted " + node.text + " is read as " + Reading(node.text, r) +
                       " (YAML 1.1), but the chart's default is a string; quote it: " + Quoted(node.text),
                   Quoted(node.text), false});
    return out;
  }
  if (LosesPrecision(r)) {
    out.push_back({node.text + " is beyond float64 precision: Helm reads every number as a float64 and prints " +
                       FormatJsonFloat(AsDouble(r)) + "; quote it if it is an identifier",
                   Quoted(node.text), false});
    return out;
  }
  if (r.type == yaml::ScalarType::kFloat && std::isfinite(r.number) && r.number != std::floor(r.number) && default_value &&
      (default_value->kind() == Kind::kInt ||
       (default_value->kind() == Kind::kFloat && std::isfinite(default_value->as_float()) &&
        default_value->as_float() == std::floor(default_value->as_float())))) {
    double d = default_value->kind() == Kind::kInt ? static_cast<double>(default_value->as_int())
                                                   : default_value->as_float();
    out.push_back({node.text + " is not a whole number, but the chart's default (" + FormatFloatG(d, 64) +
                       ") is an integer",
                   "", false});
    return out;
  }
  if (IsNumber(r) && default_value && (default_value->kind() == Kind::kFloat || default_value->kind() == Kind::kInt) &&
      Rendered(r).find('e') != std::string::npos && node.text.find_first_of("eE") == std::string::npos &&
      !IsOctal(node.text)) {
    out.push_back({node.text + " is printed as " + Rendered(r) +
                       " by {{ .Values... }} in templates (Helm reads numbers as float64); the chart must use "
                       "int64 or toJson, or quote the value",
                   "", false});
  }
  return out;
}

std::string YamlReadingHint(const SourceNode& node) {
  if (node.kind != SourceNode::Kind::kScalar || !node.plain) return "";
  yaml::ResolvedScalar r = yaml::ResolvePlain(node.text);
  if (r.type == yaml::ScalarType::kString) return "";
  if (r.type == yaml::ScalarType::kNull)
    return "YAML reads the unquoted " + std::string(node.text.empty() ? "empty value" : node.text) + " as null";
  return "YAML 1.1 reads the unquoted " + node.text + " as " + Reading(node.text, r) + "; quote it for a string";
}

}  // namespace capstan::values::lint
