#include "values/go_format.h"
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"  // GCC 12 false positive on "literal" + std::string (PR105651)
#endif

#include <charconv>
#include <cmath>
#include <string>

namespace capstan::values {
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

}  // namespace capstan::values
