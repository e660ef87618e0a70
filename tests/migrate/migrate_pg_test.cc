// `capstan migrate` against the real PostgreSQL of tests/harness/pg.sh, through the real binary: apply from empty,
// re-apply, concurrent runs, kill -9 in the middle, failures, checksum tampering, baseline, repeatable and undo
// migrations, out-of-order and target, the no-transaction directive and repair, the ConfigMap layout, hostile
// names, and the lock wait.
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include <rapidjson/document.h>

#include "migrate/history.h"
#include "pg/advisory_lock.h"
#include "util/strings.h"
#include "support/pg_fixture.h"

using namespace capstan;
using namespace capstan::test;
namespace fs = std::filesystem;

namespace {

rapidjson::Document Json(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str());
  INFO(text);
  REQUIRE_FALSE(d.HasParseError());
  return d;
}

// version|type|success rows of the history, in installed order.
std::vector<std::string> History(pg::Connection& c, const std::string& table = "capstan_schema_history") {
  auto r = c.Exec("SELECT coalesce(version, '-') || '|' || type || '|' || success::text FROM " + table +
                  " ORDER BY installed_rank");
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(r.Text(i, 0));
  return out;
}

bool TableExists(pg::Connection& c, const std::string& name) {
  return c.Exec("SELECT to_regclass($1) IS NOT NULL", {name}).Text(0, 0) == "t";
}

std::string Describe(const ProcessResult& r) {
  return "exit " + std::to_string(r.exit_code) + " signal " + std::to_string(r.signal) + "\nstdout:\n" + r.out +
         "\nstderr:\n" + r.err;
}

void Basic(const TempDir& dir) {
  dir.Write("m/V1__create_users.sql", "CREATE TABLE users (id int PRIMARY KEY, name text);\n"
                                      "INSERT INTO users VALUES (1, 'ann'), (2, 'bob');\n");
  dir.Write("m/V1.1__add_email.sql", "ALTER TABLE users ADD COLUMN email text;\n");
  dir.Write("m/V2__orders.sql", "CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users(id));\n");
  dir.Write("m/R__user_names.sql", "CREATE OR REPLACE VIEW user_names AS SELECT name FROM users;\n");
}

}  // namespace

TEST_CASE("apply from empty applies everything in version order, then re-apply is a no-op") {
  PgDatabase db("mig_apply");
  TempDir t;
  Basic(t);
  t.Write("m/V1.10__after_1_2.sql", "ALTER TABLE users ADD COLUMN c110 int;\n");
  t.Write("m/V1.2__before_1_10.sql", "ALTER TABLE users ADD COLUMN c12 int;\n");
  auto r = db.Capstan({"migrate", "apply", "-d", t.path() + "/m"});
  INFO(Describe(r));
  REQUIRE(r.exit_code == 0);
  auto j = Json(r.out);
  CHECK(std::string(j["status"].GetString()) == "ok");
  CHECK(std::string(j["current_version"].GetString()) == "2");
  REQUIRE(j["applied"].Size() == 6);
  CHECK(std::string(j["applied"][2]["script"].GetString()) == "V1.2__before_1_10.sql");
  CHECK(std::string(j["applied"][3]["script"].GetString()) == "V1.10__after_1_2.sql");
  CHECK(r.err.find("applied migration script=V1__create_users.sql version=1 duration_ms=") != std::string::npos);
  auto c = db.Connect();
  CHECK(History(c) == std::vector<std::string>{"1|versioned|true", "1.1|versioned|true", "1.2|versioned|true",
                                               "1.10|versioned|true", "2|versioned|true", "-|repeatable|true"});
  auto row = c.Exec("SELECT description, script, checksum, installed_by, execution_time_ms >= 0, installed_on <= now() "
                    "FROM capstan_schema_history WHERE version = '1'");
  CHECK(row.Text(0, 0) == "create users");
  CHECK(row.Text(0, 1) == "V1__create_users.sql");
  CHECK(row.Text(0, 2).size() == 64);
  CHECK(row.Text(0, 3) == "postgres");
  CHECK(row.Text(0, 4) == "t");
  CHECK(row.Text(0, 5) == "t");
  CHECK(migrate::CurrentVersion(c) == std::optional<std::string>("2"));

  auto again = db.Capstan({"migrate", "apply", "-d", t.path() + "/m"});
  INFO(Describe(again));
  REQUIRE(again.exit_code == 0);
  auto j2 = Json(again.out);
  CHECK(std::string(j2["status"].GetString()) == "up-to-date");
  CHECK(j2["applied"].Size() == 0);
  CHECK(History(c).size() == 6);

  auto st = db.Capstan({"migrate", "status", "-d", t.path() + "/m", "-o", "json"});
  REQUIRE(st.exit_code == 0);
  auto js = Json(st.out);
  CHECK(js["migrations"].Size() == 6);
  for (auto& m : js["migrations"].GetArray()) CHECK(std::string(m["state"].GetString()) == "applied");
  auto text = db.Capstan({"migrate", "status", "-d", t.path() + "/m", "-o", "text"});
  CHECK(text.out.find("1.10        after 1 2") != std::string::npos);
}

