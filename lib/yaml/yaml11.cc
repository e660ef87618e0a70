#include "yaml/yaml11.h"
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"  // GCC 12 false positive on "literal" + std::string (PR105651)
#endif

#include <charconv>
#include <cstdio>
#include <cmath>
#include <limits>

namespace capstan::yaml {
namespace {

bool InList(std::string_view s, std::initializer_list<std::string_view> list) {
  for (auto x : list)
    if (s == x) return true;
  return false;
}

// Go strconv.ParseUint(s, 0, 64) on an unsigned digit string (no sign): base prefixes 0x, 0o, 0b, leading 0 octal.
bool ParseUnsignedBase0(std::string_view s, uint64_t* out) {
  if (s.empty()) return false;
  int base = 10;
  if (s.size() >= 2 && s[0] == '0') {
    char p = static_cast<char>(s[1] | 0x20);
    if (p == 'x') base = 16, s.remove_prefix(2);
    else if (p == 'o') base = 8, s.remove_prefix(2);
    else if (p == 'b') base = 2, s.remove_prefix(2);
    else base = 8, s.remove_prefix(1);
    if (s.empty() && base != 8) return false;
    if (s.empty()) {  // "0" followed by nothing cannot happen (size>=2); keep for safety
      *out = 0;
      return true;
    }
  }
  uint64_t v = 0;
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return false;
    if (d >= base) return false;
    if (v > (std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base))
      return false;
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
  }
  *out = v;
  return true;
}

// Go strconv.ParseInt(s, 0, 64).
bool ParseIntBase0(std::string_view s, int64_t* out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t u;
  if (!ParseUnsignedBase0(s, &u)) return false;
  if (neg) {
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1) return false;
    *out = u == static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1 ? std::numeric_limits<int64_t>::min()
                                                                                : -static_cast<int64_t>(u);
  } else {
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
    *out = static_cast<int64_t>(u);
  }
  return true;
}

// Go strconv.ParseUint(s, 0, 64): a leading '+' is NOT accepted by ParseUint.
bool ParseUintBase0(std::string_view s, uint64_t* out) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) return false;
  return ParseUnsignedBase0(s, out);
}

// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool YamlStyleFloat(std::string_view s) {
  size_t i = 0, n = s.size();
  auto digit = [&](size_t k) { return k < n && s[k] >= '0' && s[k] <= '9'; };
  if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < n && s[i] == '.') {
    ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  } else {
    if (!digit(i)) return false;
    while (digit(i)) ++i;
    if (i < n && s[i] == '.') {
      ++i;
      while (digit(i)) ++i;
    }
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == n;
}

// Go strconv.ParseFloat(s, 64) for decimal forms (what a YAML plain scalar can reach here). Returns false on syntax
// errors; out-of-range values give +-Inf with an error in Go, which go-yaml then treats as "not a float".
bool ParseGoFloat(std::string_view s, double* out) {
  if (s.empty()) return false;
  std::string_view body = s;
  bool neg = false;
  if (body[0] == '+' || body[0] == '-') {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body.empty()) return false;
  // Go accepts "inf", "infinity", "nan" (any case) too.
  std::string lower;
  for (char c : body) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  if (lower == "inf" || lower == "infinity") {
    *out = neg ? -HUGE_VAL : HUGE_VAL;
    return true;
  }
  if (lower == "nan") {
    *out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  for (char c : body)
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) return false;
  double v = 0;
  auto res = std::from_chars(body.data(), body.data() + body.size(), v, std::chars_format::general);
  if (res.ec == std::errc::result_out_of_range) {
    // Go: overflow -> error; underflow -> 0 without error.
    bool has_neg_exp = false;
    for (size_t k = 0; k + 1 < body.size(); ++k)
      if ((body[k] == 'e' || body[k] == 'E') && body[k + 1] == '-') has_neg_exp = true;
    if (!has_neg_exp) return false;
    v = 0;
  } else if (res.ec != std::errc() || res.ptr != body.data() + body.size()) {
    return false;
  }
  *out = neg ? -v : v;
  return true;
}

}  // namespace

double Scalar::AsDouble() const {
  switch (type) {
    case ScalarType::kInt: return static_cast<double>(i);
    case ScalarType::kUint: return static_cast<double>(u);
    case ScalarType::kFloat: return f;
    default: return 0;
  }
}

