// What a restore trusts, without PostgreSQL: directory-only restore points made by CreateBackup, then tampered
// with. The manifest must match its seal, list something to restore and every file of the restore point; a
// directory is restored in place only when it is on a mounted volume, else only where --dir-map says; special
// files are reported, not silently skipped; setuid/setgid bits are dropped unless asked.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "backup/archive.h"
#include "backup/engine.h"
#include "backup/manifest_seal.h"
#include "backup/restore_targets.h"
#include "backup/tree_compare.h"
#include "log/log.h"
#include "support/test_support.h"
#include "util/error.h"
#include "util/file_io.h"

using namespace capstan;
using namespace capstan::backup;
namespace fs = std::filesystem;
using capstan::test::WriteBytes;

namespace {

StoreOptions At(const std::string& root) {
  StoreOptions s;
  s.root = root;
  return s;
}

void Quiet() {
  log::Options o;
  o.level = log::Level::kOff;
  log::Configure(o);
}

struct Point {
  test::TempDir t;
  std::string data, root, id, dir;
  Point() {
    Quiet();
    data = t.path() + "/data";
    root = t.path() + "/backups";
    ::mkdir(data.c_str(), 0755);
    WriteBytes(data + "/config.xml", "<a/>\n", 0644);
    BackupOptions o;
    o.root = root;
    o.dirs = {data};
    o.database = false;
    id = CreateBackup(o).manifest.id;
    dir = root + "/" + id;
  }
  RestoreOptions Restore(bool map = true) const {
    RestoreOptions r;
    r.root = root;
    r.id = id;
    r.database = false;
    if (map) r.dir_map = {{data, data}};
    return r;
  }
  // Rewrites the manifest (and, when reseal, its seal too: someone who can write both).
  void Edit(const std::string& from, const std::string& to, bool reseal) const {
    std::string text = ReadFile(dir + "/manifest.json");
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    WriteBytes(dir + "/manifest.json", text, 0644);
    if (reseal) Reseal(text);
  }
  void Reseal(const std::string& text) const {
    fs::remove(dir + "/manifest.json.sha256");
    WriteBytes(dir + "/" + kManifestSealFile, SealText(text), 0644);
  }
};

}  // namespace

TEST_CASE("a restore point is sealed, verify and restore accept it as written") {
  Point p;
  CHECK(FileExists(p.dir + "/manifest.json.sha256"));
  CHECK(VerifyPoint(At(p.root), p.id, "").manifest.artifacts.size() == 1);
  WriteBytes(p.data + "/config.xml", "<changed/>\n", 0644);
  auto r = backup::Restore(p.Restore());
  REQUIRE(r.steps.size() == 1);
  CHECK(ReadFile(p.data + "/config.xml") == "<a/>\n");
}

TEST_CASE("a manifest changed after the backup is refused by verify and restore") {
  Point p;
  SECTION("emptied artifact list") {
    std::string text = ReadFile(p.dir + "/manifest.json");
    auto a = text.find("\"artifacts\"");
    REQUIRE(a != std::string::npos);
    auto open = text.find('[', a), close = text.rfind(']');
    WriteBytes(p.dir + "/manifest.json", text.substr(0, open + 1) + text.substr(close), 0644);
    CHECK_THROWS_WITH(VerifyPoint(At(p.root), p.id, ""), Catch::Contains("does not match its seal"));
    CHECK_THROWS_WITH(backup::Restore(p.Restore()), Catch::Contains("does not match its seal"));
    // Resealed by someone who can write both files: still nothing to restore, which is an error.
    p.Reseal(ReadFile(p.dir + "/manifest.json"));
    CHECK_THROWS_WITH(VerifyPoint(At(p.root), p.id, ""), Catch::Contains("nothing to restore"));
    CHECK_THROWS_WITH(backup::Restore(p.Restore(false)), Catch::Contains("nothing to restore"));
  }
  SECTION("changed source directory") {
    p.Edit("\"" + p.data + "\"", "\"/etc\"", false);
    CHECK_THROWS_WITH(VerifyPoint(At(p.root), p.id, ""), Catch::Contains("does not match its seal"));
    // Resealed: /etc is not a mounted volume, so restoring it in place needs --dir-map.
    p.Edit("\"/etc\"", "\"/etc\"", true);
    CHECK_THROWS_AS(backup::Restore(p.Restore(false)), UsageError);
    CHECK_THROWS_WITH(backup::Restore(p.Restore(false)), Catch::Contains("--dir-map /etc="));
  }
  SECTION("an archive the manifest does not list") {
    WriteBytes(p.dir + "/dir-9-extra.tar.gz", "x", 0644);
    CHECK_THROWS_WITH(VerifyPoint(At(p.root), p.id, ""), Catch::Contains("is not listed in the restore point's manifest"));
  }
  SECTION("no seal (a restore point written before seals existed) is refused with the fix") {
    fs::remove(p.dir + "/manifest.json.sha256");
    CHECK_THROWS_WITH(VerifyPoint(At(p.root), p.id, ""),
                      Catch::Contains("sha256sum manifest.json > manifest.json.sha256"));
    CHECK_THROWS_WITH(backup::Restore(p.Restore()), Catch::Contains("is missing"));
  }
}

