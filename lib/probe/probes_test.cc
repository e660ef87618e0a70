// Each condition kind's probe against real servers on 127.0.0.1 (a TCP socket that listens late, httplib HTTP and
// HTTPS servers, the system resolver, files written by another thread), one attempt at a time and through RunWait
// with its backoff and timeouts; the jittered backoff itself; a condition without an attached probe.
#include <catch2/catch.hpp>

#include <fstream>

#include "log/log.h"
#include "probe/probes.h"
#include "support/test_support.h"
#include "util/file_io.h"
#include "wait/backoff.h"
#include "wait/condition.h"
#include "wait/run.h"
#include "wait/wait_servers.h"

using namespace capstan;
using namespace capstan::wait;
using capstan::test::LateListener;
using capstan::test::LoopbackServer;
using capstan::test::TempDir;
using capstan::test::TestPki;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

// As the capstan binary does (hooks/probes.cc); the post-renderer never attaches them.
const bool kProbesAttached = (probe::AttachProbes(), true);

void Quiet() {
  log::Options o;
  o.level = log::Level::kOff;
  log::Configure(o);
}

AttemptResult CheckOnce(const std::string& text, milliseconds budget = milliseconds(3000)) {
  auto c = ParseCondition(text);
  std::atomic<bool> stop{false};
  return c->Check(AttemptContext{Clock::now() + budget, &stop});
}

RunOptions Fast(milliseconds timeout) {
  RunOptions o;
  o.timeout = timeout;
  o.initial_interval = milliseconds(100);
  o.max_interval = milliseconds(400);
  o.attempt_timeout = milliseconds(2000);
  o.handle_signals = false;
  return o;
}

ConditionList List(const std::string& text) { return ParseConditionList(text); }

std::string Port(int p) { return std::to_string(p); }

}  // namespace

TEST_CASE("backoff doubles from the initial interval up to the maximum, jittered within [d/2, d]") {
  Backoff b(milliseconds(100), milliseconds(1000), 42);
  long long nominal[] = {100, 200, 400, 800, 1000, 1000, 1000};
  for (long long n : nominal) {
    CHECK(b.Nominal().count() == n);
    auto d = b.Next().count();
    CHECK(d >= n / 2);
    CHECK(d <= n);
  }
  // Different seeds spread retries of many pods apart.
  Backoff x(milliseconds(1000), milliseconds(1000), 1), y(milliseconds(1000), milliseconds(1000), 2);
  bool differ = false;
  for (int i = 0; i < 20; ++i) differ |= x.Next() != y.Next();
  CHECK(differ);
}

TEST_CASE("tcp: refused while nothing listens, holds once the listener opens late") {
  Quiet();
  LateListener l;
  auto before = CheckOnce("tcp://127.0.0.1:" + Port(l.port()));
  CHECK_FALSE(before.held);
  CHECK_THAT(before.detail, Catch::Contains("refused"));
  l.ListenAfter(milliseconds(800));
  auto start = Clock::now();
  auto r = RunWait(List("tcp://127.0.0.1:" + Port(l.port())), Fast(milliseconds(10000)));
  auto took = Clock::now() - start;
  REQUIRE(r.status == WaitStatus::kAllHeld);
  CHECK(r.ExitCode() == 0);
  CHECK(r.outcomes[0].attempts >= 2);
  CHECK(took >= milliseconds(700));
  CHECK(took < milliseconds(5000));
}

TEST_CASE("tcp: localhost resolves and every address is tried") {
  Quiet();
  LateListener l;
  l.Listen();
  auto r = CheckOnce("tcp://localhost:" + Port(l.port()));
  CHECK(r.held);
  CHECK_THAT(r.detail, Catch::Contains("127.0.0.1:" + Port(l.port())));
}

TEST_CASE("timeout: a condition that never holds fails within the timeout and is named with its last error") {
  Quiet();
  LateListener l;  // bound, never listening
  auto start = Clock::now();
  auto r = RunWait(List("tcp://127.0.0.1:" + Port(l.port()) + ", dns:localhost"), Fast(milliseconds(1500)));
  auto took = Clock::now() - start;
  CHECK(r.status == WaitStatus::kTimedOut);
  CHECK(r.ExitCode() == 1);
  CHECK(took >= milliseconds(1000));
  CHECK(took < milliseconds(1500 + 1000));
  REQUIRE(r.outcomes.size() == 2);
  CHECK_FALSE(r.outcomes[0].held);
  CHECK(r.outcomes[0].timed_out);
  CHECK(r.outcomes[1].held);
  std::string summary = r.Summary();
  CHECK_THAT(summary, Catch::Contains("1 of 2 conditions did not hold"));
  CHECK_THAT(summary, Catch::Contains("tcp://127.0.0.1:" + Port(l.port())));
  CHECK_THAT(summary, Catch::Contains("refused"));
  CHECK_THAT(summary, !Catch::Contains("dns:localhost"));
}

