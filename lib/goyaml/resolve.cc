// A C++ port of go-yaml v2.4.0's resolve.go and of the scalar half of decode.go (as vendored in sigs.k8s.io/yaml
// v1.4.0 goyaml.v2), with Go's strconv number syntax. Apache-2.0, see LICENSE.go-yaml beside this file.
#include "goyaml/resolve.h"

#include <cmath>
#include <cstdlib>
#include <limits>

#include "goyaml/compose.h"

namespace capstan::goyaml {

namespace {

const std::string kStrTag = "tag:yaml.org,2002:str";
const std::string kBoolTag = "tag:yaml.org,2002:bool";
const std::string kIntTag = "tag:yaml.org,2002:int";
const std::string kFloatTag = "tag:yaml.org,2002:float";
const std::string kNullTag = "tag:yaml.org,2002:null";
const std::string kTimestampTag = "tag:yaml.org,2002:timestamp";
const std::string kBinaryTag = "tag:yaml.org,2002:binary";
const std::string kMergeTag = "tag:yaml.org,2002:merge";

char Hint(unsigned char c) {
  if (c == '+' || c == '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  switch (c) {
    case 'y': case 'Y': case 'n': case 'N': case 't': case 'T': case 'f': case 'F': case 'o': case 'O': case '~':
      return 'M';
    case '.': return '.';
    default: return 0;
  }
}

// resolveMap: the words go-yaml resolves by table.
bool LookupMap(std::string_view in, Resolved* r) {
  static const char* kTrue[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
  static const char* kFalse[] = {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};
  static const char* kNull[] = {"", "~", "null", "Null", "NULL"};
  for (const char* w : kTrue)
    if (in == w) return r->tag = kBoolTag, r->type = Resolved::kBool, r->b = true, true;
  for (const char* w : kFalse)
    if (in == w) return r->tag = kBoolTag, r->type = Resolved::kBool, r->b = false, true;
  for (const char* w : kNull)
    if (in == w) return r->tag = kNullTag, r->type = Resolved::kNil, true;
  auto fl = [&](double v) { return r->tag = kFloatTag, r->type = Resolved::kFloat, r->f = v, true; };
  const double inf = std::numeric_limits<double>::infinity();
  if (in == ".nan" || in == ".NaN" || in == ".NAN") return fl(std::numeric_limits<double>::quiet_NaN());
  if (in == ".inf" || in == ".Inf" || in == ".INF" || in == "+.inf" || in == "+.Inf" || in == "+.INF") return fl(inf);
  if (in == "-.inf" || in == "-.Inf" || in == "-.INF") return fl(-inf);
  if (in == "<<") return r->tag = kMergeTag, r->type = Resolved::kString, r->s = "<<", true;
  return false;
}

// ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool YamlStyleFloat(std::string_view s) {
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

std::string StripUnderscores(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (char c : in)
    if (c != '_') out += c;
  return out;
}

// Go's underscoreOK: underscores only between digits (or after a base prefix).
bool UnderscoreOK(std::string_view s) {
  char saw = '^';
  size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0') {
    char p = static_cast<char>(s[1] | 0x20);
    if (p == 'b' || p == 'o' || p == 'x') {
      i = 2;
      saw = '0';
      hex = p == 'x';
    }
  }
  for (; i < s.size(); ++i) {
    char c = s[i], l = static_cast<char>(c | 0x20);
    if ((c >= '0' && c <= '9') || (hex && l >= 'a' && l <= 'f')) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

bool Base64Decode(std::string_view in, std::string* out) {
  // Go's base64.StdEncoding.DecodeString: padded, '\r' and '\n' skipped anywhere, anything else is an error.
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string clean;
  for (char c : in)
    if (c != '\r' && c != '\n') clean += c;
  if (clean.size() % 4 != 0) return false;
  out->clear();
  for (size_t i = 0; i < clean.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      char c = clean[i + k];
      if (c == '=') {
        if (i + 4 != clean.size() || k < 2) return false;
        v[k] = 0;
        ++pad;
        continue;
      }
      if (pad) return false;  // data after padding
      v[k] = val(c);
      if (v[k] < 0) return false;
    }
    uint32_t n = (static_cast<uint32_t>(v[0]) << 18) | (static_cast<uint32_t>(v[1]) << 12) |
                 (static_cast<uint32_t>(v[2]) << 6) | static_cast<uint32_t>(v[3]);
    out->push_back(static_cast<char>((n >> 16) & 0xff));
    if (pad < 2) out->push_back(static_cast<char>((n >> 8) & 0xff));
    if (pad < 1) out->push_back(static_cast<char>(n & 0xff));
  }
  return true;
}

// Parses 1..2 digits (Go's getnum for the "1", "2", "15", "4", "5" layout elements).
bool Num12(std::string_view s, size_t* i, int* out) {
  if (*i >= s.size() || s[*i] < '0' || s[*i] > '9') return false;
  int v = s[(*i)++] - '0';
  if (*i < s.size() && s[*i] >= '0' && s[*i] <= '9') v = v * 10 + (s[(*i)++] - '0');
  *out = v;
  return true;
}

// parseTimestamp: the layouts go-yaml tries with time.Parse ("2006-1-2T15:4:5.999999999Z07:00", the same with
// "t", "2006-1-2 15:4:5.999999999", "2006-1-2").
bool ParseTimestamp(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i != 4 || i == s.size() || s[i] != '-') return false;
  ++i;
  int month = 0, day = 0;
  if (!Num12(s, &i, &month) || month < 1 || month > 12) return false;
  if (i >= s.size() || s[i] != '-') return false;
  ++i;
  if (!Num12(s, &i, &day)) return false;
  int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max_day = kDays[month - 1] + (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0) ? 1 : 0);
  if (day < 1 || day > max_day) return false;
  if (i == s.size()) return true;  // "2006-1-2"
  char sep = s[i];
  if (sep != 'T' && sep != 't' && sep != ' ') return false;
  ++i;
  int h = 0, m = 0, sec = 0;
  if (!Num12(s, &i, &h) || h > 23 || i >= s.size() || s[i] != ':') return false;
  ++i;
  if (!Num12(s, &i, &m) || m > 59 || i >= s.size() || s[i] != ':') return false;
  ++i;
  if (!Num12(s, &i, &sec) || sec > 59) return false;
  if (i < s.size() && s[i] == '.' && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  }
  if (sep == ' ') return i == s.size();
  if (i < s.size() && s[i] == 'Z') return i + 1 == s.size();
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {  // Z07:00 as an offset: -07:00
    if (s.size() - i != 6 || s[i + 3] != ':') return false;
    for (size_t k : {i + 1, i + 2, i + 4, i + 5})
      if (s[k] < '0' || s[k] > '9') return false;
    int oh = (s[i + 1] - '0') * 10 + (s[i + 2] - '0'), om = (s[i + 4] - '0') * 10 + (s[i + 5] - '0');
    return oh <= 24 && om <= 59;
  }
  return false;
}

[[noreturn]] void Failf(const std::string& msg) { throw YamlError("yaml: " + msg); }

Resolved ResolveInner(std::string_view tag, std::string_view in) {
  Resolved r;
  char hint = in.empty() ? 'N' : Hint(static_cast<unsigned char>(in[0]));
  if (hint != 0 && tag != kStrTag && tag != kBinaryTag) {
    if (LookupMap(in, &r)) return r;
    switch (hint) {
      case 'M': break;
      case '.': {
        double f;
        if (GoParseFloat(in, &f)) return r.tag = kFloatTag, r.type = Resolved::kFloat, r.f = f, r;
        break;
      }
      case 'D':
      case 'S': {
        if ((tag.empty() || tag == kTimestampTag) && ParseTimestamp(in)) {
          r.tag = kTimestampTag;
          r.type = Resolved::kString;
          r.s = std::string(in);
          return r;
        }
        std::string plain = StripUnderscores(in);
        int64_t iv;
        uint64_t uv;
        if (GoParseInt(plain, 0, &iv)) return r.tag = kIntTag, r.type = Resolved::kInt, r.i = iv, r;
        if (GoParseUint(plain, 0, &uv)) return r.tag = kIntTag, r.type = Resolved::kUint, r.u = uv, r;
        double f;
        if (YamlStyleFloat(plain) && GoParseFloat(plain, &f))
          return r.tag = kFloatTag, r.type = Resolved::kFloat, r.f = f, r;
        if (plain.rfind("0b", 0) == 0) {
          if (GoParseInt(std::string_view(plain).substr(2), 2, &iv))
            return r.tag = kIntTag, r.type = Resolved::kInt, r.i = iv, r;
          if (GoParseUint(std::string_view(plain).substr(2), 2, &uv))
            return r.tag = kIntTag, r.type = Resolved::kUint, r.u = uv, r;
        } else if (plain.rfind("-0b", 0) == 0) {
          if (GoParseInt("-" + plain.substr(3), 2, &iv)) return r.tag = kIntTag, r.type = Resolved::kInt, r.i = iv, r;
        }
        break;
      }
      default: break;
    }
  }
  r.tag = kStrTag;
  r.type = Resolved::kString;
  r.s = std::string(in);
  return r;
}

}  // namespace

