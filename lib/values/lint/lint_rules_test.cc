// Every lint rule, each finding asserted at its exact file:line; ordering; Helm 3 vs 4 schema reading.
#include <catch2/catch.hpp>

#include "lint/lint_fixture.h"
#include "util/error.h"

using namespace capstan;
using namespace capstan::test;
using Catch::Matchers::Contains;

TEST_CASE("a clean overlay has no findings") {
  LintChart c;
  c.Write("ok.yaml", "replicas: 3\nimage:\n  tag: \"1.26\"\ndb:\n  port: 5432\npodAnnotations:\n  a: b\n");
  auto r = c.Lint({"ok.yaml"});
  CHECK(Where(r.findings) == std::vector<std::string>{});
}

TEST_CASE("schema errors point at the overlay line whose value won, per chart and subchart") {
  LintChart c;
  c.Write("a.yaml", "replicas: 5\ndb:\n  port: 1\n");
  c.Write("b.yaml",
          "# second overlay\n"
          "replicas: zero\n"      // 2
          "cache:\n"
          "  level: trace\n");    // 4
  auto r = c.Lint({"a.yaml", "b.yaml"});
  REQUIRE(Where(r.findings) == std::vector<std::string>{"b.yaml:2 schema", "b.yaml:4 schema"});
  CHECK(r.findings[0].path == "/replicas");
  CHECK(r.findings[0].column == 1);
  CHECK_THAT(r.findings[0].message, Contains("replicas") && Contains("integer"));
  CHECK(r.findings[1].path == "/cache/level");
  // A --set value has no file: the message names the flag.
  auto s = c.Lint({"a.yaml"}, {"replicas=0"});
  REQUIRE(s.findings.size() == 1);
  CHECK(s.findings[0].file.empty());
  CHECK_THAT(s.findings[0].message, Contains("--set #1 (replicas=0)"));
}

TEST_CASE("a missing required key points at the schema's required keyword") {
  LintChart c;
  c.Write("a.yaml", "replicas: 3\n");
  auto r = c.Lint({"a.yaml"});
  REQUIRE(Where(r.findings) == std::vector<std::string>{"portal/values.schema.json:18 schema"});
  CHECK(r.findings[0].path == "/db");
  CHECK_THAT(r.findings[0].message, Contains("port"));
}

TEST_CASE("unknown keys get a did-you-mean, free-form maps, subcharts and global are known") {
  LintChart c;
  c.Write("a.yaml",
          "replicas: 3\n"                 // 1
          "db: {port: 5432}\n"            // 2
          "repicas: 4\n"                  // 3
          "podAnnotations:\n"             // 4
          "  anything: goes\n"            // 5
          "labels:\n"                     // 6
          "  team: a\n"                   // 7
          "global:\n"                     // 8
          "  whatever: 1\n"               // 9
          "cache:\n"                      // 10
          "  sise: 1\n"                   // 11
          "extraEnv:\n"                   // 12
          "  FOO: bar\n"                  // 13
          "image:\n"                      // 14
          "  tga: x\n");                  // 15
  auto r = c.Lint({"a.yaml"});
  REQUIRE(Where(r.findings) ==
          std::vector<std::string>{"a.yaml:3 unknown-key", "a.yaml:11 unknown-key", "a.yaml:15 schema"});
  CHECK(r.findings[0].suggestion == "replicas");
  CHECK_THAT(r.findings[0].message, Contains("did you mean 'replicas'?"));
  CHECK(r.findings[1].suggestion == "size");
  CHECK(r.findings[1].path == "/cache/sise");
  // The schema forbids image.tga (additionalProperties: false): one finding, with the suggestion folded in.
  CHECK(r.findings[2].suggestion == "tag");
  CHECK_THAT(r.findings[2].message, Contains("did you mean 'tag'?"));
}

TEST_CASE("renamed and deprecated keys are reported with the new name") {
  LintChart c;
  c.Write("a.yaml",
          "db: {port: 5432}\n"
          "image:\n"
          "  name: custom/nginx\n"        // 3
          "  pullPolicy: Always\n"        // 4
          "legacyPort: 9090\n");          // 5
  auto r = c.Lint({"a.yaml"});
  REQUIRE(Where(r.findings) == std::vector<std::string>{"a.yaml:3 renamed-key", "a.yaml:4 deprecated-key",
                                                        "a.yaml:5 deprecated-key"});
  CHECK(r.findings[0].severity == findings::Severity::kError);  // the old key is ignored by the new chart
  CHECK(r.findings[0].suggestion == "image.repository");
  CHECK_THAT(r.findings[0].message, Contains("renamed to 'image.repository'") && Contains("2.0.0"));
  CHECK(r.findings[1].severity == findings::Severity::kWarning);
  CHECK_THAT(r.findings[1].message, Contains("set by the platform"));
  CHECK_THAT(r.findings[2].message, Contains("service.port") && Contains("1.9.0"));
}

