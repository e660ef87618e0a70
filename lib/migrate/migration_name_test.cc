// Unit tests: migration file names, version ordering, the SQL statement splitter, the no-transaction directive,
// loading a ConfigMap-style directory, and what history rows add up to.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "migrate/history_table.h"
#include "migrate/migration_dir.h"
#include "migrate/migration_name.h"
#include "migrate/sql_split.h"
#include "migrate/version.h"
#include "support/test_support.h"
#include "util/error.h"

using namespace capstan;
using namespace capstan::migrate;

namespace {
Version V(const char* s) {
  auto v = Version::Parse(s);
  REQUIRE(v);
  return *v;
}
}  // namespace

TEST_CASE("versioned, undo and repeatable file names parse") {
  auto m = ParseMigrationName("V1__init.sql");
  REQUIRE(m);
  CHECK(m->kind == Kind::kVersioned);
  CHECK(m->version->text() == "1");
  CHECK(m->description == "init");

  m = ParseMigrationName("V2026.01.05__add_users_table.sql");
  REQUIRE(m);
  CHECK(m->version->text() == "2026.01.05");
  CHECK(m->description == "add users table");

  m = ParseMigrationName("V1_2__x.sql");
  REQUIRE(m);
  CHECK(m->version->text() == "1.2");

  m = ParseMigrationName("U3__drop_users.sql");
  REQUIRE(m);
  CHECK(m->kind == Kind::kUndo);
  CHECK(m->version->text() == "3");

  m = ParseMigrationName("R__views.sql");
  REQUIRE(m);
  CHECK(m->kind == Kind::kRepeatable);
  CHECK_FALSE(m->version);
  CHECK(m->description == "views");

  m = ParseMigrationName("V4__.sql");  // an empty description is allowed for versioned files
  REQUIRE(m);
  CHECK(m->description.empty());
}

TEST_CASE("malformed file names are rejected with the reason") {
  std::string why;
  CHECK_FALSE(ParseMigrationName("V1_init.sql", &why));
  CHECK(why.find("__") != std::string::npos);
  CHECK_FALSE(ParseMigrationName("Va__x.sql", &why));
  CHECK(why.find("invalid version") != std::string::npos);
  CHECK_FALSE(ParseMigrationName("V1..2__x.sql", &why));
  CHECK_FALSE(ParseMigrationName("V1.__x.sql", &why));
  CHECK_FALSE(ParseMigrationName("V__x.sql", &why));
  CHECK_FALSE(ParseMigrationName("v1__x.sql", &why));
  CHECK(why.find("prefix") != std::string::npos);
  CHECK_FALSE(ParseMigrationName("R1__x.sql", &why));
  CHECK_FALSE(ParseMigrationName("R__.sql", &why));
  CHECK_FALSE(ParseMigrationName("V1__x.txt", &why));
  CHECK_FALSE(ParseMigrationName(".sql", &why));
}

TEST_CASE("versions compare numerically part by part") {
  CHECK(V("1") < V("2"));
  CHECK(V("1.2") < V("1.10"));
  CHECK(V("1.9") < V("1.10"));
  CHECK(V("2") < V("10"));
  CHECK(V("1") == V("1.0"));
  CHECK(V("1.0.0") == V("1"));
  CHECK(V("01") == V("1"));
  CHECK(V("2026.01.05") < V("2026.1.6"));
  CHECK(V("2026.01.05") > V("2025.12.31"));
  CHECK(V("99999999999999999999999999") > V("99999999999999999999999998"));  // no overflow
  CHECK(V("1.2.3") > V("1.2"));
  CHECK_FALSE(Version::Parse(""));
  CHECK_FALSE(Version::Parse("1a"));
  CHECK_FALSE(Version::Parse("-1"));
  std::vector<Version> vs{V("10"), V("1.10"), V("1.2"), V("2026.01.05"), V("1"), V("2")};
  std::sort(vs.begin(), vs.end());
  std::vector<std::string> texts;
  for (const auto& v : vs) texts.push_back(v.text());
  CHECK(texts == std::vector<std::string>{"1", "1.2", "1.10", "2", "10", "2026.01.05"});
}

TEST_CASE("the splitter splits at top-level semicolons only") {
  auto s = SplitStatements(
      "-- header; comment\nCREATE INDEX CONCURRENTLY a ON t(x);\n"
      "SELECT 'a;b', E'it\\'s;', \"we;ird\" FROM t; /* c; /* nested; */ still; */\n"
      "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n"
      "DO $$ BEGIN PERFORM 1; END $$;\n  ;  -- trailing comment only\n");
  REQUIRE(s.size() == 4);
  CHECK(s[0].text == "CREATE INDEX CONCURRENTLY a ON t(x)");
  CHECK(s[1].text == "SELECT 'a;b', E'it\\'s;', \"we;ird\" FROM t");
  CHECK(s[2].text == "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql");
  CHECK(s[3].text == "DO $$ BEGIN PERFORM 1; END $$");
  CHECK(s[0].offset == std::string("-- header; comment\n").size());
  CHECK(SplitStatements("SELECT 1").size() == 1);
  CHECK(SplitStatements("  -- nothing\n/* here */").empty());
  CHECK(SplitStatements("SELECT $1; SELECT a$b;").size() == 2);  // $1 and a$b are not dollar quotes
  CHECK(SplitStatements("SELECT 'unterminated; still string").size() == 1);
}

