#include <catch2/catch.hpp>

#include "backup/manifest.h"
#include "backup/retention.h"
#include "util/error.h"

using namespace capstan;
using namespace capstan::backup;

TEST_CASE("a manifest round-trips through JSON") {
  Manifest m;
  m.id = "20261121T120000Z";
  m.time = "2026-11-21T12:00:00Z";
  m.time_unix = 1795262400;
  m.state = kStateComplete;
  m.release = "portal";
  m.revision = "3";
  m.previous_revision = "2";
  m.chart_version = "1.2.3";
  m.app_version = "4.5";
  m.database = "app";
  m.server_version = "15.4";
  m.server_version_num = 150004;
  m.pg_dump_major = 15;
  m.artifacts.push_back({"database.dump", kKindDump, "app", 1234, std::string(64, 'a'), 10, 0});
  m.artifacts.push_back({"dir-0-data.tar.gz", kKindArchive, "/data", 99, std::string(64, 'b'), 3, 50});
  Manifest back = ManifestFromJson(ManifestToJson(m), "manifest.json");
  CHECK(back.id == m.id);
  CHECK(back.time_unix == m.time_unix);
  CHECK(back.release == "portal");
  CHECK(back.revision == "3");
  CHECK(back.previous_revision == "2");
  CHECK(back.server_version_num == 150004);
  REQUIRE(back.artifacts.size() == 2);
  CHECK(back.artifacts[1].source == "/data");
  CHECK(back.artifacts[1].data_bytes == 50);
  CHECK(back.artifacts[0].sha256 == std::string(64, 'a'));
}

TEST_CASE("malformed manifests are errors that name the file") {
  CHECK_THROWS_WITH(ManifestFromJson("{", "m.json"), Catch::Contains("m.json") && Catch::Contains("not valid JSON"));
  CHECK_THROWS_WITH(ManifestFromJson("[]", "m.json"), Catch::Contains("not a JSON object"));
  CHECK_THROWS_WITH(ManifestFromJson(R"({"format":"other"})", "m.json"), Catch::Contains("unknown format"));
  std::string base = R"({"format":"capstan.dev/restore-point/v1","id":"x1","time":"t","time_unix":1,"state":"complete",)";
  CHECK_NOTHROW(ManifestFromJson(base + R"("artifacts":[]})", "m.json"));
  CHECK_THROWS_WITH(ManifestFromJson(base + R"("artifacts":[{"name":"../x","kind":"postgresql-dump","size":1,"sha256":"00"}]})", "m.json"),
                    Catch::Contains("invalid artifact name"));
  CHECK_THROWS_WITH(ManifestFromJson(base + R"("artifacts":[{"name":"x","kind":"postgresql-dump","size":-1,"sha256":"00"}]})", "m.json"),
                    Catch::Contains("size"));
  CHECK_THROWS_WITH(ManifestFromJson(base + R"("artifacts":[{"name":"x","kind":"postgresql-dump","size":1,"sha256":"00"}]})", "m.json"),
                    Catch::Contains("invalid sha256"));
  CHECK_THROWS_WITH(ManifestFromJson(R"({"format":"capstan.dev/restore-point/v1","id":"../up","time":"t","time_unix":1,"state":"complete","artifacts":[]})", "m.json"),
                    Catch::Contains("invalid id"));
}

TEST_CASE("restore point ids and artifact names are plain file names") {
  CHECK(ValidId("20261121T120000Z-2"));
  CHECK_FALSE(ValidId(""));
  CHECK_FALSE(ValidId(".tmp-x"));
  CHECK_FALSE(ValidId("a/b"));
  CHECK_FALSE(ValidId(".."));
  CHECK_FALSE(ValidArtifactName("manifest.json"));
}

TEST_CASE("ages accept days and weeks") {
  CHECK(ParseAge("7d").count() == 7 * 86400);
  CHECK(ParseAge("2w").count() == 14 * 86400);
  CHECK(ParseAge("1d12h").count() == 86400 + 12 * 3600);
  CHECK(ParseAge("90m").count() == 5400);
  CHECK_THROWS_AS(ParseAge("7"), UsageError);
  CHECK_THROWS_AS(ParseAge("d"), UsageError);
  CHECK_THROWS_AS(ParseAge(""), UsageError);
  CHECK_THROWS_AS(ParseAge("7x"), UsageError);
}

