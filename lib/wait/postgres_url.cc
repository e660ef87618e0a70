// Reads a postgres:// connection URI the way libpq's PQconninfoParse does (PostgreSQL 15, fe-connect.c
// conninfo_uri_parse_options), with its error wording, so that the post-renderer validates postgres: conditions
// without linking libpq: user[:password]@, host lists with [IPv6] literals, :port, /dbname, ?key=value parameters
// (known connection keywords only; ssl=true and requiressl= mean sslmode), and %XX escapes (%00 refused).
#include <algorithm>
#include <array>

#include "wait/kinds.h"
#include "wait/syntax.h"

namespace capstan::wait::detail {
namespace {

// libpq 15's connection keywords (PQconndefaults()).
constexpr std::array<std::string_view, 36> kKeywords = {
    "service", "user", "password", "passfile", "channel_binding", "connect_timeout", "dbname", "host", "hostaddr",
    "port", "client_encoding", "options", "application_name", "fallback_application_name", "keepalives",
    "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout", "sslmode", "sslcompression",
    "sslcert", "sslkey", "sslpassword", "sslrootcert", "sslcrl", "sslcrldir", "sslsni", "requirepeer",
    "ssl_min_protocol_version", "ssl_max_protocol_version", "gssencmode", "krbsrvname", "gsslib", "replication",
    "target_session_attrs"};

// conninfo_uri_decode: %XX escapes (PercentDecode, as for file: targets) and no %00; the error quotes the whole
// component, as libpq's does.
bool Decode(std::string_view in, std::string& out, std::string& error) {
  size_t bad = 0;
  if (!PercentDecode(in, out, bad)) {
    error = "invalid percent-encoded token: \"" + std::string(in) + "\"";
    return false;
  }
  if (out.find('\0') != std::string::npos) {
    error = "forbidden value %00 in percent-encoded value: \"" + std::string(in) + "\"";
    return false;
  }
  return true;
}

}  // namespace

bool ParsePostgresUrl(std::string_view url, PostgresUrl& out, std::string& error) {
  out = PostgresUrl{};
  const std::string whole(url);
  size_t prefix = 0;
  for (std::string_view p : {std::string_view("postgresql://"), std::string_view("postgres://")})
    if (url.substr(0, p.size()) == p) {
      prefix = p.size();
      break;
    }
  if (prefix == 0) {
    error = "invalid URI: \"" + whole + "\"";
    return false;
  }
  std::string_view s = url.substr(prefix);
  size_t p = 0;
  std::string value;
  // user[:password]@ when an '@' comes before any '/'
  size_t look = s.find_first_of("@/");
  if (look != std::string_view::npos && s[look] == '@') {
    size_t colon = s.find_first_of(":@");
    if (colon > 0 && !Decode(s.substr(0, colon), value, error)) return false;  // the user
    if (s[colon] == ':') {
      size_t end = s.find('@', colon);
      if (!Decode(s.substr(colon + 1, end - colon - 1), value, error)) return false;
      if (!value.empty()) out.password_key = "password";
    }
    p = look + 1;
  }
  // host[:port] [, host[:port]]...
  std::string hosts, ports;
  char prev = '\0';
  while (true) {
    if (p < s.size() && s[p] == '[') {
      size_t close = s.find(']', p + 1);
      if (close == std::string_view::npos) {
        error = "end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"" + whole + "\"";
        return false;
      }
      if (close == p + 1) {
        error = "IPv6 host address may not be empty in URI: \"" + whole + "\"";
        return false;
      }
      hosts.append(s.substr(p + 1, close - p - 1));
      p = close + 1;
      if (p < s.size() && s[p] != ':' && s[p] != '/' && s[p] != '?' && s[p] != ',') {
        error = "unexpected character \"" + std::string(1, s[p]) + "\" at position " +
                std::to_string(prefix + p + 1) + " in URI (expected \":\" or \"/\"): \"" + whole + "\"";
        return false;
      }
    } else {
      size_t end = std::min(s.find_first_of(":/?,", p), s.size());
      hosts.append(s.substr(p, end - p));
      p = end;
    }
    prev = p < s.size() ? s[p] : '\0';
    if (prev == ':') {  // the port: libpq checks its value only when connecting
      size_t end = std::min(s.find_first_of("/?,", p + 1), s.size());
      ports.append(s.substr(p + 1, end - p - 1));
      p = end;
      prev = p < s.size() ? s[p] : '\0';
    }
    if (prev != ',') break;
    ++p;
    hosts += ',';
    ports += ',';
  }
  if (!hosts.empty() && !Decode(hosts, out.host, error)) return false;
  if (!ports.empty() && !Decode(ports, value, error)) return false;
  if (prev != '\0' && prev != '?') {  // "/dbname"
    size_t end = std::min(s.find('?', p + 1), s.size());
    if (end > p + 1 && !Decode(s.substr(p + 1, end - p - 1), value, error)) return false;
    p = end;
    prev = p < s.size() ? s[p] : '\0';
  }
  if (prev == '\0') return true;
  // ?key=value&key=value
  std::string_view params = s.substr(p + 1);
  size_t i = 0;
  while (i < params.size()) {
    size_t end = std::min(params.find('&', i), params.size());
    std::string_view item = params.substr(i, end - i);
    size_t eq = item.find('=');
    std::string_view raw_key = item.substr(0, eq);
    if (eq == std::string_view::npos) {
      error = "missing key/value separator \"=\" in URI query parameter: \"" + std::string(raw_key) + "\"";
      return false;
    }
    if (item.find('=', eq + 1) != std::string_view::npos) {
      error = "extra key/value separator \"=\" in URI query parameter: \"" + std::string(raw_key) + "\"";
      return false;
    }
    std::string key, val;
    if (!Decode(raw_key, key, error) || !Decode(item.substr(eq + 1), val, error)) return false;
    if ((key == "ssl" && val == "true") || key == "requiressl") key = "sslmode";
    if (std::find(kKeywords.begin(), kKeywords.end(), key) == kKeywords.end()) {
      error = "invalid URI query parameter: \"" + key + "\"";
      return false;
    }
    if (key == "sslmode" && !val.empty()) out.sets_sslmode = true;
    if (key == "host" && !val.empty()) out.host = val;
    if ((key == "password" || key == "passfile") && !val.empty()) out.password_key = key;
    i = end + 1;
  }
  return true;
}

}  // namespace capstan::wait::detail
