// postgres://[USER@]HOST[:PORT]/DBNAME[?sslmode=...] holds when PostgreSQL accepts a connection (authentication
// included); with (schema>=VERSION), when the migration history (table capstan_schema_history or table=NAME)
// reports at least VERSION. What the URL leaves out comes from libpq's PG* variables, so "postgres://" alone means
// "the database PGHOST/PGPORT/PGDATABASE/PGUSER name". The password never appears in a condition: it comes from
// (password-file=FILE), PGPASSWORD or PGPASSFILE. (ca=FILE) verifies the server against that CA (sslmode=verify-full
// unless the URL sets sslmode). The grammar (the URL is read by postgres_url.cc, without libpq); the probe is
// lib/probe/postgres_probe.cc.
#include <algorithm>

#include "util/strings.h"
#include "wait/kinds.h"

namespace capstan::wait {

PostgresCondition::PostgresCondition(Spec spec) : Condition("postgres", spec.url), spec_(std::move(spec)) {
  if (spec_.min_version) AddCanonicalOption("schema", ">=", *spec_.min_version);
  if (spec_.table != kDefaultHistoryTable) AddCanonicalOption("table", "=", spec_.table);
  if (!spec_.password_file.empty()) AddCanonicalOption("password-file", "=", spec_.password_file);
  if (!spec_.ca.empty()) AddCanonicalOption("ca", "=", spec_.ca);
}

std::vector<std::string> PostgresCondition::Files() const {
  std::vector<std::string> out;
  if (!spec_.password_file.empty()) out.push_back(spec_.password_file);
  if (!spec_.ca.empty()) out.push_back(spec_.ca);
  return out;
}

namespace detail {
namespace {

std::string AbsolutePathOption(OptionReader& reader, const char* key) {
  auto o = reader.TakeWithOp(key, {"="});
  if (!o) return {};
  if (o->value.empty() || o->value[0] != '/')
    reader.FailOption(*o, std::string(key) + "= needs an absolute path (e.g. /var/run/secrets/db/password)");
  return o->value;
}

// The version as migrate::Version::text() shows it: '_' written as '.'.
std::string VersionText(std::string_view v) {
  std::string out(v);
  std::replace(out.begin(), out.end(), '_', '.');
  return out;
}

}  // namespace

bool ValidMigrationVersion(std::string_view text) {
  if (text.empty()) return false;
  bool have_digit = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      have_digit = true;
    } else if (c == '.' || c == '_') {
      if (!have_digit) return false;
      have_digit = false;
    } else {
      return false;
    }
  }
  return have_digit;
}

ConditionFactory PostgresFactory() {
  return [](OptionReader& reader) -> std::unique_ptr<Condition> {
    std::string_view body = reader.spec().body;
    if (body.empty()) body = "//";  // "postgres:" = everything from PG* variables
    if (!StartsWith(body, "//"))
      reader.FailTarget("expected postgres://[USER@]HOST[:PORT]/DBNAME (or postgres:// for the PG* variables)", 0);
    PostgresCondition::Spec spec;
    spec.url = "postgres:" + std::string(body);
    // A password never belongs in a condition: it would end up in a pod spec and in logs.
    std::string_view rest = body.substr(2);
    size_t authority_end = std::min(rest.find_first_of("/?"), rest.size());
    size_t at = rest.substr(0, authority_end).rfind('@');
    if (at != std::string_view::npos) {
      size_t colon = rest.substr(0, at).find(':');
      if (colon != std::string_view::npos)
        reader.FailTarget("a password does not belong in a condition (it would show in the pod spec and logs): "
                          "use password-file=FILE, PGPASSWORD or PGPASSFILE",
                          2 + colon);
    }
    PostgresUrl url;
    std::string why;
    if (!ParsePostgresUrl(spec.url, url, why)) reader.FailTarget("invalid PostgreSQL URL: " + why, 0);
    if (!url.password_key.empty())
      reader.FailTarget("the URL sets " + url.password_key + ": a password does not belong in a condition; use "
                        "password-file=FILE, PGPASSWORD or PGPASSFILE", 0);
    spec.host = url.host;
    spec.url_sets_sslmode = url.sets_sslmode;
    if (auto o = reader.TakeWithOp("schema", {">="})) {
      std::string text = o->value;
      if (!text.empty() && (text[0] == 'V' || text[0] == 'v')) text.erase(0, 1);  // Flyway style V12
      if (!ValidMigrationVersion(text))
        reader.FailOption(*o, "schema>= needs a version such as 12, 1.2 or 2026.01.05, got " + Quote(o->value));
      spec.min_version = VersionText(text);
    }
    if (auto o = reader.TakeWithOp("table", {"="})) {
      bool ok = !o->value.empty() && o->value.size() <= 127;
      for (unsigned char c : o->value) ok = ok && (std::isalnum(c) || c == '_' || c == '.');
      if (!ok) reader.FailOption(*o, "table= takes a table name (letters, digits, '_', optionally schema.name)");
      spec.table = o->value;
    }
    spec.password_file = AbsolutePathOption(reader, "password-file");
    spec.ca = AbsolutePathOption(reader, "ca");
    return std::make_unique<PostgresCondition>(std::move(spec));
  };
}

}  // namespace detail
}  // namespace capstan::wait
