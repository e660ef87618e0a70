// The release `capstan` is fully static and runs from an EMPTY root directory (no libc, no /etc/passwd), as in a
// scratch image: `migrate apply` and `status` against the harness server over verify-full TLS inside a chroot
// holding only the binary, the migrations and the CA; without a user it fails with a clear message. Release build
// only (the sanitizer build links dynamically). Needs root for chroot (CI runs as root).
#include <catch2/catch.hpp>

#if CAPSTAN_STATIC_BUILD
#include <unistd.h>

#include <filesystem>

#include "support/pg_fixture.h"

using namespace capstan::test;
namespace fs = std::filesystem;

TEST_CASE("capstan is statically linked") {
  auto r = Run({"ldd", Binary("capstan")});
  CHECK((r.out + r.err).find("not a dynamic executable") != std::string::npos);
}

TEST_CASE("capstan migrate works in an empty chroot with no /etc/passwd") {
  REQUIRE(::geteuid() == 0);  // chroot needs root; CI runs as root
  PgDatabase db("mig_chroot");
  TempDir root;
  fs::copy_file(Binary("capstan"), root.path() + "/capstan");
  fs::permissions(root.path() + "/capstan", fs::perms::owner_all);
  auto env = PgEnv();
  fs::copy_file(env["CAPSTAN_TEST_PG_CA"], root.path() + "/ca.crt");
  root.Write("m/V1__a.sql", "CREATE TABLE a (x int);\n");
  REQUIRE_FALSE(fs::exists(root.path() + "/etc"));
  REQUIRE_FALSE(fs::exists(root.path() + "/lib"));
  std::vector<std::string> base{"chroot", root.path(), "/capstan", "migrate"};
  auto run = [&](std::vector<std::string> args, bool with_user) {
    std::vector<std::string> argv = base;
    for (auto& a : args) argv.push_back(a);
    ProcessOptions o;
    o.env = {{"PGHOST", "127.0.0.1"}, {"PGPORT", env["PGPORT"]}, {"PGPASSWORD", env["PGPASSWORD"]},
             {"PGDATABASE", db.name()}, {"PGSSLMODE", "verify-full"}, {"PGSSLROOTCERT", "/ca.crt"}};
    if (with_user) o.env["PGUSER"] = env["PGUSER"];
    o.unset_env = {"HOME", "KUBERNETES_SERVICE_HOST", "CAPSTAN_LOG_FORMAT"};
    if (!with_user) o.unset_env.push_back("PGUSER");
    o.timeout = std::chrono::seconds(60);
    return Run(argv, o);
  };
  auto st = run({"status", "-d", "/m", "-o", "json"}, true);
  INFO("exit " << st.exit_code << "\n" << st.out << "\n" << st.err);
  REQUIRE(st.exit_code == 0);
  CHECK(st.out.find("\"state\": \"pending\"") != std::string::npos);
  auto ap = run({"apply", "-d", "/m"}, true);
  INFO("exit " << ap.exit_code << "\n" << ap.out << "\n" << ap.err);
  REQUIRE(ap.exit_code == 0);
  CHECK(ap.out.find("ssl=on") != std::string::npos);
  auto nouser = run({"status", "-d", "/m"}, false);
  INFO("exit " << nouser.exit_code << "\n" << nouser.out << "\n" << nouser.err);
  CHECK(nouser.exit_code == 2);
  CHECK(nouser.err.find("no database user given") != std::string::npos);
  CHECK(nouser.err.find("set PGUSER") != std::string::npos);
  CHECK(nouser.err.find("could not look up local user ID") == std::string::npos);
}
#endif
