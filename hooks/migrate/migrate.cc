// `capstan migrate`: database schema migrations as a pre-upgrade hook (plan, apply, status, validate, baseline,
// repair, undo). Parses flags and calls lib/migrate; see docs/migrate.md.
#include <unistd.h>

#include <iostream>
#include <memory>

#include "hooks/command.h"
#include "log/log.h"
#include "migrate/engine.h"
#include "migrate/history.h"
#include "pg/flags.h"
#include "util/duration.h"
#include "util/error.h"
#include "util/file_io.h"

namespace capstan::hooks {
namespace {

struct MigrateFlags {
  pg::ConnectionFlags db;
  std::string dir;
  std::string table = migrate::kDefaultHistoryTable;
  std::string lock_wait = "5m";
  std::string statement_timeout;
  std::string lock_timeout;
  std::string installed_by;
  std::string target;
  bool out_of_order = false;
  std::string output;
  std::string baseline_version;
  std::string baseline_description = "baseline";
};

void Print(const std::string& s) { WriteAll(1, s); }

bool TextOutput(const std::string& output) {
  if (output.empty()) return ::isatty(1) != 0;
  return output == "text";
}

migrate::Version ParseVersionFlag(const std::string& flag, const std::string& text) {
  auto v = migrate::Version::Parse(text);
  if (!v) throw UsageError("invalid " + flag + " " + text + ": use digits separated by dots (1, 1.2, 2026.01.05)");
  return *v;
}

int Run(const MigrateFlags& f, const std::string& command) {
  if (f.dir.empty()) throw UsageError("no migrations directory: pass --migrations-dir DIR (or CAPSTAN_MIGRATIONS_DIR)");
  migrate::Options o;
  o.table = f.table;
  o.lock_wait = ParseDuration(f.lock_wait);
  if (!f.statement_timeout.empty()) o.statement_timeout = ParseDuration(f.statement_timeout);
  if (!f.lock_timeout.empty()) o.lock_timeout = ParseDuration(f.lock_timeout);
  o.installed_by = f.installed_by;
  o.out_of_order = f.out_of_order;
  if (!f.target.empty()) o.target = ParseVersionFlag("--target", f.target);
  std::optional<migrate::Version> baseline;
  if (command == "baseline") baseline = ParseVersionFlag("--version", f.baseline_version);
  migrate::MigrationSet set = migrate::LoadMigrations(f.dir);  // bad files fail before we touch the database
  pg::Connection conn = pg::Connection::Open(f.db.Resolve("capstan migrate"));
  log::Debug("connected", {{"database", conn.description()}, {"server_version", conn.ServerVersion()}});
  migrate::Engine engine(conn, std::move(set), o);
  if (command == "plan") {
    auto p = engine.Plan();
    Print(TextOutput(f.output) ? migrate::PlanText(p) : migrate::PlanJson(p));
    return kExitOk;
  }
  if (command == "status") {
    auto s = engine.Status();
    Print(TextOutput(f.output) ? migrate::StatusText(s) : migrate::StatusJson(s));
    return kExitOk;
  }
  if (command == "validate") {
    auto problems = engine.Validate();
    for (const auto& p : problems) log::Error(p);
    if (!problems.empty())
      throw Error("validation failed: " + std::to_string(problems.size()) + " problem(s), first: " + problems.front());
    log::Info("validated: applied migrations match their files", {{"directory", f.dir}});
    return kExitOk;
  }
  try {
    migrate::RunReport r;
    if (command == "apply") r = engine.Apply();
    else if (command == "baseline") r = engine.Baseline(*baseline, f.baseline_description);
    else if (command == "repair") r = engine.Repair();
    else r = engine.Undo();
    Print(migrate::RunReportJson(r));
  } catch (const migrate::MigrationFailed& e) {
    Print(migrate::RunReportJson(e.report()));
    throw;
  }
  return kExitOk;
}

Runner Setup(CLI::App& app) {
  auto f = std::make_shared<MigrateFlags>();
  app.description(
      "Database schema migrations, safe as a pre-upgrade hook: a session advisory lock serialises concurrent runs, "
      "each migration runs in its own transaction with its history row.\n"
      "Example: capstan migrate apply --migrations-dir /migrations --password-file /secrets/db/password");
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("-d,--migrations-dir", f->dir, "Directory of V<version>__<desc>.sql, R__<desc>.sql, U<version>__<desc>.sql "
                 "(a mounted ConfigMap is fine)")->envname("CAPSTAN_MIGRATIONS_DIR");
  app.add_option("--history-table", f->table, "History table, name or schema.name (default capstan_schema_history)")
      ->envname("CAPSTAN_HISTORY_TABLE");
  app.add_option("--lock-wait-timeout", f->lock_wait, "Wait this long for another run's migration lock (default 5m)")
      ->envname("CAPSTAN_LOCK_WAIT_TIMEOUT");
  app.add_option("--statement-timeout", f->statement_timeout, "Cancel a statement that runs longer (e.g. 10m)")
      ->envname("CAPSTAN_STATEMENT_TIMEOUT");
  app.add_option("--lock-timeout", f->lock_timeout, "Fail a migration that waits longer for a table lock (e.g. 10s)")
      ->envname("CAPSTAN_LOCK_TIMEOUT");
  app.add_option("--installed-by", f->installed_by, "Name recorded in the history (default: the database user)");
  f->db.Add(app);

  struct Sub {
    const char* name;
    const char* summary;
  };
  const Sub subs[] = {
      {"plan", "Show what apply would run, with checksums; changes nothing\n"
               "Example: capstan migrate plan -d migrations -o text"},
      {"apply", "Apply pending migrations; prints a JSON summary\n"
                "Example: capstan migrate apply -d /migrations --target 2026.01.05"},
      {"status", "List migrations and their state\nExample: capstan migrate status -d migrations -o json"},
      {"validate", "Fail (exit 1), naming the file, when an applied migration changed or disappeared\n"
                   "Example: capstan migrate validate -d migrations"},
      {"baseline", "Adopt an existing database at a version (migrations up to it count as applied)\n"
                   "Example: capstan migrate baseline -d migrations --version 3"},
      {"repair", "Remove failed entries and accept changed checksums of applied migrations\n"
                 "Example: capstan migrate repair -d migrations"},
      {"undo", "Run the U file of the latest applied version\nExample: capstan migrate undo -d migrations"},
  };
  auto which = std::make_shared<std::string>();
  for (const auto& s : subs) {
    CLI::App* sub = app.add_subcommand(s.name, s.summary);
    std::string name = s.name;
    sub->fallthrough();
    sub->callback([which, name]() { *which = name; });
    if (name == "plan" || name == "apply") {
      sub->add_option("--target", f->target, "Apply versions up to this one only");
      sub->add_flag("--out-of-order", f->out_of_order,
                    "Also apply pending versions lower than the highest applied one");
    }
    if (name == "plan" || name == "status")
      sub->add_option("-o,--output", f->output, "text (default on a terminal) or json")
          ->check(CLI::IsMember({"text", "json"}));
    if (name == "baseline") {
      sub->add_option("--version", f->baseline_version, "Version the existing schema is at")->required();
      sub->add_option("--description", f->baseline_description, "Description of the baseline entry");
    }
  }
  return [f, which]() { return Run(*f, *which); };
}

Registration reg("migrate", "Apply database schema migrations safely (plan, apply, status, validate, baseline, repair, undo)",
                 Setup);

}  // namespace
}  // namespace capstan::hooks
