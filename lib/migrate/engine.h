// The migration engine behind `capstan migrate`: plan, apply, status, validate, baseline, repair and undo over a
// MigrationSet and the history table, on one connection. Apply and the other writing commands hold a session
// advisory lock derived from the history table name (released by the server if the process dies); each migration
// runs in its own transaction together with its history row, except files marked `-- capstan:no-transaction`,
// whose run is recorded as failed first and marked successful at the end, so a failure or a kill leaves a failed
// row that blocks further runs until `repair`.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "migrate/history_table.h"
#include "migrate/migration_dir.h"
#include "pg/advisory_lock.h"
#include "pg/connection.h"

namespace capstan::migrate {

struct Options {
  std::string table = "capstan_schema_history";
  std::optional<Version> target;  // apply/plan: only versions up to this one
  bool out_of_order = false;      // apply/plan: also apply pending versions below the highest applied one
  std::chrono::milliseconds lock_wait{std::chrono::minutes(5)};
  std::optional<std::chrono::milliseconds> statement_timeout;  // per statement, set for the session
  std::optional<std::chrono::milliseconds> lock_timeout;       // waiting for table locks inside migrations
  std::string installed_by;       // default: the database user
};

// One migration that would run (plan) or did run (apply, undo).
struct Step {
  const MigrationFile* file = nullptr;
  std::string type;    // versioned | repeatable | undo
  std::string reason;  // pending | out-of-order | new | changed | undo
  long long execution_time_ms = 0;
};

struct RunReport {
  std::string command;  // apply | undo | baseline | repair
  std::string status;   // ok | up-to-date | failed
  std::string database;
  std::string table;
  std::optional<std::string> previous_version;
  std::optional<std::string> current_version;
  std::vector<Step> steps;
  std::string failed_script;
  std::string error;
  std::vector<std::string> actions;  // baseline / repair: what was changed
  long long total_ms = 0;
};

// A migration that failed while running (exit 1); the report says what was applied before it.
class MigrationFailed : public Error {
 public:
  MigrationFailed(const std::string& message, RunReport report) : Error(message), report_(std::move(report)) {}
  const RunReport& report() const { return report_; }

 private:
  RunReport report_;
};

struct PlanReport {
  std::string database;
  std::string table;
  std::optional<std::string> current_version;
  std::vector<Step> steps;
};

// One row of `status`.
struct StatusEntry {
  std::string version;  // "" for repeatable migrations
  std::string description;
  std::string type;
  std::string script;
  std::string state;  // applied | pending | failed | missing | changed | baseline | below-baseline | out-of-order |
                      // outdated (repeatable changed since its last run)
  std::string checksum;          // of the file ("" when missing)
  std::string applied_checksum;  // recorded in history ("" when not applied)
  std::string installed_on;
  std::string installed_by;
  long long execution_time_ms = -1;
};

struct StatusReport {
  std::string database;
  std::string table;
  bool table_exists = false;
  std::optional<std::string> current_version;
  std::vector<StatusEntry> entries;
  std::vector<std::string> problems;  // what validate would report
};

class Engine {
 public:
  Engine(pg::Connection& conn, MigrationSet set, Options options);

  PlanReport Plan();  // changes nothing; throws Error (exit 1) when apply would refuse to start
  RunReport Apply();          // throws MigrationFailed, Error
  StatusReport Status();      // changes nothing
  std::vector<std::string> Validate();  // the problems, each naming the file (empty: valid)
  RunReport Baseline(const Version& version, const std::string& description);
  RunReport Repair();
  RunReport Undo();

 private:
  void SetUpSession();
  RunReport StartReport(const char* command);
  pg::AdvisoryLock LockHistory();
  HistoryState ReadState(bool create);
  std::vector<std::string> Problems(const HistoryState& state) const;
  std::vector<Step> Pending(const HistoryState& state, std::vector<std::string>* problems) const;
  long long RunOne(const MigrationFile& file, const std::string& type, HistoryTable& history);
  std::string InstalledBy();

  pg::Connection& conn_;
  MigrationSet set_;
  Options options_;
  HistoryTable history_;
  std::string installed_by_;
};

// Renders reports: JSON on stdout (apply's summary, -o json) or text for a terminal.
std::string RunReportJson(const RunReport& r);
std::string PlanJson(const PlanReport& p);
std::string PlanText(const PlanReport& p);
std::string StatusJson(const StatusReport& s);
std::string StatusText(const StatusReport& s);

}  // namespace capstan::migrate