TEST_CASE("CurrentVersion is empty without a history table") {
  PgDatabase db("mig_cur");
  auto c = db.Connect();
  CHECK_FALSE(migrate::CurrentVersion(c));
  CHECK_FALSE(migrate::CurrentVersion(c, "other_schema.history"));
}

TEST_CASE("two processes applying at once apply each migration exactly once") {
  PgDatabase db("mig_race");
  TempDir t;
  t.Write("m/V1__a.sql", "CREATE TABLE a (x int);\n");
  t.Write("m/V2__slow.sql", "SELECT pg_sleep(1.5);\nCREATE TABLE b (x int);\n");
  t.Write("m/V3__c.sql", "CREATE TABLE c (x int);\nINSERT INTO c VALUES (1);\n");
  t.Write("m/R__count.sql", "INSERT INTO c VALUES (2);\n");  // would duplicate if it ran twice
  auto run = [&]() { return db.Capstan({"migrate", "apply", "-d", t.path() + "/m"}); };
  auto f1 = std::async(std::launch::async, run);
  auto f2 = std::async(std::launch::async, run);
  auto r1 = f1.get();
  auto r2 = f2.get();
  INFO(Describe(r1) + "\n----\n" + Describe(r2));
  CHECK(r1.exit_code == 0);
  CHECK(r2.exit_code == 0);
  auto c = db.Connect();
  CHECK(History(c) == std::vector<std::string>{"1|versioned|true", "2|versioned|true", "3|versioned|true",
                                               "-|repeatable|true"});
  CHECK(c.Exec("SELECT count(*) FROM c").Text(0, 0) == "2");
  // One of them waited for the other and said who held the lock.
  std::string both = r1.err + r2.err;
  CHECK(both.find("waiting for the migration lock") != std::string::npos);
  CHECK(both.find("holder='pid ") != std::string::npos);
  CHECK(both.find("application 'capstan migrate'") != std::string::npos);
  auto j1 = Json(r1.out);
  auto j2 = Json(r2.out);
  CHECK(j1["applied"].Size() + j2["applied"].Size() == 4);
}

