#include <catch2/catch.hpp>

#include "backup/progress.h"

using namespace capstan;
using namespace capstan::backup;

namespace {

ProgressSnapshot Snap(uint64_t bytes, uint64_t total, double seconds, bool estimated = false, bool done = false) {
  ProgressSnapshot s;
  s.phase = "backup";
  s.bytes = bytes;
  s.total = total;
  s.seconds = seconds;
  s.estimated = estimated;
  s.done = done;
  return s;
}

std::string Field(const log::Fields& f, const std::string& key) {
  for (const auto& x : f)
    if (x.key == key) return x.value;
  return "<none>";
}

}  // namespace

TEST_CASE("progress: percentage and time left where the total is known") {
  const uint64_t mib = 1024 * 1024;
  auto s = Snap(256 * mib, 1024 * mib, 10);  // 25.6 MiB/s, 768 MiB to go
  CHECK(ProgressPercent(s) == 25);
  CHECK(ProgressEta(s) == 30);
  CHECK(ProgressText(s) == "backup 256.0 MiB / 1.0 GiB 25%, 25.6 MiB/s, 30s left");
  auto f = ProgressFields(s);
  CHECK(Field(f, "phase") == "backup");
  CHECK(Field(f, "bytes") == std::to_string(256 * mib));
  CHECK(Field(f, "total_bytes") == std::to_string(1024 * mib));
  CHECK(Field(f, "percent") == "25");
  CHECK(Field(f, "eta_seconds") == "30");
  CHECK(Field(f, "estimated") == "<none>");

  SECTION("no total: bytes and rate only") {
    auto u = Snap(5 * mib, 0, 2);
    CHECK_FALSE(ProgressPercent(u));
    CHECK_FALSE(ProgressEta(u));
    CHECK(ProgressText(u) == "backup 5.0 MiB, 2.5 MiB/s");
    CHECK(Field(ProgressFields(u), "total_bytes") == "<none>");
    CHECK(Field(ProgressFields(u), "percent") == "<none>");
  }
  SECTION("an estimated total (the dump's, from the database size) is marked and stops at 99%") {
    auto e = Snap(2048 * mib, 1024 * mib, 100, true);
    CHECK(ProgressPercent(e) == 99);
    CHECK(ProgressEta(e) == 0);
    CHECK(ProgressText(e).find("/ ~1.0 GiB 99%") != std::string::npos);
    CHECK(Field(ProgressFields(e), "estimated") == "true");
  }
  SECTION("100% only when done") {
    CHECK(ProgressPercent(Snap(1024 * mib, 1024 * mib, 5)) == 99);
    auto d = Snap(1024 * mib, 1024 * mib, 5, false, true);
    CHECK(ProgressPercent(d) == 100);
    CHECK_FALSE(ProgressEta(d));
    CHECK(Field(ProgressFields(d), "done") == "true");
  }
  SECTION("long times left read as minutes and hours") {
    CHECK(ProgressText(Snap(1 * mib, 1000 * mib, 10)).find(", 2h46m left") != std::string::npos);
    CHECK(ProgressText(Snap(100 * mib, 1000 * mib, 10)).find(", 1m30s left") != std::string::npos);
  }
  SECTION("no time left before a second of data") { CHECK_FALSE(ProgressEta(Snap(10, 100, 0.5))); }
}
