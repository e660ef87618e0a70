// postgres://[USER@]HOST[:PORT]/DBNAME[?sslmode=...] holds when PostgreSQL accepts a connection (authentication
// included); with (schema>=VERSION), when the migration history (lib/migrate/history.h, table capstan_schema_history
// or table=NAME) reports at least VERSION. What the URL leaves out comes from libpq's PG* variables, so "postgres://"
// alone means "the database PGHOST/PGPORT/PGDATABASE/PGUSER name". The password never appears in a condition: it
// comes from (password-file=FILE), PGPASSWORD or PGPASSFILE. (ca=FILE) verifies the server against that CA
// (sslmode=verify-full unless the URL sets sslmode). Connections go through lib/pg.
#include <libpq-fe.h>

#include <algorithm>

#include "migrate/history.h"
#include "migrate/version.h"
#include "pg/connection.h"
#include "pg/result.h"
#include "util/strings.h"
#include "wait/kinds.h"

namespace capstan::wait::detail {
namespace {

class PostgresCondition : public Condition {
 public:
  PostgresCondition(std::string url, std::string host, std::optional<migrate::Version> min_version,
                    std::string table, std::string password_file, std::string ca, bool url_sets_sslmode)
      : Condition("postgres", url),
        url_(std::move(url)),
        host_(std::move(host)),
        min_version_(std::move(min_version)),
        table_(std::move(table)),
        password_file_(std::move(password_file)),
        ca_(std::move(ca)),
        url_sets_sslmode_(url_sets_sslmode) {
    if (min_version_) AddCanonicalOption("schema", ">=", min_version_->text());
    if (table_ != migrate::kDefaultHistoryTable) AddCanonicalOption("table", "=", table_);
    if (!password_file_.empty()) AddCanonicalOption("password-file", "=", password_file_);
    if (!ca_.empty()) AddCanonicalOption("ca", "=", ca_);
  }
  std::string host() const override { return host_; }

  AttemptResult Check(const AttemptContext& ctx) override {
    pg::Settings s;
    s.url = url_ == "postgres://" ? std::string() : url_;
    s.password_file = password_file_;
    s.application_name = "capstan-wait";
    if (!ca_.empty()) {
      RequireReadableFile(ca_, "ca");
      s.sslrootcert = ca_;
      if (!url_sets_sslmode_) s.sslmode = "verify-full";
    }
    auto left = std::chrono::duration_cast<std::chrono::seconds>(ctx.Remaining() + std::chrono::milliseconds(999));
    s.connect_timeout = std::max(left, std::chrono::seconds(2));  // libpq's minimum is 2s
    s.retry_for = std::chrono::milliseconds(0);                    // one attempt: the wait does the retrying
    std::optional<pg::Connection> conn;
    try {
      conn.emplace(pg::Connection::Open(s));
    } catch (const UsageError&) {
      throw;  // bad settings or an unreadable password file: no retry can fix it
    } catch (const Error& e) {
      return AttemptResult::NotYet(e.what());
    }
    std::string where = conn->description();
    if (!min_version_) return AttemptResult::Held("connected: " + where);
    std::optional<std::string> current;
    try {
      current = migrate::CurrentVersion(*conn, table_);
    } catch (const UsageError&) {
      throw;
    } catch (const Error& e) {
      return AttemptResult::NotYet("reading the migration history " + table_ + " failed: " + e.what());
    }
    if (!current)
      return AttemptResult::NotYet("no migration applied yet (" + table_ + " is missing or empty) at " + where);
    auto v = migrate::Version::Parse(*current);
    if (!v)
      return AttemptResult::NotYet("the migration history reports version " + Quote(*current) +
                                   ", which is not a version number");
    if (*v < *min_version_)
      return AttemptResult::NotYet("schema version " + v->text() + " < " + min_version_->text() + " at " + where);
    return AttemptResult::Held("schema version " + v->text() + " >= " + min_version_->text());
  }

 private:
  std::string url_, host_;
  std::optional<migrate::Version> min_version_;
  std::string table_, password_file_, ca_;
  bool url_sets_sslmode_;
};

std::string AbsolutePathOption(OptionReader& reader, const char* key) {
  auto o = reader.TakeWithOp(key, {"="});
  if (!o) return {};
  if (o->value.empty() || o->value[0] != '/')
    reader.FailOption(*o, std::string(key) + "= needs an absolute path (e.g. /var/run/secrets/db/password)");
  return o->value;
}

}  // namespace

ConditionFactory PostgresFactory() {
  return [](OptionReader& reader) -> std::unique_ptr<Condition> {
    std::string_view body = reader.spec().body;
    if (body.empty()) body = "//";  // "postgres:" = everything from PG* variables
    if (!StartsWith(body, "//"))
      reader.FailTarget("expected postgres://[USER@]HOST[:PORT]/DBNAME (or postgres:// for the PG* variables)", 0);
    std::string url = "postgres:" + std::string(body);
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
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
    if (!opts) {
      std::string why = err ? std::string(Trim(err)) : "out of memory";
      if (err) PQfreemem(err);
      reader.FailTarget("invalid PostgreSQL URL: " + why, 0);
    }
    std::string host, bad_key;
    bool sets_sslmode = false;
    for (PQconninfoOption* o = opts; o->keyword; ++o) {
      if (!o->val || !*o->val) continue;
      std::string k = o->keyword;
      if (k == "host") host = o->val;
      if (k == "sslmode") sets_sslmode = true;
      if (k == "password" || k == "passfile") bad_key = k;
    }
    PQconninfoFree(opts);
    if (!bad_key.empty())
      reader.FailTarget("the URL sets " + bad_key + ": a password does not belong in a condition; use "
                        "password-file=FILE, PGPASSWORD or PGPASSFILE", 0);
    std::optional<migrate::Version> min_version;
    if (auto o = reader.TakeWithOp("schema", {">="})) {
      std::string text = o->value;
      if (!text.empty() && (text[0] == 'V' || text[0] == 'v')) text.erase(0, 1);  // Flyway style V12
      min_version = migrate::Version::Parse(text);
      if (!min_version)
        reader.FailOption(*o, "schema>= needs a version such as 12, 1.2 or 2026.01.05, got " + Quote(o->value));
    }
    std::string table = migrate::kDefaultHistoryTable;
    if (auto o = reader.TakeWithOp("table", {"="})) {
      bool ok = !o->value.empty() && o->value.size() <= 127;
      for (unsigned char c : o->value) ok = ok && (std::isalnum(c) || c == '_' || c == '.');
      if (!ok) reader.FailOption(*o, "table= takes a table name (letters, digits, '_', optionally schema.name)");
      table = o->value;
    }
    std::string password_file = AbsolutePathOption(reader, "password-file");
    std::string ca = AbsolutePathOption(reader, "ca");
    return std::make_unique<PostgresCondition>(url, host, std::move(min_version), std::move(table),
                                               std::move(password_file), std::move(ca), sets_sslmode);
  };
}

}  // namespace capstan::wait::detail
