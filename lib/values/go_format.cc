#include "values/go_format.h"

#include <charconv>
#include <cstdio>
#include <cmath>
#include <string>

namespace capstan::values {
namespace {

// Shortest round-trip digits and decimal exponent of |f| (f finite, non-zero): f = 0.d1d2d3... * 10^(dp).
// With bits == 32, |f| must be below kFloat32Overflow (FormatFloatG checks).
void ShortestDigits(double f, int bits, std::string* digits, int* exp10) {
  char buf[64];
  std::to_chars_result res;
  if (bits == 32) res = std::to_chars(buf, buf + sizeof buf, static_cast<float>(std::fabs(f)), std::chars_format::scientific);
  else res = std::to_chars(buf, buf + sizeof buf, std::fabs(f), std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
  size_t epos = sci.find('e');
  std::string_view mant = sci.substr(0, epos);
  std::string_view e = sci.substr(epos + 1);
  if (!e.empty() && e.front() == '+') e.remove_prefix(1);
  *exp10 = 0;
  std::from_chars(e.data(), e.data() + e.size(), *exp10);
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
  if (std::isnan(f)) return "NaN";
  // Go converts to float32 first with IEEE rounding: from FLT_MAX plus half an ulp on, the result is infinite.
  constexpr double kFloat32Overflow = 0x1.ffffffp+127;
  if (std::isinf(f) || (bits == 32 && std::fabs(f) >= kFloat32Overflow)) return f > 0 ? "+Inf" : "-Inf";
  if (f == 0) return std::signbit(f) ? "-0" : "0";
  std::string digits;
  int exp = 0;
  ShortestDigits(f, bits, &digits, &exp);
  // Go's %g with the shortest precision uses the exponent form when exp < -4 || exp >= 6.
  std::string out = (exp < -4 || exp >= 6) ? ExpFrom(digits, exp, 2) : FixedFrom(digits, exp);
  return f < 0 ? "-" + out : out;
}

std::string FormatFloatKey(double f) {
  // sigs.k8s.io/yaml: strconv.FormatFloat(key, 'g', -1, 32), then +Inf, -Inf and NaN spelled as YAML spells them.
  std::string s = FormatFloatG(f, 32);
  if (s == "+Inf") return ".inf";
  if (s == "-Inf") return "-.inf";
  if (s == "NaN") return ".nan";
  return s;
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

std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace capstan::values