TEST_CASE("the no-transaction directive is a comment line of its own") {
  CHECK(HasNoTransactionDirective("-- capstan:no-transaction\nCREATE INDEX CONCURRENTLY i ON t(x);"));
  CHECK(HasNoTransactionDirective("  --capstan:no-transaction  \r\nSELECT 1;"));
  CHECK_FALSE(HasNoTransactionDirective("SELECT 1; -- capstan:no-transaction please"));
  CHECK_FALSE(HasNoTransactionDirective("SELECT '-- capstan:no-transaction-x';"));
}

TEST_CASE("a ConfigMap directory is read through its ..data symlinks") {
  test::TempDir t;
  namespace fs = std::filesystem;
  t.Write("..2026_01_05_10_00_00.123456789/V1__init.sql", "CREATE TABLE a(x int);\n");
  t.Write("..2026_01_05_10_00_00.123456789/V1.10__later.sql", "SELECT 1;\n");
  t.Write("..2026_01_05_10_00_00.123456789/V1.2__earlier.sql", "SELECT 2;\n");
  t.Write("..2026_01_05_10_00_00.123456789/R__views.sql", "SELECT 3;\n");
  t.Write("..2026_01_05_10_00_00.123456789/U1.10__later.sql", "SELECT 4;\n");
  t.Write("..2026_01_05_10_00_00.123456789/README.md", "not a migration\n");
  fs::create_directory_symlink("..2026_01_05_10_00_00.123456789", t.path() + "/..data");
  for (const char* f : {"V1__init.sql", "V1.10__later.sql", "V1.2__earlier.sql", "R__views.sql", "U1.10__later.sql",
                        "README.md"})
    fs::create_symlink(std::string("..data/") + f, t.path() + "/" + f);
  MigrationSet set = LoadMigrations(t.path());
  REQUIRE(set.versioned.size() == 3);  // the ..-prefixed directory is not read a second time
  CHECK(set.versioned[0].filename == "V1__init.sql");
  CHECK(set.versioned[1].filename == "V1.2__earlier.sql");
  CHECK(set.versioned[2].filename == "V1.10__later.sql");
  CHECK(set.versioned[0].checksum == "31dfe83f65a0b08c741c3ec55eee8342bbad0ee7a2e81e1f1bc79c5261cb27b8");  // sha256sum of the file
  REQUIRE(set.repeatable.size() == 1);
  REQUIRE(set.undo.size() == 1);
  CHECK(set.FindUndo(*Version::Parse("1.10")) != nullptr);
  CHECK(set.FindVersioned(*Version::Parse("1.2.0"))->filename == "V1.2__earlier.sql");
}

TEST_CASE("directory errors name the file") {
  test::TempDir t;
  t.Write("V1__a.sql", "SELECT 1;");
  t.Write("V1.0__b.sql", "SELECT 1;");
  try {
    LoadMigrations(t.path());
    FAIL("duplicate versions accepted");
  } catch (const UsageError& e) {
    CHECK(std::string(e.what()).find("V1.0__b.sql") != std::string::npos);
    CHECK(std::string(e.what()).find("same version") != std::string::npos);
  }
  test::TempDir t2;
  t2.Write("V1-init.sql", "SELECT 1;");
  try {
    LoadMigrations(t2.path());
    FAIL("bad name accepted");
  } catch (const UsageError& e) {
    CHECK(std::string(e.what()).find("V1-init.sql") != std::string::npos);
  }
  CHECK_THROWS_AS(LoadMigrations(t2.path() + "/missing"), UsageError);
  test::TempDir t3;
  std::filesystem::create_symlink("..data/V1__gone.sql", t3.path() + "/V1__gone.sql");
  CHECK_THROWS_AS(LoadMigrations(t3.path()), UsageError);
}

TEST_CASE("history rows add up to applied, undone, failed and baseline state") {
  auto row = [](long long rank, std::optional<std::string> v, std::string type, bool ok, std::string desc = "d") {
    HistoryRow r;
    r.installed_rank = rank;
    r.version = std::move(v);
    r.type = std::move(type);
    r.success = ok;
    r.description = std::move(desc);
    return r;
  };
  auto st = Summarise({row(1, "1", "baseline", true), row(2, "1.10", "versioned", true),
                       row(3, "1.9", "versioned", true), row(4, "1.10", "undo", true),
                       row(5, std::nullopt, "repeatable", true, "views"), row(6, "2", "versioned", false)});
  CHECK(st.applied.size() == 1);
  CHECK(st.MaxApplied()->text() == "1.9");
  CHECK(st.Current()->text() == "1.9");
  CHECK(st.failed.size() == 1);
  CHECK(st.repeatables.count("views") == 1);
  auto st2 = Summarise({row(1, "5", "baseline", true), row(2, "3", "versioned", true)});
  CHECK(st2.Current()->text() == "5");
  CHECK_FALSE(Summarise({}).Current());
}
