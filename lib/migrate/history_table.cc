#include "migrate/history_table.h"

#include "migrate/history.h"
#include "util/error.h"
#include "util/strings.h"

namespace capstan::migrate {

std::optional<Version> HistoryState::MaxApplied() const {
  if (applied.empty()) return std::nullopt;
  return applied.rbegin()->first;
}

std::optional<Version> HistoryState::Current() const {
  std::optional<Version> cur = MaxApplied();
  if (baseline && baseline->version) {
    auto b = Version::Parse(*baseline->version);
    if (b && (!cur || *cur < *b)) cur = b;
  }
  return cur;
}

HistoryState Summarise(std::vector<HistoryRow> rows) {
  HistoryState s;
  for (const auto& r : rows) {
    if (!r.success) {
      s.failed.push_back(r);
      continue;
    }
    std::optional<Version> v = r.version ? Version::Parse(*r.version) : std::nullopt;
    if (r.type == "versioned" && v) {
      s.applied.insert_or_assign(*v, r);
    } else if (r.type == "undo" && v) {
      s.applied.erase(*v);
    } else if (r.type == "baseline") {
      s.baseline = r;
    } else if (r.type == "repeatable") {
      s.repeatables.insert_or_assign(r.description, r);
    }
  }
  s.rows = std::move(rows);
  return s;
}

HistoryTable::HistoryTable(pg::Connection& conn, const std::string& name) : conn_(conn) {
  auto parts = Split(name, '.');
  if (parts.size() > 2 || name.empty())
    throw UsageError("invalid history table name " + Quote(name) + ": use name or schema.name");
  for (const auto& p : parts)
    if (p.empty()) throw UsageError("invalid history table name " + Quote(name) + ": use name or schema.name");
  if (parts.size() == 2) {
    schema_ = parts[0];
    table_ = parts[1];
  } else {
    auto cur = conn_.Exec("SELECT current_schema()").Get(0, 0);
    if (!cur)
      throw Error("no current schema on " + conn_.description() +
                  " (empty search_path): qualify the history table as schema.name");
    schema_ = *cur;
    table_ = parts[0];
  }
  display_ = schema_ + "." + table_;
  quoted_ = conn_.EscapeIdentifier(schema_) + "." + conn_.EscapeIdentifier(table_);
}

bool HistoryTable::Exists() { return conn_.Exec("SELECT to_regclass($1) IS NOT NULL", {quoted_}).Text(0, 0) == "t"; }

void HistoryTable::Create() {
  if (conn_.Exec("SELECT 1 FROM pg_namespace WHERE nspname = $1", {schema_}).rows() == 0)
    conn_.Exec("CREATE SCHEMA IF NOT EXISTS " + conn_.EscapeIdentifier(schema_));
  if (Exists()) return;
  conn_.Exec("CREATE TABLE IF NOT EXISTS " + quoted_ +
             " (installed_rank bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
             " version text,"
             " description text NOT NULL,"
             " type text NOT NULL CHECK (type IN ('versioned', 'repeatable', 'baseline', 'undo')),"
             " script text NOT NULL,"
             " checksum text,"
             " installed_by text NOT NULL,"
             " installed_on timestamptz NOT NULL DEFAULT now(),"
             " execution_time_ms bigint NOT NULL,"
             " success boolean NOT NULL)");
}

HistoryState HistoryTable::Read() {
  pg::Result r = conn_.Exec(
      "SELECT installed_rank, version, description, type, script, coalesce(checksum, ''), installed_by, "
      "to_char(installed_on AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), execution_time_ms, success FROM " +
      quoted_ + " ORDER BY installed_rank");
  std::vector<HistoryRow> rows;
  rows.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    HistoryRow h;
    h.installed_rank = std::stoll(r.Text(i, 0));
    h.version = r.Get(i, 1);
    h.description = r.Text(i, 2);
    h.type = r.Text(i, 3);
    h.script = r.Text(i, 4);
    h.checksum = r.Text(i, 5);
    h.installed_by = r.Text(i, 6);
    h.installed_on = r.Text(i, 7);
    h.execution_time_ms = std::stoll(r.Text(i, 8));
    h.success = r.Text(i, 9) == "t";
    rows.push_back(std::move(h));
  }
  return Summarise(std::move(rows));
}

long long HistoryTable::Insert(const HistoryRow& row) {
  if (!prepared_) {
    conn_.Prepare("capstan_history_insert",
                  "INSERT INTO " + quoted_ +
                      " (version, description, type, script, checksum, installed_by, execution_time_ms, success)"
                      " VALUES ($1, $2, $3, $4, $5, $6, $7::bigint, $8::boolean) RETURNING installed_rank",
                  8);
    prepared_ = true;
  }
  pg::Result r = conn_.ExecPrepared(
      "capstan_history_insert",
      {row.version, row.description, row.type, row.script,
       row.checksum.empty() ? std::nullopt : std::optional<std::string>(row.checksum), row.installed_by,
       std::to_string(row.execution_time_ms), std::string(row.success ? "true" : "false")});
  return std::stoll(r.Text(0, 0));
}

void HistoryTable::MarkSucceeded(long long rank, long long ms) {
  conn_.Exec("UPDATE " + quoted_ + " SET success = true, execution_time_ms = $2::bigint WHERE installed_rank = $1::bigint",
             {std::to_string(rank), std::to_string(ms)});
}

void HistoryTable::UpdateFailedTime(long long rank, long long ms) {
  conn_.Exec("UPDATE " + quoted_ + " SET execution_time_ms = $2::bigint WHERE installed_rank = $1::bigint",
             {std::to_string(rank), std::to_string(ms)});
}

int HistoryTable::DeleteFailed() {
  pg::Result r = conn_.Exec("DELETE FROM " + quoted_ + " WHERE NOT success");
  return std::stoi(r.CommandTuples().empty() ? "0" : r.CommandTuples());
}

void HistoryTable::UpdateChecksum(long long rank, const std::string& checksum, const std::string& description,
                                  const std::string& script) {
  conn_.Exec("UPDATE " + quoted_ +
                 " SET checksum = $2, description = $3, script = $4 WHERE installed_rank = $1::bigint",
             {std::to_string(rank), checksum, description, script});
}

std::optional<std::string> CurrentVersion(pg::Connection& conn, const std::string& table) {
  HistoryTable history(conn, table);
  if (!history.Exists()) return std::nullopt;
  auto cur = history.Read().Current();
  if (!cur) return std::nullopt;
  return cur->text();
}

}  // namespace capstan::migrate