TEST_CASE("timeout=: a condition's own timeout ends the wait before --timeout") {
  Quiet();
  TempDir dir;
  auto start = Clock::now();
  auto r = RunWait(List("file:" + dir.path() + "/never (timeout=800ms)"), Fast(milliseconds(20000)));
  auto took = Clock::now() - start;
  CHECK(r.status == WaitStatus::kTimedOut);
  CHECK(took < milliseconds(800 + 1000));
  CHECK(r.outcomes[0].own_timeout);
  CHECK_THAT(r.Summary(), Catch::Contains("its timeout 800ms passed"));
}

TEST_CASE("http: 503 does not hold, the wait holds once the server answers 200") {
  Quiet();
  std::atomic<int> hits{0};
  LoopbackServer s(std::make_unique<httplib::Server>());
  s.server().Get("/ready", [&](const httplib::Request&, httplib::Response& res) {
    int n = ++hits;
    res.status = n <= 2 ? 503 : 200;
    res.set_content(n <= 2 ? "starting" : "ok", "text/plain");
  });
  std::string url = "http://127.0.0.1:" + Port(s.port()) + "/ready";
  auto first = CheckOnce(url);
  CHECK_FALSE(first.held);
  CHECK(first.detail == "HTTP 503");
  auto r = RunWait(List(url), Fast(milliseconds(10000)));
  REQUIRE(r.status == WaitStatus::kAllHeld);
  CHECK(hits.load() >= 3);
  CHECK(r.outcomes[0].attempts == 2);  // the 2nd 503, then the 200
}

TEST_CASE("http: expect= holds only when the body contains the text") {
  Quiet();
  std::atomic<int> hits{0};
  LoopbackServer s(std::make_unique<httplib::Server>());
  s.server().Get("/ping", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(++hits <= 2 ? R"({"status":"DOWN"})" : R"({"status":"OK"})", "application/json");
  });
  std::string cond = "http://localhost:" + Port(s.port()) + "/ping (expect='\"status\":\"OK\"')";
  auto first = CheckOnce(cond);
  CHECK_FALSE(first.held);
  CHECK_THAT(first.detail, Catch::Contains("HTTP 200 but the body (17 bytes) does not contain"));
  auto r = RunWait(List(cond), Fast(milliseconds(10000)));
  CHECK(r.status == WaitStatus::kAllHeld);
  CHECK(hits.load() == 3);
}

TEST_CASE("http: redirects are not followed and an unreachable port is reported") {
  Quiet();
  LoopbackServer s(std::make_unique<httplib::Server>());
  s.server().Get("/old", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/new"); });
  auto r = CheckOnce("http://127.0.0.1:" + Port(s.port()) + "/old");
  CHECK_FALSE(r.held);
  CHECK_THAT(r.detail, Catch::Contains("HTTP 302 redirect to /new (redirects are not followed)"));
  LateListener closed;
  auto c = CheckOnce("http://127.0.0.1:" + Port(closed.port()) + "/");
  CHECK_FALSE(c.held);
  CHECK_THAT(c.detail, Catch::Contains("cannot connect"));
}

TEST_CASE("http: one attempt is bounded by attempt-timeout even when the server never answers") {
  Quiet();
  LoopbackServer s(std::make_unique<httplib::Server>());
  s.server().Get("/slow", [](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(milliseconds(2500));
    res.set_content("late", "text/plain");
  });
  auto start = Clock::now();
  auto r = RunWait(List("http://127.0.0.1:" + Port(s.port()) + "/slow (attempt-timeout=300ms, timeout=1s)"),
                   Fast(milliseconds(10000)));
  auto took = Clock::now() - start;
  CHECK(r.status == WaitStatus::kTimedOut);
  CHECK(took < milliseconds(2000));
  CHECK_THAT(r.outcomes[0].last_detail, Catch::Contains("timed out"));
}

TEST_CASE("https: verified against ca=, refused with the system CAs or an unrelated CA") {
  Quiet();
  TempDir dir;
  TestPki pki(dir.path());
  auto server = std::make_unique<httplib::SSLServer>(pki.server_cert.c_str(), pki.server_key.c_str());
  REQUIRE(server->is_valid());
  LoopbackServer s(std::move(server));
  s.server().Get("/solr/admin/ping", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<status>OK</status>", "text/xml");
  });
  std::string base = "https://127.0.0.1:" + Port(s.port()) + "/solr/admin/ping";
  auto ok = CheckOnce(base + " (expect=OK, ca=" + pki.ca_cert + ")");
  CHECK(ok.held);
  CHECK(ok.detail == "HTTP 200");
  CHECK(CheckOnce("https://localhost:" + Port(s.port()) + "/solr/admin/ping (ca=" + pki.ca_cert + ")").held);
  auto system = CheckOnce(base);
  CHECK_FALSE(system.held);
  CHECK_THAT(system.detail, Catch::Contains("not trusted"));
  CHECK_THAT(system.detail, Catch::Contains("ca=FILE"));
  auto other = CheckOnce(base + " (ca=" + pki.other_ca_cert + ")");
  CHECK_FALSE(other.held);
  CHECK_THAT(other.detail, Catch::Contains("not trusted"));
  // A missing local file is a usage error (exit 2 at once, as for password-file=), not retried until the timeout.
  CHECK_THROWS_AS(CheckOnce(base + " (ca=" + dir.path() + "/missing.crt)"), UsageError);
  CHECK_THROWS_WITH(CheckOnce(base + " (ca=" + dir.path() + "/missing.crt)"),
                    Catch::Contains("cannot read ca=" + dir.path() + "/missing.crt"));
  // Plain HTTP to a TLS port does not hold either.
  CHECK_FALSE(CheckOnce("http://127.0.0.1:" + Port(s.port()) + "/solr/admin/ping").held);
}

