#include "pg/settings.h"

#include <libpq-fe.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include "util/error.h"
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
  return line;
}

}  // namespace

std::string RedactConnInfo(const std::string& conninfo) {
  // URL form: scheme://user:password@host...
  static const std::regex url_pw(R"(^([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@?#]*):[^@/?#]*@)");
  static const std::regex kv_pw(R"((password\s*=\s*)('([^'\\]|\\.)*'|[^\s&]*))", std::regex::icase);
  std::string out = std::regex_replace(conninfo, url_pw, "$1:***@");
  return std::regex_replace(out, kv_pw, "$1***");
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
