// The log file: created 0600 (its new directories 0700 when asked), appended to, rotated to FILE.1 at its size
// limit with one older file kept, and never a reason to fail: errors come back as values.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "log/log.h"
#include "log/log_file.h"
#include "support/test_support.h"

using namespace capstan;

namespace {
unsigned Mode(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}
}  // namespace

TEST_CASE("log file: created 0600, its missing directories 0700 when asked, appended to") {
  test::TempDir d;
  log::LogFile f;
  std::string path = d.path() + "/state/capstan/run.log";
  CHECK_FALSE(f.Open({path, 0, false}));  // the directory is missing and was not to be created
  CHECK_THAT(f.error(), Catch::Contains(path));
  CHECK_FALSE(f.Append("x\n"));
  REQUIRE(f.Open({path, 0, true}));
  CHECK(f.error().empty());
  CHECK(Mode(d.path() + "/state") == 0700);
  CHECK(Mode(d.path() + "/state/capstan") == 0700);
  CHECK(Mode(path) == 0600);
  CHECK(f.Append("one\n"));
  log::LogFile again;
  REQUIRE(again.Open({path, 0, false}));
  CHECK(again.Append("two\n"));
  CHECK(test::Slurp(path) == "one\ntwo\n");
}

TEST_CASE("log file: rotated to FILE.1 when a write would pass the limit, one older file kept") {
  test::TempDir d;
  std::string path = d.path() + "/run.log";
  log::LogFile f;
  REQUIRE(f.Open({path, 10, false}));
  CHECK(f.Append("12345\n"));
  CHECK(f.Append("678\n"));  // 10 bytes: at the limit, not past it
  CHECK_FALSE(std::filesystem::exists(log::RotatedPath(path)));
  CHECK(f.Append("abc\n"));
  CHECK(test::Slurp(log::RotatedPath(path)) == "12345\n678\n");
  CHECK(test::Slurp(path) == "abc\n");
  CHECK(Mode(path) == 0600);
  CHECK(f.Append("a longer line than the limit\n"));  // rotated again; a long line is still written whole
  CHECK(test::Slurp(log::RotatedPath(path)) == "abc\n");
  CHECK(test::Slurp(path) == "a longer line than the limit\n");
  CHECK(f.Append("next\n"));
  CHECK(test::Slurp(path) == "next\n");
  CHECK(log::RotatedPath(path) == path + ".1");
}

TEST_CASE("log file: another run's rotation is not repeated, a FIFO without a reader does not hang") {
  test::TempDir d;
  std::string path = d.path() + "/run.log";
  log::LogFile a, b;
  REQUIRE(a.Open({path, 8, false}));
  REQUIRE(b.Open({path, 8, false}));
  CHECK(a.Append("1234567\n"));
  CHECK(a.Append("first\n"));  // a rotates: run.log.1 holds 1234567
  CHECK(b.Append("second\n"));  // b's file is now run.log.1 (full): b reopens run.log, renames nothing
  CHECK(test::Slurp(log::RotatedPath(path)) == "1234567\n");
  CHECK(test::Slurp(path) == "first\nsecond\n");

  std::string fifo = d.path() + "/fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  log::LogFile p;
  CHECK_FALSE(p.Open({fifo, 0, false}));
  CHECK_FALSE(p.error().empty());
}

TEST_CASE("log options: a tagged file line carries time, program and pid, WriteFile, an optional file") {
  test::TempDir d;
  std::string text = log::FormatFileLine(log::Format::kText, log::Level::kError, "broke", {{"n", 1}}, "prog", 42);
  CHECK(text.size() == std::string("2026-12-07T03:18:47.123Z prog[42]: error: broke n=1\n").size());
  CHECK(text.substr(23) == "Z prog[42]: error: broke n=1\n");
  CHECK(text[10] == 'T');
  std::string json = log::FormatFileLine(log::Format::kJson, log::Level::kError, "broke", {}, "prog", 42);
  CHECK_THAT(json, Catch::Contains("\"msg\":\"broke\",\"program\":\"prog\",\"pid\":42}"));

  log::Options o;
  o.level = log::Level::kInfo;
  o.file = d.path() + "/new/dir/run.log";
  o.file_tag = "prog";
  o.file_make_dirs = true;
  log::Configure(o);
  CHECK(log::FileOpen());
  log::WriteFile(log::Level::kError, "only in the file, password=hunter2");
  std::string content = test::Slurp(o.file);
  CHECK_THAT(content, Catch::Contains("prog[" + std::to_string(::getpid()) + "]: error: only in the file, password=***"));
  CHECK(content.find("hunter2") == std::string::npos);

  o.file = d.path() + "/missing/run.log";
  o.file_make_dirs = false;
  CHECK_THROWS_WITH(log::Configure(o), Catch::Contains("cannot open --log-file"));
  o.file_optional = true;
  CHECK_NOTHROW(log::Configure(o));
  CHECK_FALSE(log::FileOpen());
  CHECK_THAT(log::FileError(), Catch::Contains(o.file));
  log::WriteFile(log::Level::kError, "nowhere");  // no file: nothing happens
  log::Configure(log::Options{});
}
