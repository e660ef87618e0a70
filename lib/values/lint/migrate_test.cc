// values.renames.yaml parsing and `values migrate` text edits: renames in place and moves between maps keep
// comments, order and quoting; conflicts and flow-style maps are reported, not mangled.
#include <catch2/catch.hpp>

#include "util/error.h"
#include "values/lint/rename_keys.h"
#include "values/lint/renames.h"

using namespace capstan;
using namespace capstan::values;
using namespace capstan::values::lint;

namespace {

ChartRenames R(const std::string& yaml) { return ParseRenames(yaml, "values.renames.yaml"); }

}  // namespace

TEST_CASE("renames file parses, follows chains and rejects malformed entries with a line") {
  ChartRenames r = R("renames:\n"
                     "  - {from: image.name, to: image.repository, since: 2.0.0}\n"
                     "  - from: a\n    to: b\n    since: '1.1'\n"
                     "  - {from: b, to: c, since: '1.2'}\n"
                     "deprecated:\n"
                     "  - key: legacy.port\n    since: 1.0.0\n    message: use metrics.port\n");
  REQUIRE(r.renames.size() == 3);
  CHECK(r.renames[1].line == 3);
  auto img = r.FindRename({"image", "name"});
  REQUIRE(img);
  CHECK(FormatPath(img->to) == "image.repository");
  CHECK(img->since == "2.0.0");
  auto chain = r.FindRename({"a"});
  REQUIRE(chain);
  CHECK(FormatPath(chain->to) == "c");
  CHECK(chain->since == "1.2");
  CHECK_FALSE(r.FindRename({"image"}));
  REQUIRE(r.FindDeprecation({"legacy", "port"}));
  CHECK(r.FindDeprecation({"legacy", "port"})->message == "use metrics.port");
  try {
    R("renames:\n  - from: x\n    since: 1\n");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("values.renames.yaml:2:") == 0);
  }
  CHECK_THROWS_AS(R("renames: [\n"), Error);
}

TEST_CASE("migrate renames a key in place keeping comments, order and quotes") {
  ChartRenames r = R("renames:\n  - {from: image.name, to: image.repository}\n  - {from: q, to: quoted}\n");
  std::string in =
      "# customer values\n"
      "image:\n"
      "  name: nginx   # the image\n"
      "  tag: \"1.10\"\n"
      "'q': 1\n";
  MigrateResult m = MigrateText(in, r);
  CHECK(m.text ==
        "# customer values\n"
        "image:\n"
        "  repository: nginx   # the image\n"
        "  tag: \"1.10\"\n"
        "'quoted': 1\n");
  REQUIRE(m.changes.size() == 2);
  CHECK(m.changes[0].applied);
  CHECK(m.changes[0].line == 3);
  CHECK(m.changes[1].applied);
}

TEST_CASE("migrate moves a key to another map, creating parents and dropping emptied maps") {
  ChartRenames r = R("renames:\n  - {from: legacy.metricsPort, to: metrics.service.port, since: 3.0.0}\n");
  std::string in =
      "replicas: 2\n"
      "legacy:\n"
      "  # the exporter port\n"
      "  metricsPort: 9100\n"
      "metrics:\n"
      "  enabled: true\n"
      "tail: x\n";
  MigrateResult m = MigrateText(in, r);
  INFO(m.text);
  REQUIRE(m.changes.size() == 1);
  CHECK(m.changes[0].applied);
  CHECK(m.text ==
        "replicas: 2\n"
        "metrics:\n"
        "  enabled: true\n"
        "  service:\n"
        "    # the exporter port\n"
        "    port: 9100\n"
        "tail: x\n");
}

TEST_CASE("migrate moves a nested block to the top level") {
  ChartRenames r = R("renames:\n  - {from: app.db, to: database}\n");
  std::string in =
      "app:\n"
      "  name: x\n"
      "  db:\n"
      "    host: h   # primary\n"
      "    script: |\n"
      "      line1\n"
      "        indented\n"
      "other: 1\n";
  MigrateResult m = MigrateText(in, r);
  INFO(m.text);
  CHECK(m.changes.at(0).applied);
  CHECK(m.text ==
        "app:\n"
        "  name: x\n"
        "other: 1\n"
        "database:\n"
        "  host: h   # primary\n"
        "  script: |\n"
        "    line1\n"
        "      indented\n");
}

TEST_CASE("migrate reports conflicts and flow style instead of guessing") {
  ChartRenames r = R("renames:\n  - {from: a.b, to: c.d}\n  - {from: x, to: y}\n");
  MigrateResult m = MigrateText("a: {b: 1}\nx: 1\ny: 2\n", r);
  REQUIRE(m.changes.size() == 2);
  CHECK_FALSE(m.changes[0].applied);
  CHECK(m.changes[0].reason.find("flow-style") != std::string::npos);
  CHECK_FALSE(m.changes[1].applied);
  CHECK(m.changes[1].reason.find("both 'x' and 'y' are set") != std::string::npos);
  CHECK(m.text == "a: {b: 1}\nx: 1\ny: 2\n");
  CHECK_THROWS_AS(MigrateText("a: [\n", r), Error);
}
