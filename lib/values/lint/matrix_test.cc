// `values lint --matrix` in the library: one combination per entry (base files plus the entry's files joined with
// '+'), findings tagged with their entry, inputs merged, an entry naming no file refused.
#include <sys/stat.h>

#include <algorithm>

#include <catch2/catch.hpp>

#include "support/test_support.h"
#include "util/error.h"
#include "values/lint/linter.h"

using namespace capstan;
using namespace capstan::values;

TEST_CASE("LintMatrix lints each combination and tags its findings", "[lint][matrix]") {
  test::TempDir dir;
  std::string chart = dir.path() + "/chart";
  REQUIRE(::mkdir(chart.c_str(), 0755) == 0);
  dir.Write("chart/Chart.yaml", "apiVersion: v2\nname: chart\nversion: 0.1.0\n");
  dir.Write("chart/values.yaml", "replicas: 1\nregion: eu\n");
  std::string base = dir.Write("base.yaml", "replicas: 2\n");
  std::string dev = dir.Write("dev.yaml", "replica: 1\n");  // unknown key
  std::string prod = dir.Write("prod.yaml", "region: us\n");
  std::string eu = dir.Write("eu.yaml", "regon: eu\n");     // unknown key
  UserInput in;
  in.value_files = {base};
  lint::LintResult r = lint::LintMatrix(chart, in, {dev, prod + "+" + eu}, {});
  REQUIRE(r.findings.size() == 2);
  for (const auto& f : r.findings) {
    CHECK(f.rule == "unknown-key");
    CHECK(f.context == (f.file == dev ? dev : prod + "+" + eu));
  }
  CHECK(std::find(r.inputs.begin(), r.inputs.end(), eu) != r.inputs.end());
  CHECK(std::is_sorted(r.inputs.begin(), r.inputs.end()));

  lint::LintResult plain = lint::LintMatrix(chart, in, {}, {});
  CHECK(plain.findings.empty());
  CHECK_THROWS_AS(lint::LintMatrix(chart, in, {"+"}, {}), UsageError);
}