TEST_CASE("kill -9 during a long migration leaves no lock and no half-applied state") {
  PgDatabase db("mig_kill");
  TempDir t;
  t.Write("m/V1__a.sql", "CREATE TABLE a (x int);\n");
  t.Write("m/V2__long.sql", "CREATE TABLE half_done (x int);\nSELECT pg_sleep(30);\n");
  std::string pidfile = t.path() + "/pid";
  auto env = db.Env();
  std::vector<std::string> argv{"/bin/sh", "-c",
                                "echo $$ > " + pidfile + "; exec " + Binary("capstan") + " migrate apply -d " +
                                    t.path() + "/m"};
  auto fut = std::async(std::launch::async, [&]() {
    ProcessOptions o;
    o.env = env;
    o.unset_env = {"PGSSLMODE", "PGSSLROOTCERT"};
    o.timeout = std::chrono::seconds(60);
    return Run(argv, o);
  });
  auto c = db.Connect();
  bool sleeping = false;
  for (int i = 0; i < 200 && !sleeping; ++i) {  // up to 20 s
    sleeping = c.Exec("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                      "AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()").Text(0, 0) == "1";
    if (!sleeping) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(sleeping);
  pid_t pid = static_cast<pid_t>(std::stol(Slurp(pidfile)));
  REQUIRE(::kill(pid, SIGKILL) == 0);
  auto killed = fut.get();
  CHECK(killed.signal == SIGKILL);
  // The server notices the dead client (client_connection_check_interval) and frees the lock within seconds,
  // long before pg_sleep(30) would end.
  auto t0 = std::chrono::steady_clock::now();
  bool free = false;
  for (int i = 0; i < 100 && !free; ++i) {  // up to 10 s
    free = c.Exec("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                  "(SELECT oid FROM pg_database WHERE datname = current_database())").Text(0, 0) == "0";
    if (!free) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(free);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));
  CHECK_FALSE(TableExists(c, "half_done"));
  CHECK(History(c) == std::vector<std::string>{"1|versioned|true"});
  // The re-run (with the long wait removed from the still-unapplied file) completes with a consistent history.
  t.Write("m/V2__long.sql", "CREATE TABLE half_done (x int);\n");
  auto r = db.Capstan({"migrate", "apply", "-d", t.path() + "/m"});
  INFO(Describe(r));
  CHECK(r.exit_code == 0);
  CHECK(TableExists(c, "half_done"));
  CHECK(History(c) == std::vector<std::string>{"1|versioned|true", "2|versioned|true"});
}

TEST_CASE("a failing migration leaves the schema and the history as before it") {
  PgDatabase db("mig_fail");
  TempDir t;
  t.Write("m/V1__a.sql", "CREATE TABLE a (x int);\n");
  REQUIRE(db.Capstan({"migrate", "apply", "-d", t.path() + "/m"}).exit_code == 0);
  t.Write("m/V2__bad.sql", "CREATE TABLE b (x int);\nINSERT INTO a VALUES (1);\n\nINSERT INTO missing_table VALUES (1);\n");
  t.Write("m/V3__never.sql", "CREATE TABLE never (x int);\n");
  auto r = db.Capstan({"migrate", "apply", "-d", t.path() + "/m"});
  INFO(Describe(r));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("V2__bad.sql:4:13 failed: relation \"missing_table\" does not exist (SQLSTATE 42P01)") !=
        std::string::npos);
  auto j = Json(r.out);
  CHECK(std::string(j["status"].GetString()) == "failed");
  CHECK(std::string(j["failed_script"].GetString()) == "V2__bad.sql");
  auto c = db.Connect();
  CHECK_FALSE(TableExists(c, "b"));
  CHECK_FALSE(TableExists(c, "never"));
  CHECK(c.Exec("SELECT count(*) FROM a").Text(0, 0) == "0");
  CHECK(History(c) == std::vector<std::string>{"1|versioned|true"});
  // Fixed, it applies.
  t.Write("m/V2__bad.sql", "CREATE TABLE b (x int);\n");
  CHECK(db.Capstan({"migrate", "apply", "-d", t.path() + "/m"}).exit_code == 0);
  CHECK(History(c).size() == 3);
}

TEST_CASE("checksum tampering and missing files are caught by validate, plan and apply") {
  PgDatabase db("mig_sum");
  TempDir t;
  Basic(t);
  REQUIRE(db.Capstan({"migrate", "apply", "-d", t.path() + "/m"}).exit_code == 0);
  CHECK(db.Capstan({"migrate", "validate", "-d", t.path() + "/m"}).exit_code == 0);
  t.Write("m/V1.1__add_email.sql", "ALTER TABLE users ADD COLUMN email varchar(10);\n");
  t.Write("m/V3__new.sql", "CREATE TABLE new_one (x int);\n");
  auto v = db.Capstan({"migrate", "validate", "-d", t.path() + "/m"});
  INFO(Describe(v));
  CHECK(v.exit_code == 1);
  CHECK(v.err.find("V1.1__add_email.sql: changed after it was applied") != std::string::npos);
  auto a = db.Capstan({"migrate", "apply", "-d", t.path() + "/m"});
  CHECK(a.exit_code == 1);
  CHECK(a.err.find("V1.1__add_email.sql") != std::string::npos);
  CHECK(db.Capstan({"migrate", "plan", "-d", t.path() + "/m"}).exit_code == 1);
  auto c = db.Connect();
  CHECK_FALSE(TableExists(c, "new_one"));  // nothing ran
  fs::remove(t.path() + "/m/V2__orders.sql");
  v = db.Capstan({"migrate", "validate", "-d", t.path() + "/m"});
  CHECK(v.exit_code == 1);
  CHECK(v.err.find("V2__orders.sql: version 2 was applied") != std::string::npos);
  CHECK(v.err.find("missing") != std::string::npos);
  // repair accepts the changed file; the missing one still fails until restored.
  CHECK(db.Capstan({"migrate", "repair", "-d", t.path() + "/m"}).exit_code == 0);
  CHECK(db.Capstan({"migrate", "validate", "-d", t.path() + "/m"}).exit_code == 1);
  Basic(t);
  t.Write("m/V1.1__add_email.sql", "ALTER TABLE users ADD COLUMN email varchar(10);\n");
  v = db.Capstan({"migrate", "validate", "-d", t.path() + "/m"});
  INFO(Describe(v));
  CHECK(v.exit_code == 0);
  CHECK(db.Capstan({"migrate", "apply", "-d", t.path() + "/m"}).exit_code == 0);
  CHECK(TableExists(c, "new_one"));
}

TEST_CASE("an applied file that was renamed is caught by validate and apply, repair accepts the new name") {
  PgDatabase db("mig_rename");
  TempDir t;
  Basic(t);
  REQUIRE(db.Capstan({"migrate", "apply", "-d", t.path() + "/m"}).exit_code == 0);
  // Same content, new description: the checksum alone cannot notice it (Flyway reports a description mismatch).
  fs::rename(t.path() + "/m/V1.1__add_email.sql", t.path() + "/m/V1.1__add_mail_column.sql");
  auto v = db.Capstan({"migrate", "validate", "-d", t.path() + "/m"});
  INFO(Describe(v));
  CHECK(v.exit_code == 1);
  CHECK(v.err.find("V1.1__add_mail_column.sql: renamed after it was applied") != std::string::npos);
  CHECK(v.err.find("'V1.1__add_email.sql'") != std::string::npos);
  CHECK(db.Capstan({"migrate", "apply", "-d", t.path() + "/m"}).exit_code == 1);
  auto r = db.Capstan({"migrate", "repair", "-d", t.path() + "/m"});
  INFO(Describe(r));
  CHECK(r.exit_code == 0);
  v = db.Capstan({"migrate", "validate", "-d", t.path() + "/m"});
  INFO(Describe(v));
  CHECK(v.exit_code == 0);
  auto c = db.Connect();
  auto res = c.Exec("SELECT script, description FROM capstan_schema_history WHERE version = '1.1'");
  REQUIRE(res.rows() == 1);
  CHECK(res.Text(0, 0) == "V1.1__add_mail_column.sql");
  CHECK(res.Text(0, 1) == "add mail column");
}

TEST_CASE("baseline adopts an existing schema") {
  PgDatabase db("mig_base");
  auto c = db.Connect();
  c.Exec("CREATE TABLE users (id int PRIMARY KEY, name text, email text)");
  c.Exec("CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users(id))");
  TempDir t;
  Basic(t);
  t.Write("m/V3__invoices.sql", "CREATE TABLE invoices (id int PRIMARY KEY, order_id int REFERENCES orders(id));\n");
  auto b = db.Capstan({"migrate", "baseline", "-d", t.path() + "/m", "--version", "2"});
  INFO(Describe(b));
  REQUIRE(b.exit_code == 0);
  CHECK(migrate::CurrentVersion(c) == std::optional<std::string>("2"));
  auto p = db.Capstan({"migrate", "plan", "-d", t.path() + "/m", "-o", "json"});
  REQUIRE(p.exit_code == 0);
  auto jp = Json(p.out);
  REQUIRE(jp["pending"].Size() == 2);
  CHECK(std::string(jp["pending"][0]["script"].GetString()) == "V3__invoices.sql");
  auto a = db.Capstan({"migrate", "apply", "-d", t.path() + "/m"});
  INFO(Describe(a));
  REQUIRE(a.exit_code == 0);
  CHECK(TableExists(c, "invoices"));
  CHECK(History(c) == std::vector<std::string>{"2|baseline|true", "3|versioned|true", "-|repeatable|true"});
  auto st = Json(db.Capstan({"migrate", "status", "-d", t.path() + "/m", "-o", "json"}).out);
  CHECK(std::string(st["migrations"][1]["state"].GetString()) == "below-baseline");
  // A second baseline is refused.
  CHECK(db.Capstan({"migrate", "baseline", "-d", t.path() + "/m", "--version", "3"}).exit_code == 1);
}

TEST_CASE("repeatable migrations are re-applied when their checksum changes") {
  PgDatabase db("mig_rep");
  TempDir t;
  Basic(t);
  REQUIRE(db.Capstan({"migrate", "apply", "-d", t.path() + "/m"}).exit_code == 0);
  auto c = db.Connect();
  t.Write("m/R__user_names.sql", "CREATE OR REPLACE VIEW user_names AS SELECT name, id FROM users;\n");
  auto p = Json(db.Capstan({"migrate", "plan", "-d", t.path() + "/m", "-o", "json"}).out);
  REQUIRE(p["pending"].Size() == 1);
  CHECK(std::string(p["pending"][0]["reason"].GetString()) == "changed");
  auto st = Json(db.Capstan({"migrate", "status", "-d", t.path() + "/m", "-o", "json"}).out);
  CHECK(std::string(st["migrations"][3]["state"].GetString()) == "outdated");
  REQUIRE(db.Capstan({"migrate", "apply", "-d", t.path() + "/m"}).exit_code == 0);
  CHECK(c.Exec("SELECT count(*) FROM information_schema.columns WHERE table_name = 'user_names'").Text(0, 0) == "2");
  CHECK(History(c).back() == "-|repeatable|true");
  CHECK(c.Exec("SELECT count(*) FROM capstan_schema_history WHERE type = 'repeatable'").Text(0, 0) == "2");
  auto again = Json(db.Capstan({"migrate", "apply", "-d", t.path() + "/m"}).out);
  CHECK(again["applied"].Size() == 0);
}

TEST_CASE("apply up to a target version, out of order, and undo") {
  PgDatabase db("mig_order");
  TempDir t;
  t.Write("m/V1__a.sql", "CREATE TABLE a (x int);\n");
  t.Write("m/V3__c.sql", "CREATE TABLE c (x int);\n");
  t.Write("m/U3__c.sql", "DROP TABLE c;\n");
  auto r = Json(db.Capstan({"migrate", "apply", "-d", t.path() + "/m", "--target", "1"}).out);
  CHECK(std::string(r["current_version"].GetString()) == "1");
  REQUIRE(db.Capstan({"migrate", "apply", "-d", t.path() + "/m"}).exit_code == 0);
  t.Write("m/V2__b.sql", "CREATE TABLE b (x int);\n");
  auto refused = db.Capstan({"migrate", "apply", "-d", t.path() + "/m"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("V2__b.sql: version 2 is pending but version 3 is already applied") != std::string::npos);
  auto ooo = db.Capstan({"migrate", "apply", "-d", t.path() + "/m", "--out-of-order"});
  INFO(Describe(ooo));
  REQUIRE(ooo.exit_code == 0);
  auto c = db.Connect();
  CHECK(TableExists(c, "b"));
  auto u = db.Capstan({"migrate", "undo", "-d", t.path() + "/m"});
  INFO(Describe(u));
  REQUIRE(u.exit_code == 0);
  CHECK(std::string(Json(u.out)["current_version"].GetString()) == "2");
  CHECK_FALSE(TableExists(c, "c"));
  CHECK(migrate::CurrentVersion(c) == std::optional<std::string>("2"));
  auto no_undo = db.Capstan({"migrate", "undo", "-d", t.path() + "/m"});
  CHECK(no_undo.exit_code == 1);
  CHECK(no_undo.err.find("no undo file U2__") != std::string::npos);
  REQUIRE(db.Capstan({"migrate", "apply", "-d", t.path() + "/m"}).exit_code == 0);  // V3 again
  CHECK(TableExists(c, "c"));
}

TEST_CASE("a failed no-transaction migration blocks further runs until repair") {
  PgDatabase db("mig_notx");
  TempDir t;
  t.Write("m/V1__a.sql", "CREATE TABLE a (x int, y int);\n");
  t.Write("m/V2__idx.sql", "-- capstan:no-transaction\nCREATE INDEX CONCURRENTLY a_x ON a (x);\n"
                           "CREATE INDEX CONCURRENTLY a_z ON a (x) WHERE WHERE;\n");
  auto r = db.Capstan({"migrate", "apply", "-d", t.path() + "/m"});
  INFO(Describe(r));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("V2__idx.sql:3:46 failed: syntax error at or near \"WHERE\" (SQLSTATE 42601)") != std::string::npos);
  CHECK(r.err.find("repair") != std::string::npos);
  auto c = db.Connect();
  CHECK(History(c) == std::vector<std::string>{"1|versioned|true", "2|versioned|false"});
  CHECK(c.Exec("SELECT count(*) FROM pg_indexes WHERE indexname = 'a_x'").Text(0, 0) == "1");  // it did run
  t.Write("m/V2__idx.sql", "-- capstan:no-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS a_x ON a (x);\n"
                           "CREATE INDEX CONCURRENTLY a_y ON a (y);\n");
  auto blocked = db.Capstan({"migrate", "apply", "-d", t.path() + "/m"});
  CHECK(blocked.exit_code == 1);
  CHECK(blocked.err.find("V2__idx.sql: version 2 failed") != std::string::npos);
  CHECK(db.Capstan({"migrate", "validate", "-d", t.path() + "/m"}).exit_code == 1);
  auto st = Json(db.Capstan({"migrate", "status", "-d", t.path() + "/m", "-o", "json"}).out);
  CHECK(std::string(st["migrations"][1]["state"].GetString()) == "failed");
  REQUIRE(db.Capstan({"migrate", "repair", "-d", t.path() + "/m"}).exit_code == 0);
  CHECK(History(c) == std::vector<std::string>{"1|versioned|true"});
  auto ok = db.Capstan({"migrate", "apply", "-d", t.path() + "/m"});
  INFO(Describe(ok));
  REQUIRE(ok.exit_code == 0);
  CHECK(History(c) == std::vector<std::string>{"1|versioned|true", "2|versioned|true"});
  CHECK(c.Exec("SELECT count(*) FROM pg_indexes WHERE indexname IN ('a_x', 'a_y')").Text(0, 0) == "2");
}

TEST_CASE("migrations load from a ConfigMap's ..data symlink layout, and a ConfigMap update applies") {
  PgDatabase db("mig_cm");
  TempDir t;
  std::string m = t.path() + "/m";
  auto populate = [&](const std::string& stamp, std::vector<std::pair<std::string, std::string>> files) {
    for (auto& [name, body] : files) t.Write("m/" + stamp + "/" + name, body);
    // kubelet: write the new timestamped directory, swap ..data atomically, then link the file names.
    fs::create_directory_symlink(stamp, m + "/..data_tmp");
    fs::rename(m + "/..data_tmp", m + "/..data");
    for (auto& [name, body] : files)
      if (!fs::is_symlink(m + "/" + name)) fs::create_symlink("..data/" + name, m + "/" + name);
  };
  populate("..2026_01_05_10_00_00.000000001", {{"V1__a.sql", "CREATE TABLE a (x int);\n"}});
  auto r = db.Capstan({"migrate", "apply", "-d", m});
  INFO(Describe(r));
  REQUIRE(r.exit_code == 0);
  CHECK(Json(r.out)["applied"].Size() == 1);
  populate("..2026_01_06_10_00_00.000000002",
           {{"V1__a.sql", "CREATE TABLE a (x int);\n"}, {"V2__b.sql", "CREATE TABLE b (x int);\n"}});
  r = db.Capstan({"migrate", "apply", "-d", m});
  INFO(Describe(r));
  REQUIRE(r.exit_code == 0);
  auto j = Json(r.out);
  REQUIRE(j["applied"].Size() == 1);
  CHECK(std::string(j["applied"][0]["script"].GetString()) == "V2__b.sql");
}

TEST_CASE("SQL injection through a description or the history table name is harmless") {
  PgDatabase db("mig_inj");
  TempDir t;
  t.Write("m/V1__users.sql", "CREATE TABLE users (id int);\n");
  t.Write("m/V2__x'); DROP TABLE users; --.sql", "SELECT 1;\n");
  std::string evil = "hist\"; DROP TABLE users; --";
  auto r = db.Capstan({"migrate", "apply", "-d", t.path() + "/m", "--history-table", evil});
  INFO(Describe(r));
  REQUIRE(r.exit_code == 0);
  auto c = db.Connect();
  CHECK(TableExists(c, "users"));
  auto q = c.Exec("SELECT description FROM public." + c.EscapeIdentifier(evil) + " WHERE version = '2'");
  CHECK(q.Text(0, 0) == "x'); DROP TABLE users; --");
  CHECK(migrate::CurrentVersion(c, evil) == std::optional<std::string>("2"));
  // A schema-qualified name whose schema does not exist yet is created.
  t.Write("m2/V1__noop.sql", "SELECT 1;\n");
  r = db.Capstan({"migrate", "apply", "-d", t.path() + "/m2", "--history-table", "meta';--.history"});
  INFO(Describe(r));
  REQUIRE(r.exit_code == 0);
  CHECK(migrate::CurrentVersion(c, "meta';--.history") == std::optional<std::string>("1"));
  CHECK(db.Capstan({"migrate", "status", "-d", t.path() + "/m", "--history-table", "a.b.c"}).exit_code == 2);
}

TEST_CASE("a held migration lock is waited for, up to --lock-wait-timeout, naming the holder") {
  PgDatabase db("mig_lock");
  TempDir t;
  t.Write("m/V1__a.sql", "CREATE TABLE a (x int);\n");
  auto holder = db.Connect();
  holder.Exec("SET application_name = 'test-holder'");
  holder.Exec("SELECT pg_advisory_lock($1::bigint)",
              {std::to_string(pg::AdvisoryKey("migrate:public.capstan_schema_history"))});
  auto r = db.Capstan({"migrate", "apply", "-d", t.path() + "/m", "--lock-wait-timeout", "1s"});
  INFO(Describe(r));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("timed out after 1.0s waiting for the migration lock") != std::string::npos);
  CHECK(r.err.find("application 'test-holder'") != std::string::npos);
  holder.Exec("SELECT pg_advisory_unlock_all()");
  CHECK(db.Capstan({"migrate", "apply", "-d", t.path() + "/m"}).exit_code == 0);
}

