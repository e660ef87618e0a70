#include "yaml/yaml11.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace capstan::yaml {

namespace {

bool IsFloatSyntax(std::string_view s) {
  // go-yaml v2: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
  size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  auto digits = [&] {
    size_t b = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - b;
  };
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  } else {
    if (digits() == 0) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

// Go's strconv.ParseInt(s, 0, 64) / ParseUint: optional sign, 0x/0o/0b prefixes, leading 0 = octal.
bool ParseGoInt(std::string_view s, int64_t* out, uint64_t* uout, bool* is_unsigned) {
  if (s.empty()) return false;
  bool neg = false;
  size_t i = 0;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    i = 1;
  }
  if (i >= s.size()) return false;
  int base = 10;
  if (s.size() - i >= 2 && s[i] == '0') {
    char p = s[i + 1];
    if (p == 'x' || p == 'X') base = 16, i += 2;
    else if (p == 'o' || p == 'O') base = 8, i += 2;
    else if (p == 'b' || p == 'B') base = 2, i += 2;
    else base = 8, i += 1;
  }
  if (i >= s.size()) return false;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    int d;
    char c = s[i];
    if (c >= '0' && c <= '9') d = c - '0';
    else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return false;
    if (d >= base) return false;
    uint64_t b = static_cast<uint64_t>(base);
    if (v > (std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(d)) / b) return false;  // overflow
    v = v * b + static_cast<uint64_t>(d);
  }
  const uint64_t kMaxI = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (neg) {
    if (v > kMaxI + 1) return false;
    *out = v == kMaxI + 1 ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(v);
    *is_unsigned = false;
    return true;
  }
  if (v <= kMaxI) {
    *out = static_cast<int64_t>(v);
    *is_unsigned = false;
    return true;
  }
  *uout = v;
  *is_unsigned = true;
  return true;
}

}  // namespace

ResolvedScalar ResolvePlain(std::string_view s) {
  ResolvedScalar r;
  r.text = s;
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
    r.type = ScalarType::kNull;
    return r;
  }
  static const char* kTrue[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
  static const char* kFalse[] = {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};
  for (const char* t : kTrue)
    if (s == t) {
      r.type = ScalarType::kBool;
      r.boolean = true;
      return r;
    }
  for (const char* f : kFalse)
    if (s == f) {
      r.type = ScalarType::kBool;
      r.boolean = false;
      return r;
    }
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf" || s == "+.Inf" || s == "+.INF") {
    r.type = ScalarType::kFloat;
    r.number = std::numeric_limits<double>::infinity();
    return r;
  }
  if (s == "-.inf" || s == "-.Inf" || s == "-.INF") {
    r.type = ScalarType::kFloat;
    r.number = -std::numeric_limits<double>::infinity();
    return r;
  }
  if (s == ".nan" || s == ".NaN" || s == ".NAN") {
    r.type = ScalarType::kFloat;
    r.number = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  char c = s[0];
  if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') {
    std::string plain;
    plain.reserve(s.size());
    for (char ch : s)
      if (ch != '_') plain += ch;
    int64_t iv = 0;
    uint64_t uv = 0;
    bool is_unsigned = false;
    if (ParseGoInt(plain, &iv, &uv, &is_unsigned)) {
      r.type = ScalarType::kInt;
      r.integer = iv;
      r.uinteger = uv;
      r.is_unsigned = is_unsigned;
      return r;
    }
    if (IsFloatSyntax(plain)) {
      errno = 0;
      double d = std::strtod(plain.c_str(), nullptr);
      if (errno != ERANGE || std::isinf(d) || d == 0) {
        r.type = ScalarType::kFloat;
        r.number = d;
        return r;
      }
    }
  }
  r.type = ScalarType::kString;
  return r;
}

ResolvedScalar Resolve(const Node& n) {
  std::string_view tag = n.tag();
  std::string_view text = n.scalar();
  if (tag == "!!str" || tag == "tag:yaml.org,2002:str" || tag == "!") {
    ResolvedScalar r;
    r.text = text;
    return r;
  }
  if (!tag.empty() && tag != "!!int" && tag != "!!float" && tag != "!!bool" && tag != "!!null" &&
      tag.rfind("tag:yaml.org,2002:", 0) != 0) {
    ResolvedScalar r;  // application tags: kept as strings here
    r.text = text;
    return r;
  }
  if (n.style() != Style::kPlain && tag.empty()) {
    ResolvedScalar r;
    r.text = text;
    return r;
  }
  return ResolvePlain(text);
}

std::string Canonical(const ResolvedScalar& r) {
  char buf[64];
  switch (r.type) {
    case ScalarType::kNull: return "null";
    case ScalarType::kBool: return r.boolean ? "bool:true" : "bool:false";
    case ScalarType::kInt:
      if (r.is_unsigned) std::snprintf(buf, sizeof buf, "int:%llu", static_cast<unsigned long long>(r.uinteger));
      else std::snprintf(buf, sizeof buf, "int:%lld", static_cast<long long>(r.integer));
      return buf;
    case ScalarType::kFloat:
      std::snprintf(buf, sizeof buf, "float:%.17g", r.number);
      return buf;
    case ScalarType::kString: return "str:" + std::string(r.text);
  }
  return "str:";
}

}  // namespace capstan::yaml