Scalar ResolvePlain(std::string_view in) {
  Scalar out;
  // resolveMap
  if (InList(in, {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})) {
    out.type = ScalarType::kBool;
    out.b = true;
    return out;
  }
  if (InList(in, {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})) {
    out.type = ScalarType::kBool;
    out.b = false;
    return out;
  }
  if (InList(in, {"", "~", "null", "Null", "NULL"})) {
    out.type = ScalarType::kNull;
    return out;
  }
  if (InList(in, {".nan", ".NaN", ".NAN"})) {
    out.type = ScalarType::kFloat;
    out.f = std::numeric_limits<double>::quiet_NaN();
    return out;
  }
  if (InList(in, {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})) {
    out.type = ScalarType::kFloat;
    out.f = HUGE_VAL;
    return out;
  }
  if (InList(in, {"-.inf", "-.Inf", "-.INF"})) {
    out.type = ScalarType::kFloat;
    out.f = -HUGE_VAL;
    return out;
  }
  char c = in[0];
  if (c == '.') {
    double f;
    if (ParseGoFloat(in, &f)) {
      out.type = ScalarType::kFloat;
      out.f = f;
    }
    return out;
  }
  if ((c >= '0' && c <= '9') || c == '+' || c == '-') {
    // Timestamps stay strings when decoded into interface{}; they never parse as numbers below anyway.
    std::string plain;
    plain.reserve(in.size());
    for (char ch : in)
      if (ch != '_') plain += ch;
    int64_t iv;
    if (ParseIntBase0(plain, &iv)) {
      out.type = ScalarType::kInt;
      out.i = iv;
      return out;
    }
    uint64_t uv;
    if (ParseUintBase0(plain, &uv)) {
      out.type = ScalarType::kUint;
      out.u = uv;
      return out;
    }
    if (YamlStyleFloat(plain)) {
      double f;
      if (ParseGoFloat(plain, &f)) {
        out.type = ScalarType::kFloat;
        out.f = f;
        return out;
      }
    }
    std::string_view p = plain;
    bool neg = false;
    if (p.size() >= 3 && p.substr(0, 3) == "-0b") {
      neg = true;
      p.remove_prefix(3);
    } else if (p.size() >= 2 && p.substr(0, 2) == "0b") {
      p.remove_prefix(2);
    } else {
      return out;
    }
    uint64_t bv = 0;
    bool ok = !p.empty();
    for (char ch : p) {
      if (ch != '0' && ch != '1') {
        ok = false;
        break;
      }
      if (bv >> 63) {
        ok = false;
        break;
      }
      bv = bv * 2 + static_cast<uint64_t>(ch - '0');
    }
    if (!ok) return out;
    if (neg) {
      if (bv > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1) return out;
      out.type = ScalarType::kInt;
      out.i = -static_cast<int64_t>(bv);
    } else if (bv <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      out.type = ScalarType::kInt;
      out.i = static_cast<int64_t>(bv);
    } else {
      out.type = ScalarType::kUint;
      out.u = bv;
    }
    return out;
  }
  return out;  // string
}

namespace {

// Shortest round-trip digits and decimal exponent of |f| (f finite, non-zero): f = 0.d1d2d3... * 10^(dp).
void ShortestDigits(double f, int bits, std::string* digits, int* exp10) {
  char buf[64];
  std::to_chars_result res;
  if (bits == 32) res = std::to_chars(buf, buf + sizeof buf, static_cast<float>(std::fabs(f)), std::chars_format::scientific);
  else res = std::to_chars(buf, buf + sizeof buf, std::fabs(f), std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  size_t epos = sci.find('e');
  std::string mant = sci.substr(0, epos);
  *exp10 = std::stoi(sci.substr(epos + 1));
  digits->clear();
  for (char ch : mant)
    if (ch != '.') *digits += ch;
  while (digits->size() > 1 && digits->back() == '0') digits->pop_back();
}

std::string FixedFrom(const std::string& digits, int exp) {
  if (exp < 0) return "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
  if (static_cast<size_t>(exp) + 1 >= digits.size())
    return digits + std::string(static_cast<size_t>(exp) + 1 - digits.size(), '0');
  return digits.substr(0, static_cast<size_t>(exp) + 1) + "." + digits.substr(static_cast<size_t>(exp) + 1);
}

std::string ExpFrom(const std::string& digits, int exp, int min_exp_digits) {
  std::string out = digits.substr(0, 1);
  if (digits.size() > 1) out += "." + digits.substr(1);
  out += exp < 0 ? "e-" : "e+";
  std::string e = std::to_string(exp < 0 ? -exp : exp);
  while (static_cast<int>(e.size()) < min_exp_digits) e = "0" + e;
  return out + e;
}

}  // namespace

std::string FormatFloatG(double f, int bits) {
  if (f == 0) return std::signbit(f) ? "-0" : "0";
  std::string digits;
  int exp = 0;
  ShortestDigits(f, bits, &digits, &exp);
  // Go's %g with the shortest precision uses the exponent form when exp < -4 || exp >= 6.
  std::string out = (exp < -4 || exp >= 6) ? ExpFrom(digits, exp, 2) : FixedFrom(digits, exp);
  return f < 0 ? "-" + out : out;
}

std::string FormatFloatKey(double f) {
  if (std::isnan(f)) return ".nan";
  if (std::isinf(f)) return f > 0 ? ".inf" : "-.inf";
  return FormatFloatG(f, 32);
}

std::string FormatJsonFloat(double f) {
  if (f == 0) return std::signbit(f) ? "-0" : "0";
  std::string digits;
  int exp = 0;
  ShortestDigits(f, 64, &digits, &exp);
  double a = std::fabs(f);
  std::string out = (a < 1e-6 || a >= 1e21) ? ExpFrom(digits, exp, 1) : FixedFrom(digits, exp);
  return f < 0 ? "-" + out : out;
}

}  // namespace capstan::yaml
