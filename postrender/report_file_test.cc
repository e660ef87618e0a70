// The --report file: its directory is created up front, an unwritable place fails before any work with the option,
// the path and what to do, and the report is written whole.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "postrender/report_file.h"
#include "support/test_support.h"
#include "util/error.h"

using namespace capstan;
using namespace capstan::postrender;

TEST_CASE("report file: a missing directory is created, and the report is written") {
  test::TempDir dir;
  const std::string path = dir.path() + "/reports/portal/new.json";
  PrepareReportFile(path);
  struct stat st {};
  REQUIRE(::stat((dir.path() + "/reports/portal").c_str(), &st) == 0);
  CHECK(S_ISDIR(st.st_mode));
  // Nothing is left behind by the check.
  CHECK(std::filesystem::is_empty(dir.path() + "/reports/portal"));
  WriteReportFile(path, "{\"workloads\": []}\n");
  CHECK(test::Slurp(path) == "{\"workloads\": []}\n");
}

TEST_CASE("report file: a place that cannot be written is a usage error naming --report, the path and the fix") {
  test::TempDir dir;
  const std::string file = dir.Write("plain", "x");
  try {
    PrepareReportFile(file + "/sub/report.json");  // a directory under a regular file
    FAIL("no error");
  } catch (const UsageError& e) {
    std::string m = e.what();
    CHECK(m.find("--report " + file + "/sub/report.json") != std::string::npos);
    CHECK(m.find("Give a path in a directory you can write") != std::string::npos);
  }
  CHECK_THROWS_WITH(PrepareReportFile(dir.path()), Catch::Contains("is a directory"));
  if (::geteuid() != 0) {  // root writes anywhere
    const std::string ro = dir.path() + "/ro";
    REQUIRE(::mkdir(ro.c_str(), 0555) == 0);
    CHECK_THROWS_WITH(PrepareReportFile(ro + "/r.json"), Catch::Contains("cannot create a file in " + ro));
  }
}
