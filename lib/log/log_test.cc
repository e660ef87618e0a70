// Log lines: the text form (level tags, fields quoted only when needed, colour), the JSON form (one object per line,
// numbers and booleans unquoted), format names, level filtering and the --log-file mirror.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <rapidjson/document.h>

#include "log/log.h"
#include "support/test_support.h"
#include "util/error.h"
#include "util/strings.h"

using namespace capstan;
using log::Format;
using log::Level;

TEST_CASE("text lines: a tag for warnings, errors and debug, then the message and key=value fields") {
  CHECK(log::FormatLine(Format::kText, Level::kInfo, "migrated", {{"version", 12}}, false) == "migrated version=12\n");
  CHECK(log::FormatLine(Format::kText, Level::kWarn, "slow", {}, false) == "warning: slow\n");
  CHECK(log::FormatLine(Format::kText, Level::kError, "failed", {}, false) == "error: failed\n");
  CHECK(log::FormatLine(Format::kText, Level::kDebug, "detail", {}, false) == "debug: detail\n");
  std::string quoted = log::FormatLine(Format::kText, Level::kInfo, "m", {{"path", "a b"}, {"empty", ""}, {"k", "v"}},
                                       false);
  CHECK(quoted == "m path=" + Quote("a b") + " empty=" + Quote("") + " k=v\n");
  std::string coloured = log::FormatLine(Format::kText, Level::kError, "failed", {}, true);
  CHECK(coloured == "\x1b[31merror: \x1b[0mfailed\n");
  CHECK(log::FormatLine(Format::kText, Level::kInfo, "plain", {}, true) == "plain\n");  // info has no tag to colour
}

TEST_CASE("JSON lines: time, level, msg, then the fields, numbers and booleans unquoted") {
  std::string line = log::FormatLine(Format::kJson, Level::kWarn, "say \"hi\"\n",
                                     {{"count", 3}, {"ok", true}, {"ratio", 0.5}, {"name", "db"}}, true);
  REQUIRE(line.back() == '\n');
  CHECK(line.find('\n') == line.size() - 1);  // one line, even with a newline in the message
  rapidjson::Document d;
  d.Parse(line.c_str());
  REQUIRE_FALSE(d.HasParseError());
  CHECK(std::string(d["level"].GetString()) == "warn");
  CHECK(std::string(d["msg"].GetString()) == "say \"hi\"\n");
  CHECK(d["time"].IsString());
  CHECK(d["count"].GetInt() == 3);
  CHECK(d["ok"].IsBool());
  CHECK(d["ok"].GetBool());
  CHECK(d["ratio"].GetDouble() == 0.5);
  CHECK(std::string(d["name"].GetString()) == "db");
  CHECK(line.find("\x1b[") == std::string::npos);  // no colour in JSON
}

TEST_CASE("format names, level filtering and the log file") {
  CHECK(log::ParseFormat("text") == Format::kText);
  CHECK(log::ParseFormat("json") == Format::kJson);
  CHECK_THROWS_AS(log::ParseFormat("yaml"), UsageError);
  CHECK_THROWS_WITH(log::ParseFormat("yaml"), Catch::Contains("use text or json"));
  test::TempDir dir;
  log::Options o;
  o.level = Level::kWarn;
  o.file = dir.path() + "/capstan.log";
  log::Configure(o);
  CHECK_FALSE(log::Enabled(Level::kInfo));
  CHECK(log::Enabled(Level::kWarn));
  CHECK(log::Enabled(Level::kError));
  log::Info("not written");
  log::Warn("written", {{"n", 1}});
  std::string content = test::Slurp(o.file);
  CHECK(content == "warning: written n=1\n");
  o.level = Level::kOff;
  o.file.clear();
  log::Configure(o);
  CHECK_FALSE(log::Enabled(Level::kError));
  o.file = dir.path() + "/missing-dir/capstan.log";
  CHECK_THROWS_WITH(log::Configure(o), Catch::Contains("cannot open --log-file"));
  log::Configure(log::Options{});
}

TEST_CASE("a status line is erased before each log line and drawn again after it") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  int saved = ::dup(2);
  ::dup2(fds[1], 2);
  log::Options o;
  o.format = log::Format::kText;
  log::Configure(o);
  log::SetStatusLine("backup 1.0 GiB / 2.0 GiB 50%");
  log::Info("directory archived", {{"dir", "/data"}});
  log::SetStatusLine("");
  log::SetStatusLine("");  // nothing shown: nothing to erase
  log::Info("done");
  ::dup2(saved, 2);
  ::close(saved);
  ::close(fds[1]);
  std::string got;
  char buf[512];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) got.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  log::Configure(log::Options{});
  CHECK(got ==
        "\r\x1b[Kbackup 1.0 GiB / 2.0 GiB 50%"
        "\r\x1b[Kdirectory archived dir=/data\nbackup 1.0 GiB / 2.0 GiB 50%"
        "\r\x1b[K"
        "done\n");
}
