#include "values/output.h"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "values/go_format.h"
#include "values/go_utf8.h"
#include "yaml/snippet.h"
#include "yaml/yaml11.h"

namespace capstan::values {
namespace {

// Go's encoding/json string encoding (Go 1.22 and later: Helm 3.17.3 is built with Go 1.23, Helm 4.1.4 with Go 1.25,
// and both print the same bytes, measured): \" \\ \b \f \n \r \t as short escapes, other control characters
// below 0x20 as \u00XX, DEL (0x7f) as itself, HTML-safe \u003c \u003e \u0026 for < > &, \u2028 and \u2029 for the
// JavaScript line separators, and \ufffd for each byte of invalid UTF-8 (utf8.DecodeRune's one-byte RuneError).
void JsonString(const std::string& s, std::string& out) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '<':
        case '>':
        case '&':
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
          break;
        default:
          if (c < 0x20) {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    size_t n = GoRuneLen(s, i);
    if (n == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (n == 3 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
      out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
    } else {
      out.append(s, i, n);
    }
    i += n;
  }
  out += '"';
}

void Json(const Value& v, std::string& out, int indent, int depth) {
  auto nl = [&](int d) {
    if (indent < 0) return;
    out += '\n';
    out.append(static_cast<size_t>(d * indent), ' ');
  };
  switch (v.kind()) {
    case Kind::kNull: out += "null"; break;
    case Kind::kBool: out += v.as_bool() ? "true" : "false"; break;
    case Kind::kInt: out += std::to_string(v.as_int()); break;
    case Kind::kFloat: out += FormatJsonFloat(v.as_float()); break;
    case Kind::kString: JsonString(v.as_string(), out); break;
    case Kind::kList: {
      if (v.list().empty()) {
        out += "[]";
        break;
      }
      out += '[';
      bool first = true;
      for (const auto& item : v.list()) {
        if (!first) out += ',';
        first = false;
        nl(depth + 1);
        Json(item, out, indent, depth + 1);
      }
      nl(depth);
      out += ']';
      break;
    }
    case Kind::kMap: {
      if (v.map().empty()) {
        out += "{}";
        break;
      }
      out += '{';
      bool first = true;
      for (const auto& [k, c] : v.map()) {
        if (!first) out += ',';
        first = false;
        nl(depth + 1);
        JsonString(k, out);
        out += indent < 0 ? ":" : ": ";
        Json(c, out, indent, depth + 1);
      }
      nl(depth);
      out += '}';
      break;
    }
  }
}

// go-yaml v2 would read this plain scalar back as something other than the same string.
bool NeedsQuotesForType(const std::string& s) {
  yaml::ResolvedScalar r = yaml::ResolvePlain(s);
  if (r.type != yaml::ScalarType::kString) return true;
  // Base 60 floats ("1:20") are quoted by go-yaml v2 for YAML 1.1 compatibility.
  bool base60 = !s.empty();
  bool colon = false;
  for (char c : s) {
    if (c == ':') colon = true;
    else if (!((c >= '0' && c <= '9') || c == '_' || c == '.' || c == '+' || c == '-')) base60 = false;
  }
  if (base60 && colon) return true;
  // Timestamps stay strings in go-yaml v2 (decoded into interface{}), but it quotes them anyway when encoding.
  if (s.size() >= 10 && s[4] == '-' && std::isdigit(static_cast<unsigned char>(s[0]))) return true;
  return false;
}

bool PlainAllowed(const std::string& s) {
  if (s.empty()) return false;
  unsigned char f = static_cast<unsigned char>(s[0]);
  if (std::string("-?:,[]{}#&*!|>'\"%@`").find(static_cast<char>(f)) != std::string::npos) {
    if (!((f == '-' || f == '?' || f == ':') && s.size() > 1 && s[1] != ' ')) return false;
  }
  if (s.front() == ' ' || s.back() == ' ' || s.back() == ':') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return false;
    if (c == ':' && i + 1 < s.size() && (s[i + 1] == ' ')) return false;
    if (c == '#' && i > 0 && s[i - 1] == ' ') return false;
    if (c == ',' || c == '[' || c == ']' || c == '{' || c == '}') continue;  // fine in block context
  }
  if (s == "-" || s == "---" || s == "...") return false;
  return true;
}

// Double-quoted YAML with JSON-style escapes: the same quoting the YAML edit layer uses for injected strings.
std::string DoubleQuoted(const std::string& s) { return yaml::Snippet::Quoted(s); }

std::string YamlString(const std::string& s, int indent) {
  bool printable = true;
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) printable = false;
  if (!printable) return DoubleQuoted(s);
  if (s.find('\n') != std::string::npos) {
    // Literal block: |- (no final newline), | (one), |+ (more).
    size_t trailing = 0;
    while (trailing < s.size() && s[s.size() - 1 - trailing] == '\n') ++trailing;
    std::string chomp = trailing == 0 ? "-" : trailing == 1 ? "" : "+";
    std::string head = "|";
    if (!s.empty() && (s[0] == ' ' || s[0] == '\n')) head += std::to_string(2);
    head += chomp;
    std::string pad(static_cast<size_t>(indent), ' ');
    std::string out = head;
    size_t start = 0;
    std::string body = trailing > 1 ? s.substr(0, s.size() - trailing + 1) + std::string(trailing - 1, '\n')
                                    : s;
    while (start < body.size()) {
      size_t end = body.find('\n', start);
      std::string line = body.substr(start, end == std::string::npos ? std::string::npos : end - start);
      out += "\n";
      if (!line.empty()) out += pad + line;
      if (end == std::string::npos) break;
      start = end + 1;
    }
    return out;
  }
  if (NeedsQuotesForType(s)) return DoubleQuoted(s);
  if (!PlainAllowed(s)) {
    std::string out = "'";
    for (char c : s) {
      if (c == '\'') out += "''";
      else out += c;
    }
    return out + "'";
  }
  return s;
}

