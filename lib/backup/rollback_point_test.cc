#include <catch2/catch.hpp>

#include <algorithm>

#include "backup/rollback_point.h"
#include "util/error.h"

using namespace capstan;
using namespace capstan::backup;

namespace {

// A complete restore point of `release` taken at time t by the upgrade to `revision`.
PointInfo Point(const std::string& id, int64_t t, const std::string& revision, const std::string& previous,
                const std::string& release = "portal") {
  PointInfo p;
  p.id = id;
  p.path = "/backups/" + id;
  p.complete = true;
  Manifest m;
  m.id = id;
  m.time_unix = t;
  m.state = kStateComplete;
  m.release = release;
  m.revision = revision;
  m.previous_revision = previous;
  p.manifest = m;
  return p;
}

// As ListPoints gives them: newest first.
std::vector<PointInfo> TwoUpgrades() {
  return {Point("p3", 300, "3", "2"), Point("p2", 200, "2", "0")};
}

}  // namespace

TEST_CASE("rollback: two upgrades, then rollback to 1 restores the point taken before the upgrade 1 -> 2") {
  auto points = TwoUpgrades();
  CHECK(SelectForRollback(points, "portal", 1).id == "p2");
  CHECK(SelectForRollback(points, "portal", 2).id == "p3");
  SECTION("other releases' points and incomplete ones do not count") {
    points.insert(points.begin(), Point("other", 400, "2", "1", "shop"));
    PointInfo broken = Point("p2b", 250, "2", "0");
    broken.complete = false;
    points.push_back(broken);
    CHECK(SelectForRollback(points, "portal", 1).id == "p2");
  }
  SECTION("a failed upgrade after its backup: the next upgrade's point is newer, the first one stays the choice") {
    // 1 deployed; upgrade to 2 backed up then failed its migration; upgrade to 3 (from 1) backed up again.
    std::vector<PointInfo> p = {Point("p3", 300, "3", "2"), Point("p2", 200, "2", "0")};
    CHECK(SelectForRollback(p, "portal", 1).id == "p2");
  }
  SECTION("two points of the same revision: the first one taken") {
    points.push_back(Point("p2-early", 150, "2", "0"));
    std::sort(points.begin(), points.end(),
              [](const PointInfo& a, const PointInfo& b) { return a.manifest->time_unix > b.manifest->time_unix; });
    CHECK(SelectForRollback(points, "portal", 1).id == "p2-early");
  }
}

TEST_CASE("rollback: a gap is accepted only when the chain shows no restore point was taken in it") {
  // Upgrades to 2 and 3 stopped at the backup gate (no point); the upgrade to 4 made one after revision 1's.
  std::vector<PointInfo> chained = {Point("p4", 400, "4", "1"), Point("p1", 100, "1", "0")};
  CHECK(SelectForRollback(chained, "portal", 1).id == "p4");
  // The point of the upgrade 1 -> 2 was pruned: the first left is 3's, which holds revision 2's data.
  std::vector<PointInfo> pruned = {Point("p4", 400, "4", "3"), Point("p3", 300, "3", "2")};
  CHECK_THROWS_WITH(SelectForRollback(pruned, "portal", 1),
                    Catch::Contains("rollback of release portal to revision 1") &&
                        Catch::Contains("p3 (revision 3, after 2)") && Catch::Contains("revisions 2..2") &&
                        Catch::Contains("capstan restore --id ID") && Catch::Contains("helm rollback --no-hooks"));
  // Written before previous_revision was recorded: no proof, refused.
  std::vector<PointInfo> old = {Point("p5", 500, "5", "")};
  CHECK_THROWS_WITH(SelectForRollback(old, "portal", 2), Catch::Contains("p5 (revision 5)"));
}

TEST_CASE("rollback: no point taken after the target is refused, naming the target and the points there are") {
  auto points = TwoUpgrades();
  CHECK_THROWS_AS(SelectForRollback(points, "portal", 3), Error);
  CHECK_THROWS_WITH(SelectForRollback(points, "portal", 3),
                    Catch::Contains("no restore point for a rollback of release portal to revision 3") &&
                        Catch::Contains("none was taken by an upgrade away from revision 3") &&
                        Catch::Contains("p3 (revision 3, after 2), p2 (revision 2)") &&
                        Catch::Contains("capstan backup list"));
  CHECK_THROWS_WITH(SelectForRollback({}, "portal", 1), Catch::Contains("the release has no restore points"));
  CHECK_THROWS_WITH(SelectForRollback(points, "shop", 1), Catch::Contains("the release has no restore points"));
  CHECK_THROWS_AS(SelectForRollback(points, "portal", 0), UsageError);
}

TEST_CASE("revisions are positive integers") {
  CHECK(ParseRevision("7") == 7);
  CHECK(ParseRevision("") == 0);
  CHECK(ParseRevision("v7") == 0);
  CHECK(ParseRevision("-1") == 0);
}
