#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include "backup/archive.h"
#include "backup/artifact_source.h"
#include "backup/archive_paths.h"
#include "backup/streams.h"
#include "backup/tar_format.h"
#include "backup/tar_reader.h"
#include "backup/tree_compare.h"
#include "support/test_support.h"
#include "util/error.h"
#include "util/file_io.h"

using namespace capstan;
using namespace capstan::backup;
using capstan::test::TempDir;

namespace {

std::string Archive(const std::vector<std::pair<TarEntry, std::string>>& entries) {
  StringSink sink;
  for (const auto& [e, data] : entries) {
    std::string h = EncodeTarHeader(e);
    sink.Write(h.data(), h.size());
    sink.Write(data.data(), data.size());
    sink.data().append((kTarBlock - data.size() % kTarBlock) % kTarBlock, '\0');
  }
  sink.data().append(2 * kTarBlock, '\0');
  return sink.data();
}

TarEntry Entry(const std::string& name, TarType type, const std::string& link = "", uint64_t size = 0) {
  TarEntry e;
  e.name = name;
  e.type = type;
  e.link = link;
  e.size = size;
  e.mode = type == TarType::kDirectory ? 0755 : 0644;
  e.mtime = 1700000000;
  return e;
}

std::vector<TarEntry> ReadAll(const std::string& bytes, std::vector<std::string>* data = nullptr) {
  MemorySource src(bytes.data(), bytes.size());
  TarReader r(src, "test.tar");
  std::vector<TarEntry> out;
  TarEntry e;
  while (r.Next(e)) {
    out.push_back(e);
    if (data) {
      std::string d;
      char buf[7];
      size_t n;
      while ((n = r.ReadData(buf, sizeof buf)) > 0) d.append(buf, n);
      data->push_back(d);
    }
  }
  return out;
}

void Validate(const std::vector<TarEntry>& entries) {
  ArchiveValidator v("test.tar");
  for (const auto& e : entries) v.Add(e);
  v.Finish();
}

std::string GzipFile(const std::string& path, const std::string& tar) {
  FileSink f(path);
  GzipSink gz(f, 6);
  gz.Write(tar.data(), tar.size());
  gz.Finish();
  f.Finish();
  return f.sha256();
}

}  // namespace

TEST_CASE("tar headers round-trip names, long names, links, modes and times") {
  std::string long_dir(120, 'd');
  std::string very_long = long_dir + "/" + std::string(150, 'f') + "/" + std::string(90, 'g');
  TarEntry file = Entry("a/b.txt", TarType::kFile, "", 5);
  file.mode = 0640;
  file.uid = 1000;
  file.gid = 2000;
  auto bytes = Archive({{Entry("a", TarType::kDirectory), ""},
                        {file, "hello"},
                        {Entry(long_dir + "/x", TarType::kFile, "", 3), "abc"},
                        {Entry(very_long, TarType::kFile, "", 0), ""},
                        {Entry("a/link", TarType::kSymlink, std::string(200, 'l')), ""},
                        {Entry("a/hard", TarType::kHardLink, "a/b.txt"), ""},
                        {Entry("caf\xc3\xa9", TarType::kFile, "", 1), "x"}});
  std::vector<std::string> data;
  auto entries = ReadAll(bytes, &data);
  REQUIRE(entries.size() == 7);
  CHECK(entries[0].name == "a");
  CHECK(entries[0].type == TarType::kDirectory);
  CHECK(entries[1].name == "a/b.txt");
  CHECK(entries[1].mode == 0640);
  CHECK(entries[1].uid == 1000);
  CHECK(entries[1].gid == 2000);
  CHECK(entries[1].mtime == 1700000000);
  CHECK(data[1] == "hello");
  CHECK(entries[2].name == long_dir + "/x");
  CHECK(data[2] == "abc");
  CHECK(entries[3].name == very_long);
  CHECK(entries[4].link == std::string(200, 'l'));
  CHECK(entries[5].type == TarType::kHardLink);
  CHECK(entries[5].link == "a/b.txt");
  CHECK(entries[6].name == "caf\xc3\xa9");
}