TEST_CASE("dns: localhost resolves, a name under .invalid does not") {
  Quiet();
  auto ok = CheckOnce("dns:localhost");
  CHECK(ok.held);
  CHECK_THAT(ok.detail, Catch::Contains("resolved to"));
  auto bad = CheckOnce("dns:does-not-exist.invalid", milliseconds(8000));
  CHECK_FALSE(bad.held);
  CHECK_THAT(bad.detail, Catch::Contains("does-not-exist.invalid"));
}

TEST_CASE("file: holds once another thread writes it, content= must match exactly") {
  Quiet();
  TempDir dir;
  std::string path = dir.path() + "/ready";
  CHECK_THAT(CheckOnce("file:" + path).detail, Catch::Contains("does not exist"));
  std::thread writer([&] {
    std::this_thread::sleep_for(milliseconds(600));
    WriteFileAtomic(path, "abc123\n");
  });
  auto start = Clock::now();
  auto r = RunWait(List("file:" + path + " (content=abc123)"), Fast(milliseconds(10000)));
  writer.join();
  CHECK(r.status == WaitStatus::kAllHeld);
  CHECK(Clock::now() - start >= milliseconds(500));
  WriteFileAtomic(path, "old-digest\n");
  auto stale = CheckOnce("file:" + path + " (content=abc123)");
  CHECK_FALSE(stale.held);
  CHECK_THAT(stale.detail, Catch::Contains("'old-digest'"));
  CHECK_THAT(stale.detail, Catch::Contains("stale"));
  CHECK_THAT(CheckOnce("file:" + dir.path()).detail, Catch::Contains("is a directory"));
  // Paths with spaces and commas are percent-encoded in the target.
  WriteFileAtomic(dir.path() + "/a b,c", "x");
  CHECK(CheckOnce("file:" + dir.path() + "/a%20b%2Cc").held);
}

TEST_CASE("an empty list holds at once, a stop ends sleeping workers promptly") {
  Quiet();
  CHECK(RunWait({}, Fast(milliseconds(1000))).status == WaitStatus::kAllHeld);
  // A failed permanent check (an Error thrown by Check) ends the wait with its exit code.
  class Broken : public Condition {
   public:
    Broken() : Condition("broken", "broken:x") {}
    AttemptResult Check(const AttemptContext&) override { throw PreconditionError("cannot ever hold"); }
  };
  ConditionList l;
  l.push_back(std::make_unique<Broken>());
  auto start = Clock::now();
  auto r = RunWait(std::move(l), Fast(milliseconds(10000)));
  CHECK(r.status == WaitStatus::kFailed);
  CHECK(r.ExitCode() == 3);
  CHECK(Clock::now() - start < milliseconds(2000));
  CHECK_THAT(r.Summary(), Catch::Contains("cannot ever hold"));
}

TEST_CASE("a condition whose kind has no probe attached cannot be checked, AttachProbe gives it one") {
  RegisterConditionKind("probeless", [](OptionReader& r) -> std::unique_ptr<Condition> {
    struct Data : Condition {
      explicit Data(std::string body) : Condition("probeless", "probeless:" + body) {}
    };
    return std::make_unique<Data>(std::string(r.spec().body));
  });
  auto c = ParseCondition("probeless:x");
  std::atomic<bool> stop{false};
  AttemptContext ctx{Clock::now() + milliseconds(1000), &stop};
  CHECK_FALSE(HasProbe("probeless"));
  CHECK_THROWS_WITH(c->Check(ctx), Catch::Contains("no probe is attached for probeless:") &&
                                       Catch::Contains("probeless:x"));
  struct Fixed : Probe {
    explicit Fixed(std::string t) : target(std::move(t)) {}
    std::string target;
    AttemptResult Check(const AttemptContext&) override { return AttemptResult::Held("checked " + target); }
  };
  AttachProbe("probeless", [](const Condition& cond) { return std::make_unique<Fixed>(cond.target()); });
  CHECK(HasProbe("probeless"));
  auto r = c->Check(ctx);  // parsed before the probe was attached: uses it too
  CHECK(r.held);
  CHECK(r.detail == "checked probeless:x");
  CHECK_THROWS(AttachProbe("", [](const Condition&) { return std::unique_ptr<Probe>(); }));
}

TEST_CASE("every built-in kind has its probe attached, job: and rollout: aside (lib/kube)") {
  for (const char* kind : {"tcp", "dns", "http", "https", "file", "postgres"}) {
    INFO(kind);
    CHECK(HasProbe(kind));
  }
  // postgresql:// conditions are of kind postgres.
  CHECK(ParseCondition("postgresql://db/app")->kind() == "postgres");
}