TEST_CASE("directories are restored only where --dir-map says, or in place on a mounted volume") {
  Point p;
  // The test's temporary directory is on the root file system, not a volume: in place needs --dir-map.
  CHECK_THROWS_WITH(backup::Restore(p.Restore(false)), Catch::Contains("not on a volume mounted here"));
  std::string elsewhere = p.t.path() + "/elsewhere";
  auto o = p.Restore(false);
  o.dir_map = {{p.data, elsewhere}};
  auto r = backup::Restore(o);
  REQUIRE(r.steps.size() == 1);
  CHECK(r.steps[0].target == elsewhere);
  CHECK(ReadFile(elsewhere + "/config.xml") == "<a/>\n");
  o.dir_map = {{"/nope", elsewhere}};
  CHECK_THROWS_WITH(backup::Restore(o), Catch::Contains("has no archive of /nope"));
  // Nothing selected is an error too.
  auto none = p.Restore();
  none.directories = false;
  CHECK_THROWS_WITH(backup::Restore(none), Catch::Contains("nothing to restore"));

  std::vector<std::string> mounts = {"/", "/proc", "/data", "/var/lib/app"};
  CHECK(OnDataVolume("/data", mounts));
  CHECK(OnDataVolume("/var/lib/app/uploads", mounts));
  CHECK_FALSE(OnDataVolume("/etc", mounts));
  CHECK_FALSE(OnDataVolume("/database", mounts));
  CHECK_FALSE(OnDataVolume("/proc/1", mounts));
  CHECK_FALSE(OnDataVolume("/data/../etc", mounts));
  CHECK_FALSE(MountPoints().empty());
}

TEST_CASE("special files are reported and setuid/setgid bits dropped unless asked") {
  Quiet();
  test::TempDir t;
  std::string src = t.path() + "/src";
  ::mkdir(src.c_str(), 0755);
  WriteBytes(src + "/tool", "#!/bin/sh\n", 0755);
  REQUIRE(::chmod((src + "/tool").c_str(), 06755) == 0);
  REQUIRE(::mkfifo((src + "/pipe").c_str(), 0644) == 0);
  std::string archive = t.path() + "/a.tar.gz";
  auto r = test::Run({"tar", "--format=gnu", "-czf", archive, "-C", src, "."});
  REQUIRE(r.exit_code == 0);

  std::string dest = t.path() + "/dest";
  ::mkdir(dest.c_str(), 0755);
  ArchiveStats st = ExtractArchiveFile(archive, dest, "");
  struct stat s {};
  REQUIRE(::stat((dest + "/tool").c_str(), &s) == 0);
  CHECK((s.st_mode & 07777) == 0755);
  CHECK_FALSE(FileExists(dest + "/pipe"));
  CHECK(st.skipped == 1);
  REQUIRE(st.notes.size() == 2);
  std::string notes = st.notes[0] + "\n" + st.notes[1];
  CHECK_THAT(notes, Catch::Contains("pipe: FIFO not restored"));
  CHECK_THAT(notes, Catch::Contains("tool: setuid/setgid bits dropped (mode 6755 -> 0755"));

  std::string kept = t.path() + "/kept";
  ::mkdir(kept.c_str(), 0755);
  ExtractOptions keep;
  keep.keep_setid = true;
  st = ExtractArchiveFile(archive, kept, "", nullptr, keep);
  REQUIRE(::stat((kept + "/tool").c_str(), &s) == 0);
  CHECK((s.st_mode & 07777) == 06755);
  CHECK(st.notes.size() == 1);
}