TEST_CASE("sizes beyond the ustar field get a pax size record") {
  TarEntry big = Entry("big", TarType::kFile, "", 10ull << 30);
  std::string h = EncodeTarHeader(big);
  CHECK(h.size() % kTarBlock == 0);
  CHECK(h.find("size=10737418240\n") != std::string::npos);
  uint64_t v = 0;
  CHECK(ParseTarNumber("00000000012\0", 12, v));
  CHECK(v == 10);
  const char b256[12] = {static_cast<char>(0x80), 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};
  CHECK(ParseTarNumber(b256, 12, v));
  CHECK(v == 256);
  CHECK_FALSE(ParseTarNumber("12x", 3, v));
}

TEST_CASE("corrupt and truncated tar data is an error, not a crash") {
  auto bytes = Archive({{Entry("f", TarType::kFile, "", 4), "data"}});
  SECTION("flipped header byte fails the checksum") {
    bytes[10] ^= 1;
    CHECK_THROWS_WITH(ReadAll(bytes), Catch::Contains("checksum"));
  }
  SECTION("truncated data") {
    bytes.resize(kTarBlock + 2);
    CHECK_THROWS_WITH(ReadAll(bytes, nullptr), Catch::Contains("truncated"));
  }
  SECTION("not a tar file") {
    std::string junk(1024, 'x');
    CHECK_THROWS_AS(ReadAll(junk), Error);
  }
}

TEST_CASE("unsafe entries are refused before anything is written") {
  CHECK_THROWS_WITH(Validate({Entry("../evil", TarType::kFile)}), Catch::Contains("'..'"));
  CHECK_THROWS_WITH(Validate({Entry("a/../../evil", TarType::kFile)}), Catch::Contains("'..'"));
  CHECK_THROWS_WITH(Validate({Entry("/etc/passwd", TarType::kFile)}), Catch::Contains("absolute"));
  CHECK_THROWS_WITH(Validate({Entry("l", TarType::kSymlink, "/etc")}), Catch::Contains("absolute"));
  CHECK_THROWS_WITH(Validate({Entry("d", TarType::kDirectory), Entry("d/l", TarType::kSymlink, "../../x")}),
                    Catch::Contains("outside"));
  // A chain: y -> . is harmless alone, but x -> y/.. leaves the root once y is followed.
  CHECK_THROWS_WITH(Validate({Entry("y", TarType::kSymlink, "."), Entry("x", TarType::kSymlink, "y/..")}),
                    Catch::Contains("outside"));
  CHECK_THROWS_WITH(Validate({Entry("a", TarType::kSymlink, "b"), Entry("b", TarType::kSymlink, "a")}),
                    Catch::Contains("loop"));
  CHECK_THROWS_WITH(Validate({Entry("l", TarType::kSymlink, "sub"), Entry("l/f", TarType::kFile)}),
                    Catch::Contains("not a directory"));
  CHECK_THROWS_WITH(Validate({Entry("h", TarType::kHardLink, "../outside")}), Catch::Contains("hard link"));
  CHECK_THROWS_WITH(Validate({Entry("h", TarType::kHardLink, "missing")}), Catch::Contains("not an earlier"));
  // Links that stay inside are fine.
  CHECK_NOTHROW(Validate({Entry("d", TarType::kDirectory), Entry("d/f", TarType::kFile),
                          Entry("d/l", TarType::kSymlink, "../d/f"), Entry("top", TarType::kSymlink, "d/./f"),
                          Entry("h", TarType::kHardLink, "d/f"), Entry(".", TarType::kDirectory)}));
}

