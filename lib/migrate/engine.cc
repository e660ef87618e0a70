#include "migrate/engine.h"

#include <algorithm>

#include "log/log.h"
#include "migrate/sql_split.h"
#include "pg/advisory_lock.h"
#include "pg/transaction.h"
#include "util/duration.h"
#include "util/error.h"
#include "util/strings.h"

namespace capstan::migrate {

namespace {

using Clock = std::chrono::steady_clock;

long long MsSince(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
}

std::optional<std::string> VersionText(const std::optional<Version>& v) {
  if (!v) return std::nullopt;
  return v->text();
}

// "<path>:<line>:<col>" for a server error position in the script (a 1-based character offset), or "<path>".
std::string Where(const MigrationFile& f, size_t byte_offset, int char_position) {
  if (char_position <= 0) return f.path;
  int before = 0;  // characters before the statement in the whole file
  for (size_t i = 0; i < byte_offset && i < f.sql.size(); ++i)
    if ((static_cast<unsigned char>(f.sql[i]) & 0xC0) != 0x80) ++before;
  pg::LineCol lc = pg::PositionToLineCol(f.sql, before + char_position);
  if (lc.line == 0) return f.path;
  return f.path + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

std::string ServerMessage(const pg::QueryError& e) {
  std::string m = e.primary();
  if (!e.detail().empty()) m += "; " + e.detail();
  if (!e.hint().empty()) m += "; hint: " + e.hint();
  if (!e.context().empty()) m += "; context: " + Split(e.context(), '\n')[0];
  if (!e.sqlstate().empty()) m += " (SQLSTATE " + e.sqlstate() + ")";
  return m;
}

}  // namespace

Engine::Engine(pg::Connection& conn, MigrationSet set, Options options)
    : conn_(conn), set_(std::move(set)), options_(std::move(options)), history_(conn, options_.table) {}

std::string Engine::InstalledBy() {
  if (installed_by_.empty())
    installed_by_ = options_.installed_by.empty() ? conn_.Exec("SELECT current_user").Text(0, 0) : options_.installed_by;
  return installed_by_;
}

void Engine::SetUpSession() {
  auto ms = [](std::chrono::milliseconds d) { return std::to_string(d.count()); };
  if (options_.statement_timeout)
    conn_.Exec("SELECT set_config('statement_timeout', $1, false)", {ms(*options_.statement_timeout)});
  if (options_.lock_timeout) conn_.Exec("SELECT set_config('lock_timeout', $1, false)", {ms(*options_.lock_timeout)});
  // PostgreSQL 14+: notice a vanished client (kill -9) within a second even while a statement runs, so the
  // transaction is rolled back and the advisory lock freed at once instead of when the statement ends.
  if (conn_.ServerVersionNum() >= 140000)
    conn_.Exec("SELECT set_config('client_connection_check_interval', '1000', false)");
}

HistoryState Engine::ReadState(bool create) {
  if (create) history_.Create();
  else if (!history_.Exists()) return Summarise({});
  return history_.Read();
}

std::vector<std::string> Engine::Problems(const HistoryState& st) const {
  std::vector<std::string> out;
  for (const auto& r : st.failed) {
    out.push_back(set_.dir + "/" + r.script + ": " + (r.version ? "version " + *r.version + " " : "") +
                  "failed (or was interrupted) on " + r.installed_on +
                  " outside a transaction, so part of it may have taken effect: check the database, fix the file, "
                  "then run `capstan migrate repair` and apply again");
  }
  for (const auto& [v, r] : st.applied) {
    const MigrationFile* f = set_.FindVersioned(v);
    if (!f) {
      out.push_back(set_.dir + "/" + r.script + ": version " + v.text() + " was applied on " + r.installed_on +
                    " but the file is missing from " + set_.dir + ": restore it (applied migrations must stay)");
    } else if (f->checksum != r.checksum) {
      out.push_back(f->path + ": changed after it was applied on " + r.installed_on + " (checksum recorded " +
                    r.checksum.substr(0, 12) + ", file now " + f->checksum.substr(0, 12) +
                    "): restore the applied content, or run `capstan migrate repair` to accept the change");
    } else if (f->name.description != r.description) {
      // Renamed after it was applied (as Flyway's "description mismatch"): the history would no longer name the
      // file that made the change.
      out.push_back(f->path + ": renamed after it was applied on " + r.installed_on + " (history has " +
                    Quote(r.script) + ", description " + Quote(r.description) + "; the file now says " +
                    Quote(f->name.description) + "): rename it back to " + r.script +
                    ", or run `capstan migrate repair` to accept the new name");
    }
  }
  for (const auto& [d, r] : st.repeatables) {
    if (!set_.FindRepeatable(d))
      out.push_back(set_.dir + "/" + r.script + ": repeatable migration applied on " + r.installed_on +
                    " is missing from " + set_.dir + ": restore it");
  }
  return out;
}

std::vector<Step> Engine::Pending(const HistoryState& st, std::vector<std::string>* problems) const {
  std::vector<Step> steps;
  std::optional<Version> base;
  if (st.baseline && st.baseline->version) base = Version::Parse(*st.baseline->version);
  std::optional<Version> max_applied = st.MaxApplied();
  for (const auto& f : set_.versioned) {
    const Version& v = *f.name.version;
    if (st.applied.count(v)) continue;
    if (base && v <= *base) continue;
    if (options_.target && *options_.target < v) continue;
    bool failed = std::any_of(st.failed.begin(), st.failed.end(),
                              [&](const HistoryRow& r) { return r.version && Version::Parse(*r.version) == v; });
    if (failed) continue;  // reported by Problems()
    if (max_applied && v < *max_applied) {
      if (!options_.out_of_order) {
        problems->push_back(f.path + ": version " + v.text() + " is pending but version " + max_applied->text() +
                            " is already applied: rerun with --out-of-order to apply it, or give it a higher version");
        continue;
      }
      steps.push_back({&f, "versioned", "out-of-order", 0});
    } else {
      steps.push_back({&f, "versioned", "pending", 0});
    }
  }
  for (const auto& f : set_.repeatable) {
    auto it = st.repeatables.find(f.name.description);
    if (it == st.repeatables.end()) steps.push_back({&f, "repeatable", "new", 0});
    else if (it->second.checksum != f.checksum) steps.push_back({&f, "repeatable", "changed", 0});
  }
  return steps;
}

PlanReport Engine::Plan() {
  HistoryState st = ReadState(false);
  std::vector<std::string> problems = Problems(st);
  std::vector<Step> steps = Pending(st, &problems);
  if (!problems.empty()) {
    for (const auto& p : problems) log::Error(p);
    throw Error("apply would refuse to run: " + problems.front() +
                (problems.size() > 1 ? " (and " + std::to_string(problems.size() - 1) + " more problems above)" : ""));
  }
  return {conn_.description(), history_.qualified_name(), VersionText(st.Current()), std::move(steps)};
}

std::vector<std::string> Engine::Validate() {
  HistoryState st = ReadState(false);
  std::vector<std::string> problems = Problems(st);
  Pending(st, &problems);
  return problems;
}

long long Engine::RunOne(const MigrationFile& f, const std::string& type, HistoryTable& history) {
  HistoryRow row;
  row.version = f.name.version ? std::optional<std::string>(f.name.version->text()) : std::nullopt;
  row.description = f.name.description;
  row.type = type;
  row.script = f.filename;
  row.checksum = f.checksum;
  row.installed_by = InstalledBy();
  auto t0 = Clock::now();
  if (!f.no_transaction) {
    // BEGIN travels with the script in one simple query (one round trip less per migration); the history row
    // follows in the same transaction, then COMMIT. Error positions are shifted back by the prefix.
    static constexpr std::string_view kBegin = "BEGIN;\n";
    pg::Result r = conn_.TryExecScript(std::string(kBegin) + f.sql);
    if (!r.ok()) {
      pg::QueryError e = conn_.MakeError(r, f.path);
      if (conn_.Alive() && conn_.InTransaction()) conn_.TryExec("ROLLBACK");
      if (e.exit_code() == kExitPrecondition) throw e;
      int pos = e.position() > static_cast<int>(kBegin.size()) ? e.position() - static_cast<int>(kBegin.size()) : 0;
      throw Error("migration " + Where(f, 0, pos) + " failed: " + ServerMessage(e) +
                  "; rolled back: the schema and the history are as before it; fix the file and apply again");
    }
    try {
      row.execution_time_ms = MsSince(t0);
      row.success = true;
      history.Insert(row);
      conn_.Exec("COMMIT");
    } catch (...) {
      if (conn_.Alive() && conn_.InTransaction()) conn_.TryExec("ROLLBACK");
      throw;
    }
    return row.execution_time_ms;
  }
  // Without a transaction: record the attempt as failed first, so that a failure or a kill leaves a row that
  // blocks further runs until someone checks the database and runs repair.
  row.success = false;
  long long rank = history.Insert(row);
  for (const Statement& s : SplitStatements(f.sql)) {
    pg::Result r = conn_.TryExecScript(std::string(s.text));
    if (!r.ok()) {
      pg::QueryError e = conn_.MakeError(r, f.path);
      if (conn_.Alive()) history.UpdateFailedTime(rank, MsSince(t0));
      if (e.exit_code() == kExitPrecondition) throw e;
      throw Error("migration " + Where(f, s.offset, e.position()) + " failed: " + ServerMessage(e) +
                  "; it runs without a transaction (" + kNoTransactionDirective +
                  "), so earlier statements may have taken effect; it is recorded as failed: check the database, "
                  "fix the file, then run `capstan migrate repair` and apply again");
    }
  }
  long long ms = MsSince(t0);
  history.MarkSucceeded(rank, ms);
  return ms;
}

// Every command that changes the history: the session settings, and the report's header.
RunReport Engine::StartReport(const char* command) {
  SetUpSession();
  RunReport rep;
  rep.command = command;
  rep.database = conn_.description();
  rep.table = history_.qualified_name();
  return rep;
}

// The session advisory lock that serialises runs on one history table (released by the server if we die).
pg::AdvisoryLock Engine::LockHistory() {
  return pg::AdvisoryLock(conn_, pg::AdvisoryKey("migrate:" + history_.qualified_name()), options_.lock_wait,
                          "the migration lock of " + history_.qualified_name());
}

RunReport Engine::Apply() {
  auto t0 = Clock::now();
  RunReport rep = StartReport("apply");
  pg::AdvisoryLock lock = LockHistory();
  HistoryState st = ReadState(true);
  rep.previous_version = VersionText(st.Current());
  std::vector<std::string> problems = Problems(st);
  std::vector<Step> steps = Pending(st, &problems);
  if (!problems.empty()) {
    for (const auto& p : problems) log::Error(p);
    throw Error("nothing applied: " + problems.front() +
                (problems.size() > 1 ? " (and " + std::to_string(problems.size() - 1) + " more problems above)" : ""));
  }
  if (steps.empty()) log::Info("schema is up to date", {{"version", rep.previous_version.value_or("none")}});
  std::optional<Version> current = st.Current();
  for (size_t i = 0; i < steps.size(); ++i) {
    Step& s = steps[i];
    log::Debug("applying migration", {{"script", s.file->filename}, {"type", s.type}});
    try {
      s.execution_time_ms = RunOne(*s.file, s.type, history_);
    } catch (const Error& e) {
      rep.status = "failed";
      rep.failed_script = s.file->filename;
      rep.error = e.what();
      rep.current_version = VersionText(current);
      rep.total_ms = MsSince(t0);
      if (e.exit_code() == kExitPrecondition) throw;
      throw MigrationFailed(e.what(), rep);
    }
    if (s.file->name.version && (!current || *current < *s.file->name.version)) current = s.file->name.version;
    log::Fields fields{{"script", s.file->filename}};
    if (s.file->name.version) fields.emplace_back("version", s.file->name.version->text());
    fields.emplace_back("duration_ms", s.execution_time_ms);
    fields.emplace_back("progress", std::to_string(i + 1) + "/" + std::to_string(steps.size()));
    log::Info("applied migration", fields);
    rep.steps.push_back(s);
  }
  rep.status = steps.empty() ? "up-to-date" : "ok";
  rep.current_version = VersionText(current);
  rep.total_ms = MsSince(t0);
  return rep;
}

RunReport Engine::Baseline(const Version& version, const std::string& description) {
  auto t0 = Clock::now();
  RunReport rep = StartReport("baseline");
  pg::AdvisoryLock lock = LockHistory();
  HistoryState st = ReadState(true);
  if (!st.applied.empty() || st.baseline || !st.failed.empty()) {
    throw Error("cannot baseline " + rep.table + " on " + rep.database + ": the history already records " +
                (st.baseline ? "a baseline at version " + st.baseline->version.value_or("?")
                             : std::to_string(st.rows.size()) + " rows") +
                "; baseline adopts a database that has no history yet");
  }
  HistoryRow row;
  row.version = version.text();
  row.description = description;
  row.type = "baseline";
  row.script = "<< baseline >>";
  row.installed_by = InstalledBy();
  row.success = true;
  history_.Insert(row);
  rep.previous_version = std::nullopt;
  rep.current_version = version.text();
  rep.status = "ok";
  rep.actions.push_back("recorded baseline at version " + version.text() + ": versioned migrations up to it are "
                        "treated as applied");
  log::Info("baselined", {{"version", version.text()}, {"table", rep.table}});
  rep.total_ms = MsSince(t0);
  return rep;
}

RunReport Engine::Repair() {
  auto t0 = Clock::now();
  RunReport rep = StartReport("repair");
  pg::AdvisoryLock lock = LockHistory();
  HistoryState st = ReadState(true);
  rep.previous_version = VersionText(st.Current());
  pg::Transaction tx(conn_);
  for (const auto& r : st.failed) {
    rep.actions.push_back("removed the failed entry of " + r.script + " (" + r.installed_on + ")");
    log::Info("repair: removing failed history entry", {{"script", r.script}, {"installed_on", r.installed_on}});
  }
  if (!st.failed.empty()) history_.DeleteFailed();
  for (const auto& [v, r] : st.applied) {
    const MigrationFile* f = set_.FindVersioned(v);
    if (f && (f->checksum != r.checksum || f->name.description != r.description)) {
      history_.UpdateChecksum(r.installed_rank, f->checksum, f->name.description, f->filename);
      if (f->checksum != r.checksum)
        rep.actions.push_back("accepted the current content of " + f->filename + " (checksum " +
                              r.checksum.substr(0, 12) + " -> " + f->checksum.substr(0, 12) + ")");
      if (f->name.description != r.description)
        rep.actions.push_back("accepted the new name of " + r.script + ": " + f->filename);
      log::Info("repair: realigned checksum", {{"script", f->filename}, {"checksum", f->checksum}});
    }
  }
  tx.Commit();
  for (const auto& [v, r] : st.applied)
    if (!set_.FindVersioned(v))
      log::Warn("repair leaves a missing migration as it is: restore the file", {{"script", r.script}});
  rep.current_version = rep.previous_version;
  rep.status = rep.actions.empty() ? "up-to-date" : "ok";
  rep.total_ms = MsSince(t0);
  return rep;
}

RunReport Engine::Undo() {
  auto t0 = Clock::now();
  RunReport rep = StartReport("undo");
  pg::AdvisoryLock lock = LockHistory();
  HistoryState st = ReadState(true);
  rep.previous_version = VersionText(st.Current());
  std::vector<std::string> problems = Problems(st);
  if (!problems.empty()) {
    for (const auto& p : problems) log::Error(p);
    throw Error("nothing undone: " + problems.front());
  }
  auto latest = st.MaxApplied();
  if (!latest) throw Error("nothing to undo: " + rep.table + " on " + rep.database + " records no applied version");
  if (st.baseline && st.baseline->version) {
    auto b = Version::Parse(*st.baseline->version);
    if (b && *latest <= *b) throw Error("nothing to undo above the baseline " + b->text());
  }
  const MigrationFile* u = set_.FindUndo(*latest);
  if (!u)
    throw Error("cannot undo version " + latest->text() + ": no undo file U" + latest->text() + "__<description>.sql in " +
                set_.dir);
  Step s{u, "undo", "undo", 0};
  try {
    s.execution_time_ms = RunOne(*u, "undo", history_);
  } catch (const Error& e) {
    rep.status = "failed";
    rep.failed_script = u->filename;
    rep.error = e.what();
    rep.current_version = rep.previous_version;
    rep.total_ms = MsSince(t0);
    if (e.exit_code() == kExitPrecondition) throw;
    throw MigrationFailed(e.what(), rep);
  }
  log::Info("undid migration", {{"script", u->filename}, {"version", latest->text()}, {"duration_ms", s.execution_time_ms}});
  rep.steps.push_back(s);
  st = history_.Read();
  rep.current_version = VersionText(st.Current());
  rep.status = "ok";
  rep.total_ms = MsSince(t0);
  return rep;
}

StatusReport Engine::Status() {
  StatusReport rep;
  rep.database = conn_.description();
  rep.table = history_.qualified_name();
  rep.table_exists = history_.Exists();
  HistoryState st = ReadState(false);
  rep.current_version = VersionText(st.Current());
  rep.problems = Problems(st);
  Pending(st, &rep.problems);
  std::optional<Version> base;
  if (st.baseline && st.baseline->version) base = Version::Parse(*st.baseline->version);
  auto from_row = [](StatusEntry& e, const HistoryRow& r) {
    e.applied_checksum = r.checksum;
    e.installed_on = r.installed_on;
    e.installed_by = r.installed_by;
    e.execution_time_ms = r.execution_time_ms;
  };
  if (st.baseline) {
    StatusEntry e{st.baseline->version.value_or(""), st.baseline->description, "baseline", st.baseline->script,
                  "baseline", "", "", "", "", -1};
    from_row(e, *st.baseline);
    rep.entries.push_back(e);
  }
  // Versioned: every file, plus applied versions whose file is gone, in version order.
  std::map<Version, StatusEntry> versioned;
  for (const auto& f : set_.versioned) {
    const Version& v = *f.name.version;
    StatusEntry e{v.text(), f.name.description, "versioned", f.filename, "pending", f.checksum, "", "", "", -1};
    auto it = st.applied.find(v);
    if (it != st.applied.end()) {
      from_row(e, it->second);
      e.state = it->second.checksum == f.checksum ? "applied" : "changed";
    } else if (base && v <= *base) {
      e.state = "below-baseline";
    } else {
      for (const auto& r : st.failed)
        if (r.version && Version::Parse(*r.version) == v) {
          from_row(e, r);
          e.state = "failed";
        }
      if (e.state == "pending" && st.MaxApplied() && v < *st.MaxApplied()) e.state = "out-of-order";
    }
    versioned.emplace(v, e);
  }
  for (const auto& [v, r] : st.applied) {
    if (versioned.count(v)) continue;
    StatusEntry e{v.text(), r.description, "versioned", r.script, "missing", "", "", "", "", -1};
    from_row(e, r);
    versioned.emplace(v, e);
  }
  for (auto& [v, e] : versioned) rep.entries.push_back(std::move(e));
  for (const auto& f : set_.repeatable) {
    StatusEntry e{"", f.name.description, "repeatable", f.filename, "pending", f.checksum, "", "", "", -1};
    auto it = st.repeatables.find(f.name.description);
    if (it != st.repeatables.end()) {
      from_row(e, it->second);
      e.state = it->second.checksum == f.checksum ? "applied" : "outdated";
    }
    rep.entries.push_back(e);
  }
  for (const auto& [d, r] : st.repeatables) {
    if (set_.FindRepeatable(d)) continue;
    StatusEntry e{"", d, "repeatable", r.script, "missing", "", "", "", "", -1};
    from_row(e, r);
    rep.entries.push_back(e);
  }
  return rep;
}

}  // namespace capstan::migrate
