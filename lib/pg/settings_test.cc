// Unit tests for connection settings: redaction of passwords, precedence of flags over the URL over PG* variables,
// and line/column of server error positions.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "pg/result.h"
#include "pg/settings.h"
#include "support/test_support.h"
#include "util/error.h"

using namespace capstan;

TEST_CASE("passwords are redacted from connection strings") {
  CHECK(pg::RedactConnInfo("postgres://app:s3cr3t@db:5432/app?sslmode=verify-full") ==
        "postgres://app:***@db:5432/app?sslmode=verify-full");
  CHECK(pg::RedactConnInfo("postgresql://app@db/app") == "postgresql://app@db/app");
  CHECK(pg::RedactConnInfo("host=db password=s3cr3t user=app") == "host=db password=*** user=app");
  CHECK(pg::RedactConnInfo("host=db password = 'a b\\' c' user=app") == "host=db password = *** user=app");
  CHECK(pg::RedactConnInfo("postgres://db/app?password=s3cr3t&sslmode=require") ==
        "postgres://db/app?password=***&sslmode=require");
}

TEST_CASE("descriptions never carry the password and follow flag > URL > environment") {
  ::setenv("PGHOST", "env-host", 1);
  ::setenv("PGUSER", "env-user", 1);
  ::setenv("PGPASSWORD", "env-secret", 1);
  pg::Settings s;
  s.url = "postgres://url-user:url-secret@url-host:6543/urldb?sslmode=verify-full";
  std::string d = pg::Describe(s);
  CHECK(d == "host=url-host port=6543 dbname=urldb user=url-user sslmode=verify-full");
  s.host = "flag-host";
  CHECK(pg::Describe(s).find("host=flag-host") != std::string::npos);
  CHECK(pg::Describe(s).find("secret") == std::string::npos);
  s.url = "postgres://u:topsecret@h/db?nosuchparam=1";  // invalid URL: the error must not echo the password
  bool threw = false;
  try {
    pg::ConnectParams(s);
  } catch (const UsageError& e) {
    threw = true;
    CHECK(std::string(e.what()).find("topsecret") == std::string::npos);
    CHECK(std::string(e.what()).find("nosuchparam") != std::string::npos);
  }
  CHECK(threw);
  ::unsetenv("PGHOST");
  ::unsetenv("PGUSER");
  ::unsetenv("PGPASSWORD");
}

TEST_CASE("the password file is read, its content never echoed") {
  test::TempDir t;
  pg::Settings s;
  s.user = "u";
  s.password_file = t.Write("pw", "hunter2-secret\n");
  auto kv = pg::ConnectParams(s);
  bool found = false;
  for (const auto& [k, v] : kv)
    if (k == "password") found = v == "hunter2-secret";
  CHECK(found);
  s.password_file = t.path() + "/missing";
  CHECK_THROWS_AS(pg::ConnectParams(s), UsageError);
  s.password_file = t.Write("empty", "\n");
  CHECK_THROWS_AS(pg::ConnectParams(s), UsageError);
}

TEST_CASE("server error positions map to line and column") {
  std::string sql = "SELECT 1;\nSELEC 2;\n-- é\nSELECT x;";
  auto lc = pg::PositionToLineCol(sql, 11);
  CHECK(lc.line == 2);
  CHECK(lc.column == 1);
  lc = pg::PositionToLineCol(sql, 25);  // 'S' of the last line; "é" is one character of two bytes
  CHECK(lc.line == 4);
  CHECK(lc.column == 1);
  CHECK(pg::PositionToLineCol(sql, 0).line == 0);
}