TEST_CASE("a directory tree survives archive and extraction byte for byte, with modes and links") {
  TempDir t;
  std::string src = t.path() + "/src";
  ::mkdir(src.c_str(), 0755);
  ::mkdir((src + "/sub").c_str(), 0750);
  ::mkdir((src + "/sub/empty").c_str(), 0700);
  ::mkdir((src + "/ro").c_str(), 0755);
  test::WriteBytes(src + "/a.txt", "alpha\n", 0640);
  test::WriteBytes(src + "/exec.sh", "#!/bin/sh\n", 0755);
  test::WriteBytes(src + "/ro/inside", "in a read-only dir", 0444);
  std::string big;
  for (unsigned i = 0; i < 300000; ++i) big += static_cast<char>((i * 7919u) % 251);
  test::WriteBytes(src + "/sub/big.bin", big, 0600);
  test::WriteBytes(src + "/" + std::string(150, 'n'), "long name", 0644);
  ::symlink("a.txt", (src + "/link").c_str());
  ::symlink("../a.txt", (src + "/sub/uplink").c_str());
  ::link((src + "/a.txt").c_str(), (src + "/sub/hard").c_str());
  ::chmod((src + "/ro").c_str(), 0555);

  std::string archive = t.path() + "/a.tar.gz";
  ArchiveStats stats;
  std::string sha;
  {
    FileSink f(archive);
    GzipSink gz(f, 3);
    stats = WriteDirectoryArchive(src, gz, {});
    gz.Finish();
    f.Finish();
    sha = f.sha256();
  }
  CHECK(stats.entries == 12);
  ArchiveCheck c = CheckArchiveFile(archive);
  CHECK(c.sha256 == sha);
  CHECK(c.entries == stats.entries);
  CHECK(c.data_bytes == stats.data_bytes);

  std::string dest = t.path() + "/dest";
  ::mkdir(dest.c_str(), 0755);
  ExtractArchiveFile(archive, dest, sha);
  CHECK(test::Tree(dest) == test::Tree(src));
  struct stat a {}, h {};
  ::stat((dest + "/a.txt").c_str(), &a);
  ::stat((dest + "/sub/hard").c_str(), &h);
  CHECK(a.st_ino == h.st_ino);

  SECTION("GNU tar reads what we write") {
    std::string gnu = t.path() + "/gnu";
    ::mkdir(gnu.c_str(), 0755);
    auto r = test::Run({"tar", "-xzpf", archive, "-C", gnu});
    REQUIRE(r.exit_code == 0);
    CHECK(test::Tree(gnu) == test::Tree(src));
  }
  SECTION("we read what GNU tar writes (long names, gnu format)") {
    std::string gnu_archive = t.path() + "/gnu.tar.gz";
    auto r = test::Run({"tar", "--format=gnu", "-czf", gnu_archive, "-C", src, "."});
    REQUIRE(r.exit_code == 0);
    std::string dest2 = t.path() + "/dest2";
    ::mkdir(dest2.c_str(), 0755);
    ExtractArchiveFile(gnu_archive, dest2, "");
    CHECK(test::Tree(dest2) == test::Tree(src));
  }
  SECTION("a wrong checksum is refused before extraction") {
    std::string dest3 = t.path() + "/dest3";
    ::mkdir(dest3.c_str(), 0755);
    CHECK_THROWS_WITH(ExtractArchiveFile(archive, dest3, std::string(64, '0')), Catch::Contains("does not match"));
    CHECK(test::Tree(dest3).empty());
  }
  ::chmod((src + "/ro").c_str(), 0755);
  ::chmod((dest + "/ro").c_str(), 0755);
}

