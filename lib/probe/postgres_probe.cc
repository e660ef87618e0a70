// The postgres: probe: one libpq connection per attempt through lib/pg (authentication included), and for
// (schema>=VERSION) one read of the migration history through lib/migrate. A UsageError (bad settings, an
// unreadable password file) ends the wait: no retry can fix it.
#include <algorithm>

#include "migrate/history.h"
#include "migrate/version.h"
#include "pg/connection.h"
#include "pg/result.h"
#include "probe/net.h"
#include "probe/probes.h"
#include "util/strings.h"
#include "wait/kinds.h"

namespace capstan::probe {
namespace {

static_assert(wait::kDefaultHistoryTable == std::string_view(migrate::kDefaultHistoryTable),
              "lib/wait and lib/migrate must name the same default migration history table");

class PostgresProbe : public wait::Probe {
 public:
  explicit PostgresProbe(const wait::PostgresCondition& c) : spec_(c.spec()) {
    if (spec_.min_version) min_version_ = migrate::Version::Parse(*spec_.min_version);
  }

  wait::AttemptResult Check(const wait::AttemptContext& ctx) override {
    pg::Settings s;
    s.url = spec_.url == "postgres://" ? std::string() : spec_.url;
    s.password_file = spec_.password_file;
    s.application_name = "capstan-wait";
    if (!spec_.ca.empty()) {
      RequireReadableFile(spec_.ca, "ca");  // a missing file is a usage error, not something to retry
      s.sslrootcert = spec_.ca;
      if (!spec_.url_sets_sslmode) s.sslmode = "verify-full";
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
      return wait::AttemptResult::NotYet(e.what());
    }
    std::string where = conn->description();
    if (!min_version_) return wait::AttemptResult::Held("connected: " + where);
    std::optional<std::string> current;
    try {
      current = migrate::CurrentVersion(*conn, spec_.table);
    } catch (const UsageError&) {
      throw;
    } catch (const Error& e) {
      return wait::AttemptResult::NotYet("reading the migration history " + spec_.table + " failed: " + e.what());
    }
    if (!current)
      return wait::AttemptResult::NotYet("no migration applied yet (" + spec_.table + " is missing or empty) at " + where);
    auto v = migrate::Version::Parse(*current);
    if (!v)
      return wait::AttemptResult::NotYet("the migration history reports version " + Quote(*current) +
                                   ", which is not a version number");
    if (*v < *min_version_)
      return wait::AttemptResult::NotYet("schema version " + v->text() + " < " + min_version_->text() + " at " + where);
    return wait::AttemptResult::Held("schema version " + v->text() + " >= " + min_version_->text());
  }


 private:
  wait::PostgresCondition::Spec spec_;
  std::optional<migrate::Version> min_version_;
};

}  // namespace

wait::ProbeFactory PostgresProbeFactory() {
  return [](const wait::Condition& c) -> std::unique_ptr<wait::Probe> {
    return std::make_unique<PostgresProbe>(dynamic_cast<const wait::PostgresCondition&>(c));
  };
}

}  // namespace capstan::probe
