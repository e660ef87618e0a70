// Ordered start of a StatefulSet, run as real processes sharing a directory (the shared volume): pod 1 blocks until
// pod 0 writes the marker for the CURRENT digest; a stale marker (an earlier digest) never releases it; pod 0 never
// waits for itself; timeouts fail naming the marker; mark-ready waits for its own conditions first; mark-ready
// --probe (pod 0's readiness) holds only for the marker of the current digest.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include "support/test_support.h"
#include "wait/ordered_start.h"

using namespace capstan::test;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

const char* kOld = "sha256:1111aaaa";
const char* kNew = "sha256:2222bbbb";

ProcessResult Pod(const std::string& command, const std::string& marker_dir, const std::string& digest,
                  const std::string& pod, std::vector<std::string> extra = {},
                  milliseconds timeout = milliseconds(60000)) {
  std::vector<std::string> argv = {Binary("capstan"), command};
  if (command == "wait") argv.push_back("--ordered-start");
  for (auto& e : extra) argv.push_back(e);
  ProcessOptions o;
  o.timeout = timeout;
  // The flags come from the environment, as the injected containers get them.
  o.env = {{"CAPSTAN_MARKER_DIR", marker_dir}, {"CAPSTAN_DIGEST", digest}, {"CAPSTAN_POD_NAME", pod}};
  o.unset_env = {"KUBERNETES_SERVICE_HOST", "CAPSTAN_LOG_FORMAT", "CAPSTAN_TIMEOUT"};
  return Run(argv, o);
}

std::vector<std::string> Fast(const std::string& timeout) {
  return {"--timeout", timeout, "--initial-interval", "100ms", "--max-interval", "300ms"};
}

}  // namespace

TEST_CASE("ordered start: pod 1 waits through a stale marker until pod 0 marks the current digest") {
  TempDir shared;
  std::string dir = shared.path() + "/.capstan";
  std::filesystem::create_directories(dir);
  // The previous configuration's marker is still on the volume.
  shared.Write(".capstan/portal.ready", std::string(kOld) + "\n");

  std::atomic<bool> pod1_done{false};
  ProcessResult pod1;
  auto start = Clock::now();
  std::thread t([&] {
    pod1 = Pod("wait", dir, kNew, "portal-1", Fast("30s"));
    pod1_done = true;
  });
  std::this_thread::sleep_for(milliseconds(1500));
  CHECK_FALSE(pod1_done.load());  // the stale marker did not release pod 1

  auto pod0 = Pod("mark-ready", dir, kNew, "portal-0");
  CHECK(pod0.exit_code == 0);
  t.join();
  auto took = Clock::now() - start;
  INFO(pod1.err);
  CHECK(pod1.exit_code == 0);
  CHECK(took >= milliseconds(1500));
  CHECK(took < milliseconds(1500 + 5000));
  CHECK_THAT(pod1.err, Catch::Contains("stale marker"));
  CHECK(Slurp(dir + "/portal.ready") == std::string(kNew) + "\n");
  // No temporary file is left next to the marker.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files += e.is_regular_file() ? 1 : 0;
  CHECK(files == 1);
}

TEST_CASE("ordered start: pod 0 never waits for itself, pods > 0 time out on a stale marker naming it") {
  TempDir shared;
  std::string dir = shared.path() + "/markers";
  auto start = Clock::now();
  auto pod0 = Pod("wait", dir, kNew, "portal-0", Fast("30s"));
  CHECK(pod0.exit_code == 0);
  CHECK(Clock::now() - start < milliseconds(3000));
  CHECK_THAT(pod0.err, Catch::Contains("pod 0 does not wait for its own marker"));

  std::filesystem::create_directories(dir);
  shared.Write("markers/portal.ready", std::string(kOld) + "\n");
  start = Clock::now();
  auto pod2 = Pod("wait", dir, kNew, "portal-2", Fast("1500ms"));
  auto took = Clock::now() - start;
  CHECK(pod2.exit_code == 1);
  CHECK(took < milliseconds(1500 + 1500));
  CHECK_THAT(pod2.err, Catch::Contains("file:" + dir + "/portal.ready (content=" + kNew + ")"));
  CHECK_THAT(pod2.err, Catch::Contains(std::string("'").append(kOld).append("'")));

  // A marker of another StatefulSet on the same volume does not count either.
  shared.Write("markers/search.ready", std::string(kNew) + "\n");
  CHECK(Pod("wait", dir, kNew, "portal-1", Fast("800ms")).exit_code == 1);
  CHECK(Pod("wait", dir, kNew, "search-1", Fast("5s")).exit_code == 0);
}

TEST_CASE("ordered start: other conditions still apply to pod 0, and the marker waits combine with them") {
  TempDir shared;
  std::string dir = shared.path() + "/m";
  auto pod0 = Pod("wait", dir, kNew, "portal-0", {"--timeout", "800ms", "file:" + shared.path() + "/never"});
  CHECK(pod0.exit_code == 1);
  CHECK_THAT(pod0.err, Catch::Contains("file:" + shared.path() + "/never"));
}

