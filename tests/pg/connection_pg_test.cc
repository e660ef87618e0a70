// lib/pg against the real PostgreSQL of tests/harness/pg.sh: TLS with verify-full and the harness CA (and a wrong CA),
// the password from a file and never in any output, the bounded retry and exit 3 for an unreachable server,
// parameterised statements, identifier quoting, transactions and advisory locks.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <poll.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "pg/advisory_lock.h"
#include "pg/transaction.h"
#include "support/pg_fixture.h"
#include "util/error.h"

using namespace capstan;
using namespace capstan::test;

namespace {

std::string Describe(const ProcessResult& r) {
  return "exit " + std::to_string(r.exit_code) + "\nstdout:\n" + r.out + "\nstderr:\n" + r.err;
}

// A loopback port with nothing listening on it.
std::string DeadPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return std::to_string(ntohs(a.sin_port));
}

// A loopback TCP relay that starts listening on `port` only after `delay`, then forwards every connection to the
// real server: "the database is not reachable yet, then it is". Bounded: it stops when destroyed.
class LateRelay {
 public:
  LateRelay(int port, int target_port, std::chrono::milliseconds delay)
      : thread_([=, this] { Serve(port, target_port, delay); }) {}
  ~LateRelay() {
    stop_ = true;
    thread_.join();
    for (auto& t : pipes_) t.join();
  }

 private:
  void Pipe(int a, int b) {
    char buf[16384];
    while (!stop_) {
      pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
      if (::poll(fds, 2, 100) <= 0) continue;
      bool done = false;
      for (int i = 0; i < 2 && !done; ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
        if (n <= 0 || ::write(fds[1 - i].fd, buf, static_cast<size_t>(n)) != n) done = true;
      }
      if (done) break;
    }
    ::close(a);
    ::close(b);
  }
  void Serve(int port, int target_port, std::chrono::milliseconds delay) {
    auto until = std::chrono::steady_clock::now() + delay;
    while (!stop_ && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    int ls = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port));
    if (::bind(ls, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(ls, 8) != 0) {
      ::close(ls);
      return;
    }
    while (!stop_) {
      pollfd p{ls, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      int c = ::accept(ls, nullptr, nullptr);
      if (c < 0) continue;
      int s = ConnectLoopback(target_port);
      if (s < 0) {
        ::close(c);
        continue;
      }
      pipes_.emplace_back([this, c, s] { Pipe(c, s); });
    }
    ::close(ls);
  }
  std::atomic<bool> stop_{false};
  std::vector<std::thread> pipes_;
  std::thread thread_;
};

}  // namespace

TEST_CASE("a server that becomes reachable during the retry window is used") {
  PgDatabase db("pg_late");
  TempDir t;
  t.Write("m/V1__a.sql", "CREATE TABLE a (x int);\n");
  std::string port = DeadPort();
  LateRelay relay(std::stoi(port), std::stoi(PgEnv()["PGPORT"]), std::chrono::milliseconds(1500));
  auto r = db.Capstan({"migrate", "apply", "-d", t.path() + "/m", "--connect-retry", "30s"}, {{"PGPORT", port}});
  INFO(Describe(r));
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("PostgreSQL not reachable yet, retrying") != std::string::npos);
  CHECK(r.out.find("\"current_version\": \"1\"") != std::string::npos);
}

