// lib/wait reads postgres:// URLs and schema>= versions without libpq or lib/migrate (the post-renderer validates
// postgres: conditions too); here, where both are linked, the two readings are compared on the same inputs.
#include <catch2/catch.hpp>
#include <libpq-fe.h>

#include "migrate/version.h"
#include "util/strings.h"
#include "wait/kinds.h"

using namespace capstan;

namespace {

struct LibpqReading {
  bool ok = false;
  std::string error, host;
  bool sets_sslmode = false;
  std::string password_key;
};

LibpqReading Libpq(const std::string& url) {
  LibpqReading r;
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (!opts) {
    r.error = err ? std::string(Trim(err)) : "out of memory";
    if (err) PQfreemem(err);
    return r;
  }
  r.ok = true;
  for (PQconninfoOption* o = opts; o->keyword; ++o) {
    if (!o->val || !*o->val) continue;
    std::string k = o->keyword;
    if (k == "host") r.host = o->val;
    if (k == "sslmode") r.sets_sslmode = true;
    if (k == "password" || k == "passfile") r.password_key = k;
  }
  PQconninfoFree(opts);
  return r;
}

}  // namespace

TEST_CASE("ParsePostgresUrl agrees with libpq's PQconninfoParse") {
  const char* urls[] = {
      "postgres://",
      "postgres://db",
      "postgres://db:5432/portal",
      "postgresql://app@db:5432/portal?sslmode=verify-full&connect_timeout=3",
      "postgres://app:secret@db/portal",
      "postgres://app:@db/portal",
      "postgres://h1,h2:5433,[::1]:5434/x",
      "postgres://[::1]/x",
      "postgres://[::1",
      "postgres://[]/x",
      "postgres://[::1]x/",
      "postgres://db/x?foo=1",
      "postgres://db/x?ssl",
      "postgres://db/x?a=b=c",
      "postgres://db/x?ssl=true",
      "postgres://db/x?ssl=false",
      "postgres://db/x?requiressl=1",
      "postgres://db/x?sslmode=",
      "postgres://db/x?sslmode=require&",
      "postgres://db/x?passfile=/p",
      "postgres://db/x?password=p",
      "postgres://db/x?host=other",
      "postgres://db/d%zz",
      "postgres://db/d%00",
      "postgres://d%62/x",
      "postgres://db/x?applic%61tion_name=a%20b",
      "postgres://db?sslmode=disable",
      "postgres://db/",
      "postgres:///x",
      "postgres://@db/x",
      "postgres://u%zz@db/x",
      "postgres://u%zz:p%zz@db/x",
      "postgres://db:%zz/x",
      "postgres://h1,h2%zz/x",
      "postgres://db/x?&",
      "postgres://db/x?a&b",
      "postgres://db/x?%zz=1",
      "postgres://db/x?sslmode=%00",
      "postgresql://db",
  };
  for (const char* url : urls) {
    INFO(url);
    LibpqReading want = Libpq(url);
    wait::detail::PostgresUrl got;
    std::string error;
    bool ok = wait::detail::ParsePostgresUrl(url, got, error);
    CHECK(ok == want.ok);
    if (!want.ok) {
      CHECK(error == want.error);
      continue;
    }
    CHECK(got.host == want.host);
    CHECK(got.sets_sslmode == want.sets_sslmode);
    CHECK(got.password_key == want.password_key);
  }
}

TEST_CASE("ValidMigrationVersion accepts what migrate::Version::Parse accepts") {
  for (const char* v : {"1", "12", "1.2", "1_2", "2026.01.05", "007", "", ".", "1.", ".1", "1..2", "1._2", "v1", "1a",
                        "1.2.3.4.5", " 1", "1 "}) {
    INFO(v);
    CHECK(wait::detail::ValidMigrationVersion(v) == migrate::Version::Parse(v).has_value());
  }
}
