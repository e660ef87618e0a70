// One HTTP attempt is bounded as a whole, in time and bytes, against real hostile peers on 127.0.0.1: a header
// line that never ends, endless header lines, a status line or body trickled a byte at a time, a Content-Length of
// 1e11. Each attempt must end by its deadline with an error saying what happened, and a wait that times out must
// report its attempts and last error.
#include <catch2/catch.hpp>

#include "log/log.h"
#include "probe/probes.h"
#include "support/test_support.h"
#include "wait/condition.h"
#include "wait/run.h"
#include "wait/wait_servers.h"

using namespace capstan;
using namespace capstan::wait;
using capstan::test::RawPeer;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

const bool kProbesAttached = (capstan::probe::AttachProbes(), true);

void Quiet() {
  log::Options o;
  o.level = log::Level::kOff;
  log::Configure(o);
}

struct Timed {
  AttemptResult result;
  milliseconds took{0};
};

Timed CheckWithin(const std::string& text, milliseconds budget) {
  auto c = ParseCondition(text);
  std::atomic<bool> stop{false};
  auto start = Clock::now();
  Timed t;
  t.result = c->Check(AttemptContext{start + budget, &stop});
  t.took = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
  return t;
}

std::string Url(const RawPeer& p, const std::string& path = "/") {
  return "http://127.0.0.1:" + std::to_string(p.port()) + path;
}

// Sends data forever (as fast as the client reads) until the client goes away.
void Flood(int fd, const std::atomic<bool>& stop, const std::string& head, const std::string& unit) {
  if (!RawPeer::Send(fd, head)) return;
  std::string chunk;
  while (chunk.size() < 16384) chunk += unit;
  while (!stop.load() && RawPeer::Send(fd, chunk)) {
  }
}

// Sends data one byte every interval.
void Trickle(int fd, const std::atomic<bool>& stop, const std::string& head, milliseconds interval) {
  if (!RawPeer::Send(fd, head)) return;
  while (!stop.load()) {
    RawPeer::Nap(interval, stop);
    if (!RawPeer::Send(fd, "x")) return;
  }
}

}  // namespace

TEST_CASE("http: a header line that never ends is cut at 64 KiB, at once") {
  Quiet();
  RawPeer peer([](int fd, const std::atomic<bool>& stop) { Flood(fd, stop, "HTTP/1.1 200 OK\r\nX-Long: ", "a"); });
  auto t = CheckWithin(Url(peer), milliseconds(5000));
  CHECK_FALSE(t.result.held);
  CHECK_THAT(t.result.detail, Catch::Contains("headers exceed 64 KiB"));
  CHECK(t.took < milliseconds(3000));
}

TEST_CASE("http: endless header lines are cut at 64 KiB too") {
  Quiet();
  RawPeer peer([](int fd, const std::atomic<bool>& stop) { Flood(fd, stop, "HTTP/1.1 200 OK\r\n", "X-A: b\r\n"); });
  auto t = CheckWithin(Url(peer), milliseconds(5000));
  CHECK_FALSE(t.result.held);
  CHECK_THAT(t.result.detail, Catch::Contains("headers exceed 64 KiB"));
}

TEST_CASE("http: a status line trickled a byte at a time ends at the attempt's deadline") {
  Quiet();
  RawPeer peer([](int fd, const std::atomic<bool>& stop) { Trickle(fd, stop, "HTTP/1.1 2", milliseconds(200)); });
  auto t = CheckWithin(Url(peer), milliseconds(1500));
  CHECK_FALSE(t.result.held);
  CHECK_THAT(t.result.detail, Catch::Contains("timed out waiting for the response headers"));
  CHECK(t.took >= milliseconds(1400));
  CHECK(t.took < milliseconds(2500));
}

TEST_CASE("http: a body trickled at 1 byte/s ends at the attempt's deadline when expect= reads it") {
  Quiet();
  RawPeer peer([](int fd, const std::atomic<bool>& stop) {
    Trickle(fd, stop, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", milliseconds(1000));
  });
  auto t = CheckWithin(Url(peer) + " (expect=ready)", milliseconds(2000));
  CHECK_FALSE(t.result.held);
  CHECK_THAT(t.result.detail, Catch::Contains("timed out waiting for the response body"));
  CHECK(t.took < milliseconds(3000));
  // Without expect= the status line decides: the slow body is not read at all.
  auto s = CheckWithin(Url(peer), milliseconds(2000));
  CHECK(s.result.held);
  CHECK(s.result.detail == "HTTP 200");
  CHECK(s.took < milliseconds(1000));
}

TEST_CASE("http: Content-Length 1e11 reads at most the first 1 MiB for expect=") {
  Quiet();
  RawPeer peer([](int fd, const std::atomic<bool>& stop) {
    Flood(fd, stop, "HTTP/1.1 200 OK\r\nContent-Length: 100000000000\r\n\r\n", "0123456789");
  });
  auto t = CheckWithin(Url(peer) + " (expect=ready)", milliseconds(5000));
  CHECK_FALSE(t.result.held);
  CHECK_THAT(t.result.detail, Catch::Contains("the first 1 MiB of the body does not contain 'ready'"));
  CHECK(t.took < milliseconds(3000));
  auto found = CheckWithin(Url(peer) + " (expect=5678901)", milliseconds(5000));
  CHECK(found.result.held);
}

TEST_CASE("http: a chunk-size line that never ends is bounded by the byte limit") {
  Quiet();
  RawPeer peer([](int fd, const std::atomic<bool>& stop) {
    Flood(fd, stop, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "f");
  });
  auto t = CheckWithin(Url(peer) + " (expect=ready)", milliseconds(8000));
  CHECK_FALSE(t.result.held);
  CHECK_THAT(t.result.detail, Catch::Contains("larger than 8192 KiB"));
}

TEST_CASE("a wait against a trickling peer reports its attempts and last error, not (0 attempts)") {
  Quiet();
  RawPeer peer([](int fd, const std::atomic<bool>& stop) {
    Trickle(fd, stop, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", milliseconds(1000));
  });
  RunOptions o;
  o.timeout = milliseconds(3000);
  o.initial_interval = milliseconds(100);
  o.max_interval = milliseconds(200);
  o.attempt_timeout = milliseconds(800);
  o.handle_signals = false;
  auto start = Clock::now();
  auto r = RunWait(ParseConditionList(Url(peer) + " (expect=ready)"), o);
  auto took = Clock::now() - start;
  CHECK(r.status == WaitStatus::kTimedOut);
  CHECK(took < milliseconds(4500));
  REQUIRE(r.outcomes.size() == 1);
  CHECK(r.outcomes[0].attempts >= 2);
  std::string summary = r.Summary();
  INFO(summary);
  CHECK(summary.find("(0 attempts)") == std::string::npos);
  CHECK_THAT(summary, Catch::Contains("last error: timed out waiting for the response body"));
}
