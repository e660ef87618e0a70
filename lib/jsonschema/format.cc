// Format assertions (see format.h). Deliberately strict on syntax, lenient on semantics we cannot check locally.
#include "jsonschema/format.h"

#include <arpa/inet.h>

#include <cctype>
#include <stdexcept>
#include <string>
#include <vector>

#include "jsonschema/regex.h"
#include "jsonschema/uri.h"

namespace capstan::jsonschema {
namespace {

bool Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}
int Num(std::string_view s, size_t pos, size_t n) { return std::stoi(std::string(s.substr(pos, n))); }

bool Date(std::string_view s) {
  if (s.size() != 10 || !Digits(s, 0, 4) || s[4] != '-' || !Digits(s, 5, 2) || s[7] != '-' || !Digits(s, 8, 2))
    return false;
  int y = Num(s, 0, 4), m = Num(s, 5, 2), d = Num(s, 8, 2);
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  int max = kDays[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) max = 29;
  return d <= max;
}

bool Time(std::string_view s) {
  if (s.size() < 9 || !Digits(s, 0, 2) || s[2] != ':' || !Digits(s, 3, 2) || s[5] != ':' || !Digits(s, 6, 2))
    return false;
  int h = Num(s, 0, 2), mi = Num(s, 3, 2), se = Num(s, 6, 2);
  size_t i = 8;
  if (i < s.size() && s[i] == '.') {
    size_t start = ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start) return false;
  }
  if (i >= s.size()) return false;
  int off_h = 0, off_m = 0, sign = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    if (i + 1 != s.size()) return false;
  } else if (s[i] == '+' || s[i] == '-') {
    if (s.size() != i + 6 || !Digits(s, i + 1, 2) || s[i + 3] != ':' || !Digits(s, i + 4, 2)) return false;
    sign = s[i] == '+' ? 1 : -1;
    off_h = Num(s, i + 1, 2);
    off_m = Num(s, i + 4, 2);
    if (off_h > 23 || off_m > 59) return false;
  } else {
    return false;
  }
  if (h > 23 || mi > 59 || se > 60) return false;
  if (se == 60) {  // leap second: only at 23:59:60 UTC
    int total = h * 60 + mi - sign * (off_h * 60 + off_m);
    total = ((total % 1440) + 1440) % 1440;
    return total == 23 * 60 + 59;
  }
  return true;
}

bool DateTime(std::string_view s) {
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't')) return false;
  return Date(s.substr(0, 10)) && Time(s.substr(11));
}

bool Ipv4(std::string_view s) {
  int parts = 0;
  size_t i = 0;
  while (true) {
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    size_t len = i - start;
    if (len == 0 || len > 3 || (len > 1 && s[start] == '0') || Num(s, start, len) > 255) return false;
    ++parts;
    if (i == s.size()) break;
    if (s[i] != '.') return false;
    ++i;
  }
  return parts == 4;
}

bool Ipv6(std::string_view s) {
  if (s.size() > 45) return false;
  for (char c : s)
    if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.')) return false;
  unsigned char buf[16];
  return inet_pton(AF_INET6, std::string(s).c_str(), buf) == 1;
}

bool Hostname(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view label = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

bool Email(std::string_view s) {
  size_t at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == s.size()) return false;
  std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
  if (domain.front() == '[' && domain.back() == ']') {
    std::string_view ip = domain.substr(1, domain.size() - 2);
    if (ip.rfind("IPv6:", 0) == 0) return Ipv6(ip.substr(5));
    return Ipv4(ip);
  }
  return Hostname(domain);
}

bool Uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}

bool Duration(std::string_view s) {
  if (s.size() < 2 || s[0] != 'P') return false;
  size_t i = 1;
  bool in_time = false, any = false, weeks = false, other = false;
  std::string seen;
  while (i < s.size()) {
    if (s[i] == 'T') {
      if (in_time) return false;
      in_time = true;
      ++i;
      if (i == s.size()) return false;
      continue;
    }
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start || i == s.size()) return false;
    char unit = s[i++];
    std::string_view allowed = in_time ? "HMS" : "YMWD";
    size_t pos = allowed.find(unit);
    if (pos == std::string_view::npos) return false;
    std::string key = std::string(in_time ? "T" : "") + unit;
    if (!seen.empty() && seen.find(key) != std::string::npos) return false;
    seen += key;
    any = true;
    if (unit == 'W') weeks = true;
    else other = true;
  }
  return any && !(weeks && other);
}

bool UriLike(std::string_view s, bool need_scheme) {
  for (char c : s)
    if (static_cast<unsigned char>(c) <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' ||
        c == '|' || c == '\\' || c == '^' || c == '`' || static_cast<unsigned char>(c) >= 0x7f)
      return false;
  if (!need_scheme) return true;
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (size_t i = 0; i < colon; ++i) {
    char c = s[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

}  // namespace

bool CheckFormat(std::string_view format, const rapidjson::Value& value) {
  if (!value.IsString()) return true;
  std::string_view s(value.GetString(), value.GetStringLength());
  if (format == "date-time") return DateTime(s);
  if (format == "date") return Date(s);
  if (format == "time") return Time(s);
  if (format == "duration") return Duration(s);
  if (format == "email" || format == "idn-email") return Email(s);
  if (format == "hostname") return Hostname(s);
  if (format == "ipv4") return Ipv4(s);
  if (format == "ipv6") return Ipv6(s);
  if (format == "uuid") return Uuid(s);
  if (format == "uri" || format == "iri") return UriLike(s, true);
  if (format == "uri-reference" || format == "iri-reference") return UriLike(s, false);
  if (format == "json-pointer") {
    std::vector<std::string> tokens;
    return ParseJsonPointer(s, tokens);
  }
  if (format == "relative-json-pointer") {
    size_t i = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == 0 || (i > 1 && s[0] == '0')) return false;
    if (i == s.size() || s.substr(i) == "#") return true;
    std::vector<std::string> tokens;
    return ParseJsonPointer(s.substr(i), tokens);
  }
  if (format == "regex") {
    try {
      Regex re(s);
      return true;
    } catch (const std::invalid_argument&) {
      return false;
    }
  }
  return true;
}

}  // namespace capstan::jsonschema