TEST_CASE("type surprises: YAML 1.1 readings the author did not mean") {
  LintChart c;
  c.Write("a.yaml",
          "db: {port: 5432}\n"
          "country: NO\n"                 // 2: schema has no rule for country; the default is a string
          "fileMode: 0755\n"              // 3: octal where a string is expected
          "workers: 2.5\n"                // 4: fraction where the default is a whole number
          "cache:\n"
          "  size: 12345678901234567890\n"  // 6: beyond float64 precision
          "podAnnotations:\n"
          "  on: x\n");                   // 8: key read as "true"
  auto r = c.Lint({"a.yaml"});
  REQUIRE(Where(r.findings) == std::vector<std::string>{"a.yaml:2 type-surprise", "a.yaml:3 type-surprise",
                                                        "a.yaml:4 type-surprise", "a.yaml:6 type-surprise",
                                                        "a.yaml:8 type-surprise"});
  CHECK_THAT(r.findings[0].message, Contains("boolean false"));
  CHECK(r.findings[0].suggestion == "\"NO\"");
  CHECK_THAT(r.findings[1].message, Contains("octal number 493"));
  CHECK_THAT(r.findings[2].message, Contains("not a whole number"));
  CHECK_THAT(r.findings[3].message, Contains("12345678901234567000"));
  CHECK_THAT(r.findings[4].message, Contains("read as 'true'"));
  for (const auto& f : r.findings) CHECK(f.severity == findings::Severity::kWarning);
  // With a schema type, the explanation joins the schema error instead.
  c.Write("b.yaml", "db: {port: 5432}\nimage:\n  tag: 1.10\n");
  auto s = c.Lint({"b.yaml"});
  REQUIRE(Where(s.findings) == std::vector<std::string>{"b.yaml:3 schema"});
  CHECK_THAT(s.findings[0].message, Contains("reads the unquoted 1.10 as the number 1.1"));
}

TEST_CASE("unparsable overlays and unmergeable values are findings, unreadable files are usage errors") {
  LintChart c;
  c.Write("bad.yaml", "replicas: 3\nimage: [a, b\ndb: x\n");
  auto r = c.Lint({"bad.yaml"});
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].rule == "yaml");
  CHECK(r.findings[0].line >= 2);
  c.Write("scalar.yaml", "cache: flat\n");
  auto m = c.Lint({"scalar.yaml"});
  REQUIRE(m.findings.size() == 1);
  CHECK(m.findings[0].rule == "merge");
  CHECK_THAT(m.findings[0].message, Contains("cache"));
  CHECK_THROWS_AS(c.Lint({"missing.yaml"}), UsageError);
}

TEST_CASE("yaml: exactly what Helm refuses, at its line, in plain words and Helm's own") {
  LintChart c;
  c.Write("tab.yaml", "replicas: 3\nimage:\n\ttag: x\n");
  for (int helm : {3, 4}) {
    auto r = c.Lint({"tab.yaml"}, {}, helm);
    REQUIRE(Where(r.findings) == std::vector<std::string>{"tab.yaml:3 yaml"});
    CHECK_THAT(r.findings[0].message, Contains("indent with spaces") && Contains("found character that cannot start"));
  }
  // Helm 4 splits files at "---" lines, Helm 3 reads only the first YAML document.
  c.Write("sep.yaml", "replicas: 3\n--- !!map\nimage: {tag: x}\n");
  CHECK(OfRule(c.Lint({"sep.yaml"}, {}, 3).findings, "yaml").empty());
  auto r4 = c.Lint({"sep.yaml"}, {}, 4);
  REQUIRE(Where(r4.findings) == std::vector<std::string>{"sep.yaml:2 yaml"});
  CHECK_THAT(r4.findings[0].message, Contains("invalid Yaml document separator: !!map"));
  // what the spec allows but go-yaml does not, and the reverse
  c.Write("slash.yaml", "image: {tag: \"1\\/2\"}\n");
  CHECK(Where(c.Lint({"slash.yaml"}).findings) == std::vector<std::string>{"slash.yaml:1 yaml"});
  c.Write("quote.yaml", "image: {tag: \"it\\'s\"}\n");
  CHECK(OfRule(c.Lint({"quote.yaml"}).findings, "yaml").empty());
  // the chart's own values.yaml: a finding, not an abort
  c.Write("portal/values.yaml", "replicas: 3\nimage:\n  tag: [x\n");
  auto v = c.Lint({});
  REQUIRE(v.findings.size() == 1);
  CHECK(v.findings[0].rule == "yaml");
  CHECK_THAT(v.findings[0].file, Catch::EndsWith("portal/values.yaml"));
  CHECK(v.findings[0].line == 4);
}

TEST_CASE("findings come out in the same order whatever the run") {
  LintChart c;
  c.Write("a.yaml", "zz: 1\nrepicas: 2\ncache: {level: x, sise: 2}\naa: 3\nimage: {tga: 1}\n");
  auto first = c.Lint({"a.yaml"});
  REQUIRE(first.findings.size() >= 5);
  for (int i = 0; i < 3; ++i) {
    auto again = c.Lint({"a.yaml"});
    CHECK(Where(again.findings) == Where(first.findings));
  }
  for (size_t i = 1; i < first.findings.size(); ++i)
    CHECK_FALSE(findings::FindingLess(first.findings[i], first.findings[i - 1]));
}

TEST_CASE("helm 3 mode reads a 2020-12 schema as Helm 3.17 does (2019-09/2020-12 keywords ignored)") {
  LintChart c;
  c.Write("portal/values.schema.json",
          "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", \"type\": \"object\",\n"
          " \"properties\": {\"tuple\": {\"type\": \"array\", \"prefixItems\": [{\"type\": \"integer\"}]}}}\n");
  c.Write("a.yaml", "tuple: [a, 1]\n");
  CHECK(OfRule(c.Lint({"a.yaml"}, {}, 4).findings, "schema").size() == 1);
  CHECK(OfRule(c.Lint({"a.yaml"}, {}, 3).findings, "schema").empty());
}