std::string YamlNumber(double f) {
  std::string j = FormatJsonFloat(f);
  yaml::ResolvedScalar r = yaml::ResolvePlain(j);
  if (r.type == yaml::ScalarType::kInt) return j;
  return FormatFloatG(f, 64);
}

std::string YamlScalar(const Value& v, int indent) {
  switch (v.kind()) {
    case Kind::kNull: return "null";
    case Kind::kBool: return v.as_bool() ? "true" : "false";
    case Kind::kInt: return std::to_string(v.as_int());
    case Kind::kFloat: return YamlNumber(v.as_float());
    case Kind::kString: return YamlString(v.as_string(), indent);
    default: return "";
  }
}

std::string YamlKey(const std::string& k) {
  std::string s = YamlString(k, 0);
  if (s.find('\n') != std::string::npos || (!s.empty() && s[0] == '|')) return DoubleQuoted(k);
  return s;
}

void Yaml(const Value& v, std::string& out, int indent);

void YamlMapBody(const Value& v, std::string& out, int indent) {
  std::string pad(static_cast<size_t>(indent), ' ');
  for (const auto& [k, c] : v.map()) {
    out += pad + YamlKey(k) + ":";
    if (c.is_map() && !c.map().empty()) {
      out += "\n";
      YamlMapBody(c, out, indent + 2);
    } else if (c.is_list() && !c.list().empty()) {
      out += "\n";
      Yaml(c, out, indent);  // go-yaml v2 does not indent a list under its key
    } else {
      out += " ";
      if (c.is_map()) out += "{}";
      else if (c.is_list()) out += "[]";
      else out += YamlScalar(c, indent + 2);
      out += "\n";
    }
  }
}

void Yaml(const Value& v, std::string& out, int indent) {
  std::string pad(static_cast<size_t>(indent), ' ');
  if (v.is_map()) {
    if (v.map().empty()) {
      out += pad + "{}\n";
      return;
    }
    YamlMapBody(v, out, indent);
    return;
  }
  if (v.is_list()) {
    if (v.list().empty()) {
      out += pad + "[]\n";
      return;
    }
    for (const auto& item : v.list()) {
      if (item.is_map() && !item.map().empty()) {
        std::string inner;
        YamlMapBody(item, inner, indent + 2);
        // The first key goes on the dash line.
        out += pad + "- " + inner.substr(static_cast<size_t>(indent) + 2);
      } else if (item.is_list() && !item.list().empty()) {
        std::string inner;
        Yaml(item, inner, indent + 2);
        out += pad + "- " + inner.substr(static_cast<size_t>(indent) + 2);
      } else {
        out += pad + "- ";
        if (item.is_map()) out += "{}";
        else if (item.is_list()) out += "[]";
        else out += YamlScalar(item, indent + 2);
        out += "\n";
      }
    }
    return;
  }
  out += pad + YamlScalar(v, indent + 2) + "\n";
}

}  // namespace

std::string ToJson(const Value& v) {
  std::string out;
  Json(v, out, -1, 0);
  return out;
}

std::string ToJsonPretty(const Value& v) {
  std::string out;
  Json(v, out, 2, 0);
  return out;
}

std::string ToYaml(const Value& v) {
  std::string out;
  Yaml(v, out, 0);
  return out;
}

std::string ScalarText(const Value& v) {
  if (v.kind() == Kind::kString) {
    std::string out;
    JsonString(v.as_string(), out);
    return out;
  }
  if (v.is_map() || v.is_list()) return ToJson(v);
  return YamlScalar(v, 0);
}

}  // namespace capstan::values