TEST_CASE("a malicious archive made by Python's tarfile writes nothing, inside or outside") {
  TempDir t;
  std::string script = t.Write("make.py", R"PY(
import io, sys, tarfile
kind, out = sys.argv[1], sys.argv[2]
with tarfile.open(out, "w:gz", format=tarfile.PAX_FORMAT) as tf:
    def add(name, data=b"x", type=tarfile.REGTYPE, link=""):
        ti = tarfile.TarInfo(name); ti.type = type; ti.linkname = link; ti.size = len(data) if type == tarfile.REGTYPE else 0
        tf.addfile(ti, io.BytesIO(data) if type == tarfile.REGTYPE else None)
    add("good.txt", b"fine")
    if kind == "dotdot": add("../escaped.txt")
    if kind == "absolute": add(sys.argv[3] + "/absolute.txt")
    if kind == "symlink":
        add("out", type=tarfile.SYMTYPE, link="../")
        add("out/escaped.txt")
    if kind == "symlink-abs": add("etc", type=tarfile.SYMTYPE, link="/etc")
    if kind == "hardlink": add("h", type=tarfile.LNKTYPE, link="../../etc/passwd")
)PY");
  for (std::string kind : {"dotdot", "absolute", "symlink", "symlink-abs", "hardlink"}) {
    CAPTURE(kind);
    std::string archive = t.path() + "/" + kind + ".tar.gz";
    auto r = test::Run({"python3", script, kind, archive, t.path()});
    REQUIRE(r.exit_code == 0);
    std::string dest = t.path() + "/dest-" + kind;
    ::mkdir(dest.c_str(), 0755);
    CHECK_THROWS_WITH(ExtractArchiveFile(archive, dest, ""), Catch::Contains("refusing to extract"));
    CHECK(test::Tree(dest).empty());  // not even good.txt: validation comes first
    CHECK_FALSE(FileExists(t.path() + "/escaped.txt"));
    CHECK_FALSE(FileExists(t.path() + "/absolute.txt"));
    CHECK_THROWS_AS(CheckArchiveFile(archive), Error);
  }
}

TEST_CASE("replacing a directory's contents keeps the old ones when staging fails") {
  TempDir t;
  std::string src = t.path() + "/src", target = t.path() + "/target";
  ::mkdir(src.c_str(), 0755);
  ::mkdir(target.c_str(), 0755);
  test::WriteBytes(src + "/new.txt", "new");
  test::WriteBytes(target + "/old.txt", "old");
  std::string archive = t.path() + "/a.tar.gz", sha;
  {
    FileSink f(archive);
    GzipSink gz(f, 1);
    WriteDirectoryArchive(src, gz, {});
    gz.Finish();
    f.Finish();
    sha = f.sha256();
  }
  {
    DirectoryRestore bad(target, CheckedFileOpener(archive, std::string(64, 'f')), archive);
    CHECK_THROWS_AS(bad.Stage(), Error);
  }
  auto before = test::Tree(target);
  CHECK(before.size() == 1);
  CHECK(before.count("old.txt"));
  {
    DirectoryRestore good(target, CheckedFileOpener(archive, sha), archive);
    good.Stage();
    CHECK(test::Tree(target).count("old.txt"));  // untouched until Commit
    good.Commit();
  }
  CHECK(test::Tree(target) == test::Tree(src));
}

TEST_CASE("gzip streams detect truncation and trailing garbage") {
  TempDir t;
  std::string path = t.path() + "/x.gz";
  std::string payload;
  for (int i = 0; i < 100000; ++i) payload += static_cast<char>('a' + (i * 2654435761u >> 7) % 26);
  GzipFile(path, payload);
  std::string bytes = test::Slurp(path);
  auto inflate = [](const std::string& b) {
    MemorySource src(b.data(), b.size());
    GzipSource gz(src, "x.gz");
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = gz.Read(buf, sizeof buf)) > 0) out.append(buf, n);
    return out;
  };
  CHECK(inflate(bytes) == payload);
  CHECK_THROWS_WITH(inflate(bytes.substr(0, bytes.size() - 4)), Catch::Contains("truncated"));
  CHECK_THROWS_WITH(inflate(bytes + "junk"), Catch::Contains("after the gzip stream"));
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x55;
  CHECK_THROWS_AS(inflate(flipped), Error);
}
