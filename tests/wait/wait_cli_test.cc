// The real `capstan wait` binary: exit codes (0 held, 1 timed out, 2 bad condition with its column, 3 SIGTERM),
// JSON log lines per attempt, the timeout bound, argv produced by WaitArgv accepted as is, running as a non-root
// user without writing anything.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <thread>

#include <rapidjson/document.h>

#include "support/test_support.h"
#include "util/strings.h"
#include "wait/condition.h"
#include "wait_servers.h"

using namespace capstan::test;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

ProcessResult Capstan(std::vector<std::string> args, milliseconds timeout = milliseconds(60000)) {
  std::vector<std::string> argv = {Binary("capstan")};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions o;
  o.timeout = timeout;
  o.unset_env = {"KUBERNETES_SERVICE_HOST", "CAPSTAN_LOG_FORMAT", "CAPSTAN_TIMEOUT", "CAPSTAN_POD_NAME",
                 "CAPSTAN_DIGEST", "CAPSTAN_MARKER_DIR"};
  return Run(argv, o);
}

std::vector<std::string> Lines(const std::string& s) { return capstan::Split(s, '\n', true); }

}  // namespace

TEST_CASE("cli: all conditions hold -> exit 0, nothing on stdout") {
  LateListener l;
  l.Listen();
  TempDir dir;
  std::string f = dir.Write("ready", "x");
  auto r = Capstan({"wait", "tcp://127.0.0.1:" + std::to_string(l.port()), "file:" + f + ", dns:localhost"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("all conditions hold"));
}

TEST_CASE("cli: a late TCP listener and an HTTP server that answers 503 then 200") {
  LateListener l;
  l.ListenAfter(milliseconds(1000));
  std::atomic<int> hits{0};
  LoopbackServer s(std::make_unique<httplib::Server>());
  s.server().Get("/health", [&](const httplib::Request&, httplib::Response& res) {
    res.status = ++hits <= 3 ? 503 : 200;
    res.set_content(res.status == 200 ? "UP" : "DOWN", "text/plain");
  });
  auto start = Clock::now();
  auto r = Capstan({"wait", "--initial-interval", "200ms", "--max-interval", "400ms", "--timeout", "20s", "--",
                    "tcp://127.0.0.1:" + std::to_string(l.port()),
                    "http://127.0.0.1:" + std::to_string(s.port()) + "/health (expect UP)"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(Clock::now() - start >= milliseconds(900));
  CHECK(hits.load() >= 4);
  CHECK_THAT(r.err, Catch::Contains("HTTP 503"));
}

TEST_CASE("cli: timeout -> exit 1 within the timeout plus a small margin, naming the condition and its error") {
  LateListener never;
  std::string cond = "tcp://127.0.0.1:" + std::to_string(never.port());
  auto start = Clock::now();
  auto r = Capstan({"wait", "--timeout", "2s", "--initial-interval", "100ms", "--max-interval", "300ms", "--", cond,
                    "dns:localhost"});
  auto took = Clock::now() - start;
  CHECK(r.exit_code == 1);
  CHECK(took >= milliseconds(1500));
  CHECK(took < milliseconds(2000 + 1500));
  CHECK_THAT(r.err, Catch::Contains("timed out after"));
  CHECK_THAT(r.err, Catch::Contains("1 of 2 conditions did not hold: " + cond));
  CHECK_THAT(r.err, Catch::Contains("Connection refused"));
}

TEST_CASE("cli: bad conditions and flags -> exit 2 with the argument and column, before any attempt") {
  struct Case {
    std::vector<std::string> args;
    std::string needle;
  };
  std::vector<Case> cases = {
      {{"wait", "tcp://db:5432", "https://h/ (expct=OK)"}, "condition argument 2 'https://h/ (expct=OK)': "
                                                            "condition 1 at column 13: unknown option 'expct'"},
      {{"wait", "db:5432"}, "write tcp://db:5432"},
      {{"wait", "tcp://a:1, htp://b"}, "condition 2 at column 12"},
      {{"wait"}, "nothing to wait for"},
      {{"wait", "--timeout", "forever", "tcp://a:1"}, "invalid --timeout 'forever'"},
      {{"wait", "--initial-interval", "5s", "--max-interval", "1s", "tcp://a:1"}, "--max-interval"},
      {{"wait", "--bogus", "tcp://a:1"}, "bogus"},
  };
  for (const auto& c : cases) {
    INFO(capstan::Join(c.args, " "));
    auto r = Capstan(c.args, milliseconds(10000));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(c.needle));
    CHECK_THAT(r.err, !Catch::Contains("condition not met"));
  }
}

TEST_CASE("cli: --log-format json writes one JSON object per attempt with condition, attempt, elapsed, error") {
  LateListener never;
  auto r = Capstan({"wait", "--log-format", "json", "--timeout", "1s", "--initial-interval", "100ms",
                    "--max-interval", "200ms", "tcp://127.0.0.1:" + std::to_string(never.port())});
  CHECK(r.exit_code == 1);
  int attempts = 0, last_attempt = 0;
  for (const auto& line : Lines(r.err)) {
    rapidjson::Document d;
    d.Parse(line.c_str());
    INFO(line);
    REQUIRE_FALSE(d.HasParseError());
    REQUIRE(d.IsObject());
    CHECK(d.HasMember("time"));
    CHECK(d.HasMember("level"));
    if (std::string(d["msg"].GetString()) == "condition not met") {
      ++attempts;
      CHECK(d["condition"].GetString() == "tcp://127.0.0.1:" + std::to_string(never.port()));
      CHECK(d["attempt"].GetInt() == last_attempt + 1);
      last_attempt = d["attempt"].GetInt();
      CHECK(d["elapsed"].IsNumber());
      CHECK_THAT(d["error"].GetString(), Catch::Contains("refused"));
    }
  }
  CHECK(attempts >= 3);
}

TEST_CASE("cli: SIGTERM ends the wait promptly with exit 3 and a clear message") {
  LateListener never;
  std::string script = "'" + Binary("capstan") + "' wait --timeout 60s tcp://127.0.0.1:" +
                       std::to_string(never.port()) + " & pid=$!; sleep 1; kill -TERM $pid; wait $pid; echo rc=$?";
  auto start = Clock::now();
  ProcessOptions o;
  o.timeout = milliseconds(30000);
  o.unset_env = {"KUBERNETES_SERVICE_HOST", "CAPSTAN_LOG_FORMAT"};
  auto r = Run({"sh", "-c", script}, o);
  auto took = Clock::now() - start;
  CHECK_THAT(r.out, Catch::Contains("rc=3"));
  CHECK(took < milliseconds(1000 + 2000));
  CHECK_THAT(r.err, Catch::Contains("interrupted by Terminated"));
  CHECK_THAT(r.err, Catch::Contains("did not hold yet: tcp://127.0.0.1:"));
}

TEST_CASE("cli: the argv WaitArgv builds for an init container is accepted as is") {
  LateListener l;
  l.Listen();
  auto list = capstan::wait::ParseConditionList("tcp://127.0.0.1:" + std::to_string(l.port()) +
                                                ", dns:localhost (timeout=30s)");
  auto argv = capstan::wait::WaitArgv(list);
  auto r = Capstan(argv);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  auto dead = capstan::wait::ParseConditionList("tcp://127.0.0.1:1");
  capstan::wait::WaitCommandOptions o;
  o.timeout = milliseconds(1000);
  auto start = Clock::now();
  CHECK(Capstan(capstan::wait::WaitArgv(dead, o)).exit_code == 1);
  CHECK(Clock::now() - start < milliseconds(3000));
}

TEST_CASE("cli: runs as a non-root user and writes nothing (read-only root file system in a pod)") {
  TempDir home;
  ::chmod(home.path().c_str(), 0777);
  TempDir ready;
  std::string f = ready.Write("ok", "1");
  ::chmod(ready.path().c_str(), 0755);
  std::string bin = Binary("capstan");
  ProcessOptions o;
  o.cwd = home.path();
  o.env = {{"HOME", home.path()}, {"TMPDIR", home.path()}};
  o.unset_env = {"KUBERNETES_SERVICE_HOST"};
  o.timeout = milliseconds(30000);
  auto r = Run({"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", bin, "wait", "--log-format", "json",
                "file:" + f, "dns:localhost"},
               o);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(std::filesystem::is_empty(home.path()));
}

TEST_CASE("cli: a password in a condition is refused and never printed, on stderr or in --log-file") {
  TempDir t;
  std::string log = t.path() + "/wait.log";
  for (const auto& cond : {std::string("postgres://app:Pw0rd-S3cret@127.0.0.1:1/db"),
                           std::string("postgres://127.0.0.1:1/db?password=Pw0rd-S3cret"),
                           std::string("tcp://app:Pw0rd-S3cret@127.0.0.1:1")}) {
    for (const char* format : {"text", "json"}) {
      auto r = Capstan({"wait", "--log-format", format, "--log-file", log, "--timeout", "1s", cond});
      INFO(cond << " " << format << ": " << r.err);
      CHECK(r.exit_code == 2);
      CHECK(r.err.find("Pw0rd-S3cret") == std::string::npos);
      CHECK(r.out.find("Pw0rd-S3cret") == std::string::npos);
      CHECK(Slurp(log).find("Pw0rd-S3cret") == std::string::npos);
      CHECK_FALSE(Slurp(log).empty());
    }
  }
}

TEST_CASE("cli: a missing ca= file is a usage error at once, as a missing password-file= is") {
  TempDir t;
  LateListener l;
  l.Listen();
  std::string port = std::to_string(l.port());
  for (const auto& cond : {"https://127.0.0.1:" + port + "/ (ca=" + t.path() + "/missing.crt)",
                           "postgres://app@127.0.0.1:" + port + "/db (ca=" + t.path() + "/missing.crt)",
                           "postgres://app@127.0.0.1:" + port + "/db (password-file=" + t.path() + "/missing)"}) {
    auto start = Clock::now();
    auto r = Capstan({"wait", "--timeout", "20s", cond});
    INFO(cond << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(t.path() + "/missing") != std::string::npos);
    CHECK(Clock::now() - start < milliseconds(5000));
  }
}