std::string ShortTag(std::string_view tag) {
  if (tag.substr(0, kLongTagPrefix.size()) == kLongTagPrefix) return "!!" + std::string(tag.substr(kLongTagPrefix.size()));
  return std::string(tag);
}

bool GoParseUint(std::string_view s, int base, uint64_t* out) {
  if (s.empty()) return false;
  if (base == 0) {
    base = 10;
    if (s[0] == '0') {
      char p = s.size() >= 3 ? static_cast<char>(s[1] | 0x20) : 0;
      if (p == 'b') base = 2, s.remove_prefix(2);
      else if (p == 'o') base = 8, s.remove_prefix(2);
      else if (p == 'x') base = 16, s.remove_prefix(2);
      else base = 8, s.remove_prefix(1);
    }
  }
  if (s.empty() && base != 8) return false;
  uint64_t v = 0;
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  for (char c : s) {
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') d = (c | 0x20) - 'a' + 10;
    else return false;
    if (d >= base) return false;
    uint64_t b = static_cast<uint64_t>(base);
    if (v > (max - static_cast<uint64_t>(d)) / b) return false;
    v = v * b + static_cast<uint64_t>(d);
  }
  *out = v;
  return true;
}

bool GoParseInt(std::string_view s, int base, int64_t* out) {
  if (s.empty()) return false;
  bool neg = false;
  if (s[0] == '+') s.remove_prefix(1);
  else if (s[0] == '-') neg = true, s.remove_prefix(1);
  if (s.empty()) return false;
  uint64_t u;
  if (!GoParseUint(s, base, &u)) return false;
  const uint64_t cutoff = uint64_t{1} << 63;
  if (!neg && u >= cutoff) return false;
  if (neg && u > cutoff) return false;
  *out = neg ? (u == cutoff ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(u)) : static_cast<int64_t>(u);
  return true;
}

