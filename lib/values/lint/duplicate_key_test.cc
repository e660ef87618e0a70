// Duplicate keys: the source map records every key written twice in one map (after YAML 1.1 key reading), and the
// linter reports each as a `duplicate-key` warning at the ignored key, naming the line of the one Helm uses.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "support/test_support.h"
#include "values/lint/linter.h"
#include "values/lint/source_map.h"

using namespace capstan;
using namespace capstan::values;
using Catch::Matchers::Contains;

TEST_CASE("the source map records duplicate keys per map", "[lint][duplicate-key]") {
  auto normalize = [](std::string_view text, bool plain) {
    return plain && (text == "on" || text == "yes") ? std::string("true") : std::string(text);
  };
  lint::SourceMap m = lint::SourceMap::Build("a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\na: 4\nx:\n  on: 1\n  true: 2\n"
                                             "list:\n  - {k: 1, k: 2}\n",
                                             normalize);
  REQUIRE(m.ok());
  const auto& d = m.duplicates();
  REQUIRE(d.size() == 4);
  CHECK(d[0].pointer == "/b/c");
  CHECK(d[0].first_line == 3);
  CHECK(d[0].line == 5);
  CHECK(d[1].pointer == "/a");
  CHECK(d[1].first_line == 1);
  CHECK(d[1].line == 6);
  CHECK(d[2].pointer == "/x/true");
  CHECK(d[2].key_text == "true");
  CHECK(d[2].first_line == 8);
  CHECK(d[3].pointer == "/list/0/k");
  CHECK(d[3].first_column == 6);
  CHECK(lint::SourceMap::Build("a: 1\n---\na: 2\n").duplicates().empty());  // documents merge, no duplicate
}

TEST_CASE("values lint reports duplicate keys of an overlay", "[lint][duplicate-key]") {
  test::TempDir dir;
  std::string chart = dir.path() + "/chart";
  REQUIRE(::mkdir(chart.c_str(), 0755) == 0);
  dir.Write("chart/Chart.yaml", "apiVersion: v2\nname: chart\nversion: 0.1.0\n");
  dir.Write("chart/values.yaml", "replicas: 1\nimage:\n  tag: a\n");
  std::string overlay = dir.Write("custom.yaml", "replicas: 2\nimage:\n  tag: b\n  tag: c\nreplicas: 3\n");
  UserInput in;
  in.value_files = {overlay};
  lint::LintResult r = lint::Lint(chart, in, {});
  std::vector<findings::Finding> dups;
  for (const auto& f : r.findings)
    if (f.rule == "duplicate-key") dups.push_back(f);
  REQUIRE(dups.size() == 2);
  CHECK(dups[0].file == overlay);
  CHECK(dups[0].line == 1);
  CHECK(dups[0].path == "/replicas");
  CHECK(dups[0].severity == findings::Severity::kWarning);
  CHECK_THAT(dups[0].message, Contains("replicas") && Contains("line 5") && Contains("Helm uses that later value"));
  CHECK(dups[1].line == 3);
  CHECK(dups[1].path == "/image/tag");
}
