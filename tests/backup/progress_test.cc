// What a user sees of a long backup: in a pod (JSON logs) `progress` lines with totals, percentage and the verify
// re-read as its own phase; at a terminal one status line redrawn in place that log lines never run into.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rapidjson/document.h>

#include <map>

#include "backup/tree_compare.h"
#include "support/terminal_run.h"
#include "support/test_support.h"
#include "util/file_io.h"
#include "util/strings.h"

using namespace capstan;
using namespace capstan::test;

namespace {

// The `progress` JSON log lines of stderr, by phase (the last of each phase wins).
std::map<std::string, rapidjson::Document> ProgressLines(const std::string& err, int* count) {
  std::map<std::string, rapidjson::Document> out;
  *count = 0;
  for (const auto& line : Split(err, '\n')) {
    rapidjson::Document d;
    d.Parse(line.c_str());
    if (d.HasParseError() || !d.IsObject() || !d.HasMember("msg") || std::string(d["msg"].GetString()) != "progress")
      continue;
    ++*count;
    std::string phase = d["phase"].GetString();
    out[phase] = std::move(d);
  }
  return out;
}

}  // namespace

TEST_CASE("backup progress in a pod: JSON lines per phase with totals, verify counted on its own") {
  TempDir t;
  std::string data = t.path() + "/data";
  ::mkdir(data.c_str(), 0755);
  WriteBytes(data + "/a.bin", std::string(300000, 'a'), 0644);
  WriteBytes(data + "/b.txt", "hello\n", 0644);
  ::link((data + "/a.bin").c_str(), (data + "/a-again.bin").c_str());  // hard-linked data is archived once
  auto r = Run({Binary("capstan"), "backup", "--no-database", "--dir", data, "--backup-root", t.path() + "/backups",
                "--log-format", "json", "-o", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  int count = 0;
  auto lines = ProgressLines(r.err, &count);
  REQUIRE(lines.count("backup"));
  REQUIRE(lines.count("verify"));
  CHECK(count <= 4);  // a short backup: the last line of each phase, no flood
  auto& b = lines["backup"];
  CHECK(b["bytes"].GetUint64() == 300006);
  CHECK(b["total_bytes"].GetUint64() == 300006);
  CHECK(b["percent"].GetInt() == 100);
  CHECK(b["done"].GetBool());
  CHECK_FALSE(b.HasMember("estimated"));
  // verify: the archive re-read once (checksummed while every entry is checked), not added to the backup's bytes.
  rapidjson::Document out;
  out.Parse(r.out.c_str());
  REQUIRE_FALSE(out.HasParseError());
  uint64_t archive = out["manifest"]["artifacts"][0]["size"].GetUint64();
  auto& v = lines["verify"];
  CHECK(v["bytes"].GetUint64() == archive);
  CHECK(v["total_bytes"].GetUint64() == archive);
  CHECK(v["percent"].GetInt() == 100);
}

TEST_CASE("backup progress at a terminal: one line redrawn in place, log lines never run into it") {
  TempDir t;
  std::string data = t.path() + "/data";
  ::mkdir(data.c_str(), 0755);
  // A large sparse file: seconds of reading and compressing zeros, without using the disk.
  int fd = ::open((data + "/big.img").c_str(), O_CREAT | O_WRONLY, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(::ftruncate(fd, 3LL << 30) == 0);
  ::close(fd);
  WriteBytes(data + "/small.txt", "x\n", 0644);
  TerminalOptions o;
  o.unset_env = {"KUBERNETES_SERVICE_HOST"};
  auto r = RunAtTerminal({Binary("capstan"), "backup", "--no-database", "--dir", data, "--backup-root",
                          t.path() + "/backups", "--log-format", "text", "-o", "json"},
                         o);
  INFO(r.screen);
  REQUIRE(r.exit_code == 0);
  // The status line is drawn as "\r" ESC[K text; RunAtTerminal's screen leaves out every "\r".
  const std::string erase = "\x1b[K";
  // The status line: drawn in place with the total and percentage of the archive, and the verify phase.
  CHECK(r.screen.find(erase + "backup ") != std::string::npos);
  CHECK(r.screen.find(" / 3.0 GiB ") != std::string::npos);
  CHECK(r.screen.find("%, ") != std::string::npos);
  CHECK(r.screen.find(" left") != std::string::npos);
  CHECK(r.screen.find("verify ") != std::string::npos);
  // Every log line starts a line of its own: at the start of the screen, after a newline, or after the status
  // line was erased; none is glued to the end of a status line.
  for (const char* msg : {"backup started", "directory archived", "archive verified", "restore point complete"}) {
    INFO(msg);
    size_t at = r.screen.find(msg);
    REQUIRE(at != std::string::npos);
    bool own_line = at == 0 || r.screen[at - 1] == '\n' || (at >= erase.size() && r.screen.compare(at - erase.size(), erase.size(), erase) == 0);
    CHECK(own_line);
  }
  // At the end the status line is erased: the screen ends with the erase sequence (then the JSON result).
  size_t last_erase = r.screen.rfind(erase);
  REQUIRE(last_erase != std::string::npos);
  size_t result = r.screen.find("{\"result\"");
  REQUIRE(result != std::string::npos);
  CHECK(last_erase < result);
  CHECK(r.screen.substr(last_erase + erase.size(), result - last_erase - erase.size()).find("backup ") ==
        std::string::npos);
}