bool GoParseFloat(std::string_view s, double* out) {
  // Decimal syntax only (go-yaml hands ParseFloat text matching its float pattern, or text starting with '.'):
  // [sign] (digits [. digits] | . digits) [(e|E) [sign] digits], underscores between digits.
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t mant = 0;
  bool dot = false, underscores = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_') {
      underscores = true;
      continue;
    }
    if (c == '.') {
      if (dot) break;
      dot = true;
      continue;
    }
    if (c >= '0' && c <= '9') {
      ++mant;
      continue;
    }
    break;
  }
  if (mant == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp = 0;
    for (; i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'); ++i) {
      if (s[i] == '_') underscores = true;
      else ++exp;
    }
    if (exp == 0) return false;
  }
  if (i != s.size()) return false;
  if (underscores && !UnderscoreOK(s)) return false;
  std::string clean = StripUnderscores(s);
  double d = std::strtod(clean.c_str(), nullptr);
  if (std::isinf(d)) return false;  // ErrRange: go-yaml then keeps the text as a string
  *out = d;
  return true;
}

Resolved Resolve(std::string_view tag, std::string_view in) {
  static const std::string kResolvable[] = {"", kStrTag, kBoolTag, kIntTag, kFloatTag, kNullTag, kTimestampTag};
  bool resolvable = false;
  for (const auto& t : kResolvable) resolvable = resolvable || tag == t;
  if (!resolvable) {
    Resolved r;
    r.tag = std::string(tag);
    r.type = Resolved::kString;
    r.s = std::string(in);
    return r;
  }
  Resolved r = ResolveInner(tag, in);
  // The deferred check: an explicit tag must agree with what the text resolved to (an int may serve as a float).
  if (tag.empty() || tag == r.tag || tag == kStrTag || tag == kBinaryTag) return r;
  if (tag == kFloatTag && r.tag == kIntTag && r.type == Resolved::kInt) {
    r.tag = kFloatTag;
    r.type = Resolved::kFloat;
    r.f = static_cast<double>(r.i);
    return r;
  }
  Failf("cannot decode " + ShortTag(r.tag) + " `" + std::string(in) + "` as a " + ShortTag(tag));
}

Resolved ResolveNodeScalar(std::string_view tag, std::string_view value, bool implicit) {
  if (tag.empty() && !implicit) {
    Resolved r;
    r.tag = kStrTag;
    r.type = Resolved::kString;
    r.s = std::string(value);
    return r;
  }
  Resolved r = Resolve(tag, value);
  if (r.tag == kBinaryTag) {
    std::string data;
    if (!Base64Decode(r.s, &data)) Failf("!!binary value contains invalid base64 data");
    r.s = std::move(data);
  }
  return r;
}

}  // namespace capstan::goyaml