TEST_CASE("retention keeps the last N and the young ones, and always the newest") {
  int64_t now = 1000000;
  std::vector<PointTime> pts = {{"a", now - 10 * 86400}, {"b", now - 5 * 86400}, {"c", now - 86400}, {"d", now - 60}};
  RetentionPolicy none;
  CHECK(SelectForPruning(pts, none, now).empty());
  RetentionPolicy last2;
  last2.keep_last = 2;
  CHECK(SelectForPruning(pts, last2, now) == std::vector<std::string>{"b", "a"});
  RetentionPolicy week;
  week.keep_within = std::chrono::seconds(7 * 86400);
  CHECK(SelectForPruning(pts, week, now) == std::vector<std::string>{"a"});
  RetentionPolicy both;
  both.keep_last = 1;
  both.keep_within = std::chrono::seconds(2 * 86400);
  CHECK(SelectForPruning(pts, both, now) == std::vector<std::string>{"b", "a"});
  RetentionPolicy zero;
  zero.keep_last = 0;
  CHECK(SelectForPruning(pts, zero, now) == std::vector<std::string>{"c", "b", "a"});  // never the newest
  RetentionPolicy short_age;
  short_age.keep_within = std::chrono::seconds(1);
  CHECK(SelectForPruning({{"old", 5}}, short_age, now).empty());
}

TEST_CASE("volume snapshots round-trip through the manifest, and manifests without them still read") {
  Manifest m;
  m.id = "20261207T153000Z";
  m.time = "2026-12-07T15:30:00Z";
  m.time_unix = 1796657400;
  m.state = kStateComplete;
  VolumeSnapshotRecord v;
  v.pvc = "portal-shared";
  v.name = "portal-shared-20261207t153000z";
  v.namespace_name = "shop";
  v.class_name = "csi-snapclass";
  v.restore_size = "20Gi";
  v.content_name = "snapcontent-1";
  v.creation_time = "2026-12-07T15:30:01Z";
  v.ready_to_use = true;
  v.pvc_storage_class = "csi-rbd";
  v.pvc_access_modes = {"ReadWriteMany", "ReadOnlyMany"};
  v.pvc_size = "20Gi";
  v.pvc_volume_mode = "Filesystem";
  m.volume_snapshots.push_back(v);
  std::string json = ManifestToJson(m);
  CHECK_THAT(json, Catch::Contains("\"volume_snapshots\""));
  Manifest back = ManifestFromJson(json, "manifest.json");
  CHECK(back.artifacts.empty());
  REQUIRE(back.volume_snapshots.size() == 1);
  const auto& b = back.volume_snapshots[0];
  CHECK(b.pvc == v.pvc);
  CHECK(b.name == v.name);
  CHECK(b.namespace_name == "shop");
  CHECK(b.class_name == "csi-snapclass");
  CHECK(b.restore_size == "20Gi");
  CHECK(b.content_name == "snapcontent-1");
  CHECK(b.creation_time == v.creation_time);
  CHECK(b.ready_to_use);
  CHECK(b.pvc_storage_class == "csi-rbd");
  CHECK(b.pvc_access_modes == v.pvc_access_modes);
  CHECK(b.pvc_size == "20Gi");
  CHECK(b.pvc_volume_mode == "Filesystem");
  CHECK(ManifestToJson(back) == json);

  // Without snapshots the key is not written: manifests of earlier versions are byte-identical.
  m.volume_snapshots.clear();
  CHECK_THAT(ManifestToJson(m), !Catch::Contains("volume_snapshots"));
  std::string base = R"({"format":"capstan.dev/restore-point/v1","id":"x1","time":"t","time_unix":1,"state":"complete","artifacts":[])";
  CHECK(ManifestFromJson(base + "}", "m.json").volume_snapshots.empty());
  auto snaps = [&](const std::string& s) { return ManifestFromJson(base + R"(,"volume_snapshots":)" + s + "}", "m.json"); };
  CHECK(snaps(R"([{"pvc":"data","name":"data-x1","namespace":"shop"}])").volume_snapshots.size() == 1);
  CHECK_THROWS_WITH(snaps("{}"), Catch::Contains("\"volume_snapshots\" is not an array"));
  CHECK_THROWS_WITH(snaps(R"([{"pvc":"data","namespace":"shop"}])"), Catch::Contains("missing \"name\""));
  CHECK_THROWS_WITH(snaps(R"([{"pvc":"data","name":"../x","namespace":"shop"}])"),
                    Catch::Contains("invalid volume snapshot name"));
  CHECK_THROWS_WITH(snaps(R"([{"pvc":"Data","name":"d","namespace":"shop"}])"), Catch::Contains("invalid pvc name"));
  CHECK_THROWS_WITH(snaps(R"([{"pvc":"d","name":"d","namespace":"shop","ready_to_use":"yes"}])"),
                    Catch::Contains("not a boolean"));
  CHECK_THROWS_WITH(snaps(R"([{"pvc":"d","name":"d","namespace":"shop","pvc_spec":{"access_modes":[1]}}])"),
                    Catch::Contains("access mode is not a string"));
  CHECK(ValidKubeName("a.b-c"));
  CHECK_FALSE(ValidKubeName("-a"));
  CHECK_FALSE(ValidKubeName("A"));
  CHECK_FALSE(ValidKubeName(std::string(254, 'a')));
}
