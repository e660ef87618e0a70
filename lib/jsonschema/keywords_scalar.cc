// Keywords on single values (see evaluator.h): type, enum, const, multipleOf, maximum/minimum and their exclusive
// forms, maxLength/minLength, pattern and format.
#include <algorithm>
#include <cmath>

#include "jsonschema/decimal.h"
#include "jsonschema/evaluator.h"
#include "jsonschema/format.h"
#include "jsonschema/json_value.h"
#include "jsonschema/unicode.h"

namespace capstan::jsonschema::evaluation {

bool Evaluator::Kw_Type(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
  (void)e;
  uint8_t t = n->types;
  bool ok = false;
  switch (x.GetType()) {
    case rapidjson::kNullType: ok = t & kTNull; break;
    case rapidjson::kFalseType:
    case rapidjson::kTrueType: ok = t & kTBool; break;
    case rapidjson::kObjectType: ok = t & kTObject; break;
    case rapidjson::kArrayType: ok = t & kTArray; break;
    case rapidjson::kStringType: ok = t & kTString; break;
    case rapidjson::kNumberType: ok = (t & kTNumber) || ((t & kTInteger) && IsIntegral(x)); break;
  }
  if (!ok) Report(n, kw, std::string("got ") + JsonTypeName(x) + ", want " + TypesText(t));
  return ok;
}

bool Evaluator::Kw_Enum(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
  (void)e;
  for (const auto& v : n->enum_values->GetArray())
    if (JsonEqual(v, x)) return true;
  std::vector<std::string> allowed;
  std::string list;
  for (const auto& v : n->enum_values->GetArray()) {
    allowed.push_back(JsonShort(v, 60));
    if (list.size() < 200) list += (list.empty() ? "" : ", ") + allowed.back();
  }
  Report(n, kw, "value " + JsonShort(x) + " is not one of the allowed values: " + list, allowed);
  return false;
}

bool Evaluator::Kw_Const(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
  (void)e;
  if (JsonEqual(*n->const_value, x)) return true;
  Report(n, kw, "value " + JsonShort(x) + " is not the required constant " + JsonShort(*n->const_value));
  return false;
}

bool Evaluator::Kw_MultipleOf(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
  (void)e;
  if (!x.IsNumber()) return true;
  const Value& m = *n->multiple_of;
  bool ok;
  if ((x.IsInt64() || x.IsUint64()) && (m.IsInt64() || m.IsUint64())) {
    if (x.IsInt64() && m.IsInt64()) ok = x.GetInt64() % m.GetInt64() == 0;
    else if (x.IsUint64() && m.IsUint64()) ok = x.GetUint64() % m.GetUint64() == 0;
    else ok = DecimalMultipleOf(x, m);
  } else {
    double q = x.GetDouble() / m.GetDouble();
    // A double quotient answers only between 1 and 2^53 (within a tolerance for decimals like 0.3 / 0.1): below 1
    // any tolerance calls 80 / 1e20 an integer, above 2^53 every double is one, and it may overflow.
    if (std::isfinite(q) && std::fabs(q) >= 1 && std::fabs(q) < 9007199254740992.0) {
      ok = std::fabs(q - std::round(q)) <= 1e-9 * std::max(1.0, std::fabs(q));
    } else {
      ok = DecimalMultipleOf(x, m);
    }
  }
  if (!ok) Report(n, kw, NumText(x) + " is not a multiple of " + NumText(m));
  return ok;
}

bool Evaluator::Kw_Maximum(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
  (void)e;
  if (!x.IsNumber()) return true;
  int c = CompareNumbers(x, *n->maximum);
  bool ok = n->maximum_exclusive ? c < 0 : c <= 0;
  if (!ok)
    Report(n, kw, NumText(x) + " is greater than " + (n->maximum_exclusive ? "or equal to " : "") +
                      "the maximum " + NumText(*n->maximum));
  return ok;
}

bool Evaluator::Kw_Minimum(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
  (void)e;
  if (!x.IsNumber()) return true;
  int c = CompareNumbers(x, *n->minimum);
  bool ok = n->minimum_exclusive ? c > 0 : c >= 0;
  if (!ok)
    Report(n, kw, NumText(x) + " is less than " + (n->minimum_exclusive ? "or equal to " : "") +
                      "the minimum " + NumText(*n->minimum));
  return ok;
}

bool Evaluator::Kw_ExclusiveMaximum(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
  (void)e;
  if (!x.IsNumber() || CompareNumbers(x, *n->exclusive_maximum) < 0) return true;
  Report(n, kw, NumText(x) + " must be less than " + NumText(*n->exclusive_maximum));
  return false;
}

bool Evaluator::Kw_ExclusiveMinimum(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
  (void)e;
  if (!x.IsNumber() || CompareNumbers(x, *n->exclusive_minimum) > 0) return true;
  Report(n, kw, NumText(x) + " must be greater than " + NumText(*n->exclusive_minimum));
  return false;
}

bool Evaluator::Kw_MaxLength(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
  (void)e;
  if (!x.IsString()) return true;
  size_t len = CodePointCount(Sv(x));
  if (len <= *n->max_length) return true;
  Report(n, kw, "string is " + std::to_string(len) + " characters long, at most " +
                    std::to_string(*n->max_length) + " allowed");
  return false;
}

bool Evaluator::Kw_MinLength(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
  (void)e;
  if (!x.IsString()) return true;
  size_t len = CodePointCount(Sv(x));
  if (len >= *n->min_length) return true;
  Report(n, kw, "string is " + std::to_string(len) + " characters long, at least " +
                    std::to_string(*n->min_length) + " required");
  return false;
}

bool Evaluator::Kw_Pattern(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
  (void)e;
  if (!x.IsString() || n->pattern->Search(Sv(x))) return true;
  Report(n, kw, Quote(Sv(x)) + " does not match the pattern " + Quote(n->pattern->pattern()));
  return false;
}

bool Evaluator::Kw_Format(const Node* n, Kw k, const Value& x, Eval* e) {
  const char* kw = KwName(k);
  (void)e;
  if (CheckFormat(n->format, x)) return true;
  Report(n, kw, JsonShort(x) + " is not a valid " + n->format);
  return false;
}

}  // namespace capstan::jsonschema::evaluation
