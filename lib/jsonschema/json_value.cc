// JSON value helpers (see json_value.h).
#include "jsonschema/json_value.h"

#include <cmath>
#include <functional>
#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace capstan::jsonschema {

bool IsIntegral(const rapidjson::Value& v) {
  if (v.IsInt64() || v.IsUint64()) return true;
  if (!v.IsNumber()) return false;
  double d = v.GetDouble();
  return std::isfinite(d) && std::floor(d) == d;
}

int CompareNumbers(const rapidjson::Value& a, const rapidjson::Value& b) {
  if (a.IsInt64() && b.IsInt64()) {
    int64_t x = a.GetInt64(), y = b.GetInt64();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.IsUint64() && b.IsUint64()) {
    uint64_t x = a.GetUint64(), y = b.GetUint64();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.IsInt64() && b.IsUint64()) return a.GetInt64() < 0 ? -1 : CompareNumbers(b, a) * -1;
  if (a.IsUint64() && b.IsInt64()) {
    if (b.GetInt64() < 0) return 1;
    uint64_t x = a.GetUint64(), y = static_cast<uint64_t>(b.GetInt64());
    return x < y ? -1 : x > y ? 1 : 0;
  }
  double x = a.GetDouble(), y = b.GetDouble();
  return x < y ? -1 : x > y ? 1 : 0;
}

bool JsonEqual(const rapidjson::Value& a, const rapidjson::Value& b) {
  if (a.IsNumber() && b.IsNumber()) return CompareNumbers(a, b) == 0;
  if (a.GetType() != b.GetType()) {
    // kFalseType and kTrueType are distinct types, which is right: false != true.
    return false;
  }
  switch (a.GetType()) {
    case rapidjson::kNullType:
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return true;
    case rapidjson::kStringType:
      return a.GetStringLength() == b.GetStringLength() &&
             std::string_view(a.GetString(), a.GetStringLength()) == std::string_view(b.GetString(), b.GetStringLength());
    case rapidjson::kArrayType: {
      if (a.Size() != b.Size()) return false;
      for (rapidjson::SizeType i = 0; i < a.Size(); ++i)
        if (!JsonEqual(a[i], b[i])) return false;
      return true;
    }
    case rapidjson::kObjectType: {
      if (a.MemberCount() != b.MemberCount()) return false;
      for (auto m = a.MemberBegin(); m != a.MemberEnd(); ++m) {
        auto n = b.FindMember(m->name);
        if (n == b.MemberEnd() || !JsonEqual(m->value, n->value)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

size_t JsonHash(const rapidjson::Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType: return 0x9e37;
    case rapidjson::kFalseType: return 0x1234;
    case rapidjson::kTrueType: return 0x4321;
    case rapidjson::kNumberType: {
      double d = v.GetDouble();
      if (d == 0) d = 0;  // -0 == 0
      return std::hash<double>()(d);
    }
    case rapidjson::kStringType:
      return std::hash<std::string_view>()(std::string_view(v.GetString(), v.GetStringLength()));
    case rapidjson::kArrayType: {
      size_t h = 0xa11;
      for (const auto& e : v.GetArray()) h = h * 31 + JsonHash(e);
      return h;
    }
    case rapidjson::kObjectType: {
      size_t h = 0x0b1;
      for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m)  // order-independent
        h += std::hash<std::string_view>()(std::string_view(m->name.GetString(), m->name.GetStringLength())) ^
             (JsonHash(m->value) * 0x9e3779b97f4a7c15ull);
      return h;
    }
  }
  return 0;
}

const char* JsonTypeName(const rapidjson::Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType: return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType: return "boolean";
    case rapidjson::kObjectType: return "object";
    case rapidjson::kArrayType: return "array";
    case rapidjson::kStringType: return "string";
    case rapidjson::kNumberType: return IsIntegral(v) ? "integer" : "number";
  }
  return "unknown";
}

namespace {
void Render(const rapidjson::Value& v, std::string& out, size_t max, int depth) {
  if (out.size() > max) return;
  if (v.IsArray() || v.IsObject()) {
    if (depth >= 4) {
      out += v.IsArray() ? "[...]" : "{...}";
      return;
    }
    out += v.IsArray() ? '[' : '{';
    bool first = true;
    if (v.IsArray()) {
      for (const auto& e : v.GetArray()) {
        if (out.size() > max) break;
        if (!first) out += ',';
        first = false;
        Render(e, out, max, depth + 1);
      }
    } else {
      for (auto m = v.MemberBegin(); m != v.MemberEnd() && out.size() <= max; ++m) {
        if (!first) out += ',';
        first = false;
        Render(m->name, out, max, depth + 1);
        out += ':';
        Render(m->value, out, max, depth + 1);
      }
    }
    out += v.IsArray() ? ']' : '}';
    return;
  }
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  out.append(buf.GetString(), buf.GetSize());
}
}  // namespace

std::string JsonShort(const rapidjson::Value& v, size_t max) {
  std::string s;
  Render(v, s, max, 0);
  if (s.size() > max) s = s.substr(0, max) + "...";
  return s;
}

}  // namespace capstan::jsonschema
