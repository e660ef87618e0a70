#include "pg/settings.h"

#include <libpq-fe.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <algorithm>
#include <cctype>
#include <sstream>

#include "util/error.h"
#include "util/redact.h"
#include "util/strings.h"

namespace capstan::pg {

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

// The values the URL sets (user, host, port, dbname, sslmode...), parsed by libpq itself.
std::map<std::string, std::string> ParseUrl(const std::string& url) {
  std::map<std::string, std::string> out;
  if (url.empty()) return out;
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (!opts) {
    std::string why = err ? std::string(Trim(err)) : std::string("out of memory");
    if (err) PQfreemem(err);
    throw UsageError("invalid database URL " + RedactConnInfo(url) + ": " + why +
                     " (expected postgres://user@host:port/dbname?sslmode=verify-full)");
  }
  for (PQconninfoOption* o = opts; o->keyword; ++o)
    if (o->val && *o->val) out[o->keyword] = o->val;
  PQconninfoFree(opts);
  return out;
}

bool LocalUserKnown() {
  long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buf(static_cast<size_t>(size > 0 ? size : 16384));
  passwd pw{};
  passwd* found = nullptr;
  int rc = ::getpwuid_r(::geteuid(), &pw, buf.data(), buf.size(), &found);
  return rc == 0 && found != nullptr;
}

std::string ReadPasswordFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    throw UsageError("cannot read --password-file " + path + ": " + std::strerror(errno) +
                     " (mount the Secret there or fix the path)");
  }
  std::string line;
  std::getline(f, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  if (line.empty()) throw UsageError("--password-file " + path + " is empty (expected the password on its first line)");
  RegisterSecret(line);  // never printed, whatever message quotes it (a server error, a DSN)
  return line;
}

}  // namespace

std::string RedactConnInfo(const std::string& conninfo) {
  std::string out = conninfo;
  // URL form: scheme://user:password@host... -> scheme://user:***@host...
  size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    size_t auth = scheme + 3;
    size_t auth_end = out.find_first_of("/?#", auth);
    if (auth_end == std::string::npos) auth_end = out.size();
    size_t at = out.rfind('@', auth_end);
    if (at != std::string::npos && at >= auth) {
      size_t colon = out.find(':', auth);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // key=value form (conninfo, or a URL query parameter): password=secret / password = 'se cret'.
  auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  const std::string key = "password";
  for (size_t i = 0; i + key.size() <= out.size(); ++i) {
    if (i > 0 && !std::isspace(static_cast<unsigned char>(out[i - 1])) && out[i - 1] != '?' && out[i - 1] != '&')
      continue;
    bool match = true;
    for (size_t k = 0; k < key.size() && match; ++k) match = lower(out[i + k]) == key[k];
    if (!match) continue;
    size_t j = i + key.size();
    while (j < out.size() && out[j] == ' ') ++j;
    if (j >= out.size() || out[j] != '=') continue;
    ++j;
    while (j < out.size() && out[j] == ' ') ++j;
    size_t v = j;
    if (j < out.size() && out[j] == '\'') {
      ++j;
      while (j < out.size() && out[j] != '\'') j += (out[j] == '\\') ? 2 : 1;
      j = std::min(j + 1, out.size());
    } else {
      while (j < out.size() && !std::isspace(static_cast<unsigned char>(out[j])) && out[j] != '&') ++j;
    }
    out.replace(v, j - v, "***");
    i = v + 2;
  }
  return out;
}

std::map<std::string, std::string> EffectiveParams(const Settings& s) {
  std::map<std::string, std::string> p;
  const std::pair<const char*, const char*> env_keys[] = {
      {"host", "PGHOST"}, {"port", "PGPORT"}, {"dbname", "PGDATABASE"}, {"user", "PGUSER"},
      {"sslmode", "PGSSLMODE"}, {"sslrootcert", "PGSSLROOTCERT"}};
  for (const auto& [key, env] : env_keys) {
    std::string v = Env(env);
    if (!v.empty()) p[key] = v;
  }
  for (const auto& [k, v] : ParseUrl(s.url))
    if (k != "password") p[k] = v;
  const std::pair<const char*, const std::string*> flags[] = {
      {"host", &s.host}, {"port", &s.port}, {"dbname", &s.dbname}, {"user", &s.user},
      {"sslmode", &s.sslmode}, {"sslrootcert", &s.sslrootcert}};
  for (const auto& [key, val] : flags)
    if (!val->empty()) p[key] = *val;
  if (!p.count("host")) p["host"] = "localhost";
  if (!p.count("port")) p["port"] = "5432";
  if (!p.count("sslmode")) p["sslmode"] = "prefer";
  if (!p.count("dbname") && p.count("user")) p["dbname"] = p["user"];
  return p;
}

std::string Describe(const Settings& s) {
  auto p = EffectiveParams(s);
  std::string out;
  for (const char* key : {"host", "port", "dbname", "user", "sslmode"}) {
    auto it = p.find(key);
    if (it == p.end()) continue;
    if (!out.empty()) out += ' ';
    out += std::string(key) + "=" + it->second;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ConnectParams(const Settings& s) {
  std::vector<std::pair<std::string, std::string>> kv;
  if (!s.url.empty()) {
    ParseUrl(s.url);  // validates with a clear, redacted error
    kv.emplace_back("dbname", s.url);
  }
  auto eff = EffectiveParams(s);
  if (!eff.count("user") && !LocalUserKnown()) {
    throw UsageError("no database user given and the local user ID " + std::to_string(::geteuid()) +
                     " has no passwd entry (as in a scratch image): set PGUSER, --user or the user in the database URL");
  }
  if (!s.host.empty()) kv.emplace_back("host", s.host);
  if (!s.port.empty()) kv.emplace_back("port", s.port);
  if (!s.dbname.empty()) kv.emplace_back("dbname", s.dbname);
  if (!s.user.empty()) kv.emplace_back("user", s.user);
  if (!s.sslmode.empty()) kv.emplace_back("sslmode", s.sslmode);
  if (!s.sslrootcert.empty()) kv.emplace_back("sslrootcert", s.sslrootcert);
  if (!s.password_file.empty()) kv.emplace_back("password", ReadPasswordFile(s.password_file));
  if (!s.application_name.empty() && Env("PGAPPNAME").empty()) kv.emplace_back("application_name", s.application_name);
  long secs = static_cast<long>(s.connect_timeout.count());
  if (secs > 0) kv.emplace_back("connect_timeout", std::to_string(secs < 2 ? 2 : secs));
  return kv;
}

}  // namespace capstan::pg