TEST_CASE("mark-ready: only pod 0 writes, after its own conditions hold, bad identity is a usage error") {
  TempDir shared;
  std::string dir = shared.path() + "/m";
  CHECK(Pod("mark-ready", dir, kNew, "portal-3").exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(dir + "/portal.ready"));

  std::string gate = shared.path() + "/initialised";
  std::thread writer([&] {
    std::this_thread::sleep_for(milliseconds(800));
    shared.Write("initialised", "done");
  });
  auto start = Clock::now();
  auto r = Pod("mark-ready", dir, kNew, "portal-0", {"--initial-interval", "100ms", "--", "file:" + gate});
  writer.join();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(Clock::now() - start >= milliseconds(700));
  CHECK(Slurp(dir + "/portal.ready") == std::string(kNew) + "\n");

  // Its conditions time out: no marker is written.
  TempDir other;
  auto late = Pod("mark-ready", other.path(), kNew, "portal-0", {"--timeout", "500ms", "file:/nonexistent-gate"});
  CHECK(late.exit_code == 1);
  CHECK_FALSE(std::filesystem::exists(other.path() + "/portal.ready"));

  CHECK(Pod("wait", dir, kNew, "portal").exit_code == 2);
  CHECK(Pod("wait", dir, kNew, "portal-01").exit_code == 2);
  CHECK(Pod("wait", dir, "", "portal-1").exit_code == 2);
  CHECK(Pod("wait", dir, "bad digest", "portal-1").exit_code == 2);
  CHECK(Pod("wait", "relative/dir", kNew, "portal-1").exit_code == 2);
  auto no_dir = Pod("mark-ready", "", kNew, "portal-0");
  CHECK(no_dir.exit_code == 2);
  CHECK_THAT(no_dir.err, Catch::Contains("--marker-dir"));
  // The marker directory cannot be created (a file is in the way): a clear error, exit 1.
  shared.Write("file", "x");
  auto blocked = Pod("mark-ready", shared.path() + "/file/sub", kNew, "portal-0");
  CHECK(blocked.exit_code == 1);
  CHECK_THAT(blocked.err, Catch::Contains("cannot create the marker directory"));
}

TEST_CASE("mark-ready --probe: pod 0 is ready only once the marker holds its digest, and it writes nothing") {
  TempDir shared;
  std::string dir = shared.path() + "/m";
  auto probe = [&](const std::string& pod, const std::string& digest = kNew, const std::string& extra = "") {
    std::vector<std::string> args = {"--probe"};
    if (!extra.empty()) args.push_back(extra);
    return Pod("mark-ready", dir, digest, pod, args, milliseconds(10000));
  };
  // No marker yet: not ready, one line naming the marker; the directory is not created.
  auto none = probe("portal-0");
  CHECK(none.exit_code == 1);
  CHECK_THAT(none.err, Catch::Contains(dir + "/portal.ready is not written yet"));
  CHECK(std::count(none.err.begin(), none.err.end(), '\n') == 1);
  CHECK_FALSE(std::filesystem::exists(dir));
  // Pods other than 0 write no marker: ready at once.
  CHECK(probe("portal-2").exit_code == 0);
  // A stale marker (an earlier digest): not ready, naming both digests.
  std::filesystem::create_directories(dir);
  shared.Write("m/portal.ready", std::string(kOld) + "\n");
  auto stale = probe("portal-0");
  CHECK(stale.exit_code == 1);
  CHECK_THAT(stale.err, Catch::Contains(kOld));
  CHECK_THAT(stale.err, Catch::Contains(kNew));
  shared.Write("m/portal.ready", "");
  CHECK(probe("portal-0").exit_code == 1);
  // The marker of the current digest: ready; the marker is left as it was.
  shared.Write("m/portal.ready", std::string(kNew) + "\n");
  auto ready = probe("portal-0");
  INFO(ready.err);
  CHECK(ready.exit_code == 0);
  CHECK(Slurp(dir + "/portal.ready") == std::string(kNew) + "\n");
  // Another StatefulSet's pod 0 reads its own marker.
  CHECK(probe("search-0").exit_code == 1);
  // Usage: conditions or --keep-running with --probe, a bad identity.
  CHECK(probe("portal-0", kNew, "file:/x").exit_code == 2);
  CHECK(probe("portal-0", kNew, "--keep-running").exit_code == 2);
  CHECK(probe("portal", kNew).exit_code == 2);
  CHECK(probe("portal-0", "").exit_code == 2);
}

TEST_CASE("pod names, digests and marker paths") {
  using namespace capstan::wait;
  auto id = ParsePodName("content-platform-12");
  CHECK(id.set == "content-platform");
  CHECK(id.ordinal == 12);
  CHECK(ParsePodName("x-0").ordinal == 0);
  CHECK_THROWS_AS(ParsePodName("portal"), capstan::UsageError);
  CHECK_THROWS_AS(ParsePodName("portal-"), capstan::UsageError);
  CHECK_THROWS_AS(ParsePodName("-1"), capstan::UsageError);
  CHECK_THROWS_AS(ParsePodName("Portal-1"), capstan::UsageError);
  CHECK_THROWS_AS(ParsePodName("portal-1x"), capstan::UsageError);
  CHECK(MarkerPath("/shared/.capstan/", "portal") == "/shared/.capstan/portal.ready");
  CHECK_NOTHROW(ValidateDigest("sha256:0a1b"));
  CHECK_THROWS_AS(ValidateDigest("a b"), capstan::UsageError);
  CHECK(MarkerCondition("/shared dir", "p", "d1")->ToArg() == "file:/shared%20dir/p.ready (content=d1)");
}
