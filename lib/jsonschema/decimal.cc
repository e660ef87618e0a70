#include "jsonschema/decimal.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace capstan::jsonschema {
namespace {

__extension__ typedef unsigned __int128 U128;

// |v| = mantissa * 10^exponent, mantissa without trailing zeros (0 for zero).
struct Decimal {
  uint64_t mantissa = 0;
  int exponent = 0;
};

Decimal Normalize(Decimal d) {
  if (d.mantissa == 0) return {0, 0};
  while (d.mantissa % 10 == 0) {
    d.mantissa /= 10;
    ++d.exponent;
  }
  return d;
}

Decimal FromDouble(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(v), std::chars_format::scientific);
  // "d.ddddde+XX": the shortest representation that round-trips.
  Decimal d;
  int frac_digits = 0;
  bool in_frac = false;
  const char* p = buf;
  for (; p < res.ptr && *p != 'e'; ++p) {
    if (*p == '.') {
      in_frac = true;
      continue;
    }
    d.mantissa = d.mantissa * 10 + static_cast<uint64_t>(*p - '0');
    if (in_frac) ++frac_digits;
  }
  int exp10 = p < res.ptr ? std::atoi(p + 1) : 0;
  d.exponent = exp10 - frac_digits;
  return Normalize(d);
}

Decimal FromValue(const rapidjson::Value& v) {
  if (v.IsUint64()) return Normalize({v.GetUint64(), 0});
  if (v.IsInt64()) {
    int64_t i = v.GetInt64();
    uint64_t mag = i < 0 ? uint64_t{0} - static_cast<uint64_t>(i) : static_cast<uint64_t>(i);
    return Normalize({mag, 0});
  }
  return FromDouble(v.GetDouble());
}

// 10^k mod m, for m > 0.
uint64_t PowTenMod(int k, uint64_t m) {
  U128 result = 1 % m, base = 10 % m;
  for (; k > 0; k >>= 1) {
    if (k & 1) result = result * base % m;
    base = base * base % m;
  }
  return static_cast<uint64_t>(result);
}

}  // namespace

bool DecimalMultipleOf(const rapidjson::Value& x, const rapidjson::Value& m) {
  Decimal a = FromValue(x), b = FromValue(m);
  if (a.mantissa == 0) return true;   // 0 is a multiple of everything
  if (b.mantissa == 0) return false;  // the compiler refuses multipleOf 0; be safe anyway
  // x/m = (a / b) * 10^(a.exp - b.exp).
  int shift = a.exponent - b.exponent;
  if (shift >= 0) {
    // Integer iff b divides a * 10^shift.
    U128 r = (U128{a.mantissa % b.mantissa} * PowTenMod(shift, b.mantissa)) % b.mantissa;
    return r == 0;
  }
  // Integer iff b * 10^-shift divides a; a < 2^64, so a divisor beyond it cannot divide a non-zero a.
  U128 divisor = b.mantissa;
  for (int i = 0; i < -shift; ++i) {
    divisor *= 10;
    if (divisor > a.mantissa) return false;
  }
  return a.mantissa % static_cast<uint64_t>(divisor) == 0;
}

}  // namespace capstan::jsonschema
