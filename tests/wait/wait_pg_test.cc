// `capstan wait` with postgres: conditions against the real PostgreSQL of tests/harness/pg.sh: PG* environment,
// URL + password file + verify-full TLS, a wrong password (never printed), the schema version written by the real
// `capstan migrate apply` (not reached, reached while waiting, no history yet), an unreachable server.
#include <catch2/catch.hpp>

#include <thread>

#include "support/pg_fixture.h"
#include "support/test_support.h"

using namespace capstan::test;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> Wait(std::initializer_list<std::string> conds, const std::string& timeout = "20s") {
  std::vector<std::string> a = {"wait", "--timeout", timeout, "--initial-interval", "200ms", "--max-interval", "500ms",
                                "--"};
  a.insert(a.end(), conds);
  return a;
}

void Migrations(const TempDir& dir, int upto) {
  for (int v = 1; v <= upto; ++v) {
    std::string n = std::to_string(v);
    std::string name = "V";
    name.append(n).append("__step").append(n).append(".sql");
    std::string sql = "CREATE TABLE t";
    sql.append(n).append(" (id int);\n");
    dir.Write(name, sql);
  }
}

ProcessResult Migrate(const PgDatabase& db, const TempDir& dir) {
  return db.Capstan({"migrate", "apply", "-d", dir.path()});
}

}  // namespace

TEST_CASE("postgres: holds with the PG* environment alone", "[pg]") {
  PgDatabase db("wait");
  auto r = db.Capstan(Wait({"postgres://"}));
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("condition holds"));
}

TEST_CASE("postgres: URL, password-file and ca= (verify-full TLS), the password never printed", "[pg]") {
  PgDatabase db("wait");
  auto env = PgEnv();
  std::string url = "postgres://" + env["PGUSER"] + "@127.0.0.1:" + env["PGPORT"] + "/" + db.name();
  std::string ok = url + " (password-file=" + env["CAPSTAN_TEST_PG_PWFILE"] + ", ca=" + env["CAPSTAN_TEST_PG_CA"] + ")";
  auto r = db.Capstan(Wait({ok}), {}, {"PGPASSWORD", "PGHOST", "PGPORT", "PGDATABASE"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("ssl=on"));
  CHECK_THAT(r.err, !Catch::Contains(env["PGPASSWORD"]));

  // A CA that did not sign the server certificate: verification fails, the wait times out naming why.
  std::string other = url + " (password-file=" + env["CAPSTAN_TEST_PG_PWFILE"] + ", ca=" +
                      env["CAPSTAN_TEST_PG_OTHER_CA"] + ")";
  auto bad_ca = db.Capstan(Wait({other}, "2s"), {}, {"PGPASSWORD"});
  CHECK(bad_ca.exit_code == 1);
  CHECK_THAT(bad_ca.err, Catch::Contains("certificate verify failed"));

  TempDir dir;
  std::string wrong = dir.Write("pw", "wrong-password-7731\n");
  auto start = Clock::now();
  auto r2 = db.Capstan(Wait({url + " (password-file=" + wrong + ")"}, "2s"), {}, {"PGPASSWORD"});
  CHECK(r2.exit_code == 1);
  CHECK(Clock::now() - start < milliseconds(2000 + 3000));
  CHECK_THAT(r2.err, Catch::Contains("password authentication failed"));
  CHECK_THAT(r2.err, !Catch::Contains("wrong-password-7731"));
  CHECK_THAT(r2.err, Catch::Contains("timed out after"));
}

TEST_CASE("postgres: schema>= reads the history the real capstan migrate writes", "[pg]") {
  PgDatabase db("wait");
  TempDir migrations;
  auto none = db.Capstan(Wait({"postgres:// (schema>=1)"}, "1s"));
  CHECK(none.exit_code == 1);
  CHECK_THAT(none.err, Catch::Contains("no migration applied yet"));

  Migrations(migrations, 2);
  auto m = Migrate(db, migrations);
  REQUIRE(m.exit_code == 0);
  CHECK(db.Capstan(Wait({"postgres:// (schema>=2)"})).exit_code == 0);
  CHECK(db.Capstan(Wait({"postgres:// (schema>=V1.9)"})).exit_code == 0);  // 2 > 1.9
  auto behind = db.Capstan(Wait({"postgres:// (schema>=3)"}, "1500ms"));
  CHECK(behind.exit_code == 1);
  CHECK_THAT(behind.err, Catch::Contains("schema version 2 < 3"));

  // Waiting for version 3 while the migration runs: holds once it is applied.
  ProcessResult waited;
  std::thread waiter([&] { waited = db.Capstan(Wait({"postgres:// (schema>=3)"}, "30s")); });
  std::this_thread::sleep_for(milliseconds(1500));
  Migrations(migrations, 3);
  auto m3 = Migrate(db, migrations);
  waiter.join();
  CHECK(m3.exit_code == 0);
  INFO(waited.err);
  CHECK(waited.exit_code == 0);
  CHECK_THAT(waited.err, Catch::Contains("schema version 2 < 3"));
  CHECK_THAT(waited.err, Catch::Contains("schema version 3 >= 3"));
}

TEST_CASE("postgres: an unreachable server times out with the connection error", "[pg]") {
  PgDatabase db("wait");
  auto r = db.Capstan(Wait({"postgres://127.0.0.1:1/x"}, "1s"));
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("postgres://127.0.0.1:1/x"));
  CHECK_THAT(r.err, Catch::Contains("refused"));
}