TEST_CASE("TLS with sslmode=verify-full and the harness CA") {
  PgDatabase db("pg_tls");
  TempDir t;
  t.Write("m/V1__a.sql", "CREATE TABLE a (x int);\n");
  auto env = PgEnv();
  auto ok = db.Capstan({"migrate", "apply", "-d", t.path() + "/m", "--sslmode", "verify-full", "--sslrootcert",
                        env["CAPSTAN_TEST_PG_CA"]});
  INFO(Describe(ok));
  REQUIRE(ok.exit_code == 0);
  CHECK(ok.out.find("ssl=on") != std::string::npos);
  // The same through the standard variables.
  auto via_env = db.Capstan({"migrate", "status", "-d", t.path() + "/m", "-o", "json"},
                            {{"PGSSLMODE", "verify-full"}, {"PGSSLROOTCERT", env["CAPSTAN_TEST_PG_CA"]}});
  INFO(Describe(via_env));
  CHECK(via_env.exit_code == 0);
  // A CA that did not sign the server certificate fails at once (no retries), clearly, with exit 3.
  auto t0 = std::chrono::steady_clock::now();
  auto bad = db.Capstan({"migrate", "status", "-d", t.path() + "/m", "--sslmode", "verify-full", "--sslrootcert",
                         env["CAPSTAN_TEST_PG_OTHER_CA"]});
  INFO(Describe(bad));
  CHECK(bad.exit_code == 3);
  CHECK(bad.err.find("certificate verify failed") != std::string::npos);
  CHECK(bad.err.find("--sslrootcert") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
  // Library level.
  pg::Settings s = PgDatabase::SettingsFor(db.name());
  s.sslmode = "verify-full";
  s.sslrootcert = env["CAPSTAN_TEST_PG_CA"];
  pg::Connection c = pg::Connection::Open(s);
  CHECK(c.SslInUse());
  CHECK(c.Exec("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").Text(0, 0) == "t");
}

TEST_CASE("the password comes from a file and never appears in output") {
  PgDatabase db("pg_pw");
  TempDir t;
  t.Write("m/V1__a.sql", "CREATE TABLE a (x int);\n");
  auto env = PgEnv();
  const std::string password = env["PGPASSWORD"];
  REQUIRE(password.size() >= 8);
  auto ok = db.Capstan({"migrate", "apply", "-v", "-d", t.path() + "/m", "--password-file", env["CAPSTAN_TEST_PG_PWFILE"]},
                       {}, {"PGPASSWORD"});
  INFO(Describe(ok));
  REQUIRE(ok.exit_code == 0);
  CHECK(ok.out.find(password) == std::string::npos);
  CHECK(ok.err.find(password) == std::string::npos);
  CHECK(ok.err.find("connected") != std::string::npos);  // -v logs the (redacted) connection
  // Through CAPSTAN_PASSWORD_FILE too.
  auto via_env = db.Capstan({"migrate", "status", "-d", t.path() + "/m"},
                            {{"CAPSTAN_PASSWORD_FILE", env["CAPSTAN_TEST_PG_PWFILE"]}}, {"PGPASSWORD"});
  CHECK(via_env.exit_code == 0);
  // A wrong password: exit 3 at once, the attempted password nowhere.
  std::string wrong = t.Write("wrong", "Wr0ngSecretValue42\n");
  auto bad = db.Capstan({"migrate", "status", "-v", "-d", t.path() + "/m", "--password-file", wrong}, {}, {"PGPASSWORD"});
  INFO(Describe(bad));
  CHECK(bad.exit_code == 3);
  CHECK(bad.err.find("password authentication failed") != std::string::npos);
  CHECK(bad.err.find("Wr0ngSecretValue42") == std::string::npos);
  CHECK(bad.out.find("Wr0ngSecretValue42") == std::string::npos);
  // A password inside a URL is not echoed either.
  auto url = db.Capstan({"migrate", "status", "-v", "-d", t.path() + "/m", "--database-url",
                         "postgres://postgres:UrlSecretValue77@127.0.0.1:" + env["PGPORT"] + "/" + db.name()},
                        {}, {"PGPASSWORD"});
  INFO(Describe(url));
  CHECK(url.exit_code == 3);
  CHECK(url.err.find("UrlSecretValue77") == std::string::npos);
  // A missing password file is a usage error naming the path.
  auto missing = db.Capstan({"migrate", "status", "-d", t.path() + "/m", "--password-file", t.path() + "/nope"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find(t.path() + "/nope") != std::string::npos);
}

TEST_CASE("an unreachable server is retried with backoff, then exit 3") {
  PgDatabase db("pg_down");
  TempDir t;
  t.Write("m/V1__a.sql", "SELECT 1;\n");
  auto t0 = std::chrono::steady_clock::now();
  auto r = db.Capstan({"migrate", "status", "-d", t.path() + "/m", "--connect-retry", "2s"}, {{"PGPORT", DeadPort()}});
  auto took = std::chrono::steady_clock::now() - t0;
  INFO(Describe(r));
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("PostgreSQL not reachable yet, retrying") != std::string::npos);
  CHECK(r.err.find("cannot connect to PostgreSQL at host=127.0.0.1") != std::string::npos);
  CHECK(r.err.find("attempts over") != std::string::npos);
  CHECK(took >= std::chrono::milliseconds(1000));
  CHECK(took < std::chrono::seconds(15));
  auto once = db.Capstan({"migrate", "status", "-d", t.path() + "/m", "--connect-retry", "0"}, {{"PGPORT", DeadPort()}});
  CHECK(once.exit_code == 3);
  CHECK(once.err.find("retrying") == std::string::npos);
}

TEST_CASE("statements are parameterised, identifiers quoted, transactions roll back") {
  PgDatabase db("pg_lib");
  pg::Connection c = db.Connect();
  CHECK(c.ServerVersionNum() >= 150000);
  CHECK(c.ServerVersion().rfind("15", 0) == 0);
  c.Exec("CREATE TABLE " + c.EscapeIdentifier("we\"ird; name") + " (v text)");
  const std::string hostile = "x'); DROP TABLE \"we\"\"ird; name\"; --";
  c.Exec("INSERT INTO \"we\"\"ird; name\" VALUES ($1)", {hostile});
  CHECK(c.Exec("SELECT v FROM \"we\"\"ird; name\"").Text(0, 0) == hostile);
  CHECK(c.Exec("SELECT $1::text IS NULL", {std::nullopt}).Text(0, 0) == "t");
  try {
    pg::Transaction tx(c);
    c.Exec("INSERT INTO \"we\"\"ird; name\" VALUES ('rolled back')");
    c.Exec("SELECT 1/0");
    FAIL("no error");
  } catch (const pg::QueryError& e) {
    CHECK(e.sqlstate() == "22012");
    CHECK(e.exit_code() == 1);
    CHECK(std::string(e.what()).find("division by zero") != std::string::npos);
  }
  CHECK(c.Exec("SELECT count(*) FROM \"we\"\"ird; name\"").Text(0, 0) == "1");
  {
    pg::Transaction tx(c);
    c.Exec("INSERT INTO \"we\"\"ird; name\" VALUES ('kept')");
    tx.Commit();
  }
  CHECK(c.Exec("SELECT count(*) FROM \"we\"\"ird; name\"").Text(0, 0) == "2");
  // Advisory locks: held, reported with its holder, released.
  int64_t key = pg::AdvisoryKey("test-lock");
  CHECK_FALSE(pg::AdvisoryLockHolder(c, key));
  pg::Connection other = db.Connect();
  {
    pg::AdvisoryLock lock(other, key, std::chrono::seconds(1), "test lock");
    auto holder = pg::AdvisoryLockHolder(c, key);
    REQUIRE(holder);
    CHECK(holder->find("pid ") == 0);
    CHECK_THROWS_AS(pg::AdvisoryLock(c, key, std::chrono::milliseconds(300), "test lock"), Error);
  }
  CHECK_FALSE(pg::AdvisoryLockHolder(c, key));
  pg::AdvisoryLock mine(c, key, std::chrono::seconds(1), "test lock");
  CHECK_FALSE(mine.waited());
}
