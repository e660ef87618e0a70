// The history table (default capstan_schema_history, optionally schema-qualified): its name resolution and quoting,
// creation, reading its rows, writing rows through prepared statements, and the state that the rows add up to
// (which versions are applied, undone, failed; the baseline; the latest run of each repeatable migration).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "migrate/version.h"
#include "pg/connection.h"

namespace capstan::migrate {

struct HistoryRow {
  long long installed_rank = 0;
  std::optional<std::string> version;
  std::string description;
  std::string type;  // versioned | repeatable | baseline | undo
  std::string script;
  std::string checksum;
  std::string installed_by;
  std::string installed_on;  // ISO 8601 UTC
  long long execution_time_ms = 0;
  bool success = false;
};

// What the history rows add up to.
struct HistoryState {
  std::vector<HistoryRow> rows;
  std::map<Version, HistoryRow> applied;            // versioned migrations currently applied (not undone)
  std::optional<HistoryRow> baseline;
  std::map<std::string, HistoryRow> repeatables;     // latest successful run per description
  std::vector<HistoryRow> failed;                     // rows with success = false
  std::optional<Version> Current() const;             // max(applied, baseline)
  std::optional<Version> MaxApplied() const;
};
HistoryState Summarise(std::vector<HistoryRow> rows);

class HistoryTable {
 public:
  // Resolves "name" or "schema.name" (an unqualified name goes to current_schema()). Throws UsageError for an
  // empty part or more than one dot.
  HistoryTable(pg::Connection& conn, const std::string& name);
  const std::string& qualified_name() const { return display_; }  // schema.name, unquoted (for logs, lock key)
  const std::string& sql_name() const { return quoted_; }         // "schema"."name" for SQL text
  bool Exists();
  void Create();  // schema (if missing) and table; call under the migration lock
  HistoryState Read();
  // Inserts a row; returns its installed_rank. Uses a prepared statement.
  long long Insert(const HistoryRow& row);
  void MarkSucceeded(long long rank, long long execution_time_ms);
  void UpdateFailedTime(long long rank, long long execution_time_ms);
  int DeleteFailed();
  // repair: records a file's current checksum, description and name for an applied row.
  void UpdateChecksum(long long rank, const std::string& checksum, const std::string& description,
                      const std::string& script);

 private:
  pg::Connection& conn_;
  std::string schema_, table_, display_, quoted_;
  bool prepared_ = false;
};

}  // namespace capstan::migrate