TEST_CASE("usage errors exit 2 before touching the database") {
  PgDatabase db("mig_usage");
  TempDir t;
  t.Write("m/V1-bad.sql", "SELECT 1;\n");
  auto r = db.Capstan({"migrate", "apply", "-d", t.path() + "/m"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("V1-bad.sql") != std::string::npos);
  CHECK(db.Capstan({"migrate", "apply"}).exit_code == 2);
  CHECK(db.Capstan({"migrate", "baseline", "-d", t.path()}).exit_code == 2);
  CHECK(db.Capstan({"migrate", "apply", "-d", t.path(), "--target", "x1"}).exit_code == 2);
}

TEST_CASE("with --log-format json every stderr line is JSON, server notices and failures included") {
  PgDatabase db("mig_json");
  TempDir t;
  t.Write("m/V1__a.sql", "DROP TABLE IF EXISTS not_there;\nCREATE TABLE a (x int);\n");  // NOTICE from the server
  t.Write("m/V2__bad.sql", "CREATE TABLE b (x int);\nSELEC 1;\n");                         // syntax error
  auto r = db.Capstan({"migrate", "apply", "-d", t.path() + "/m", "--log-format", "json", "-v"});
  INFO(Describe(r));
  CHECK(r.exit_code == 1);
  int lines = 0;
  for (const auto& line : Split(r.err, '\n', true)) {
    rapidjson::Document d;
    d.Parse(line.c_str());
    INFO(line);
    CHECK_FALSE(d.HasParseError());
    ++lines;
  }
  CHECK(lines >= 3);
  CHECK(r.err.find("does not exist, skipping") != std::string::npos);  // the notice, as a log line
  CHECK(r.err.find("V2__bad.sql:2:1 failed: syntax error at or near \\\"SELEC\\\"") != std::string::npos);
}
