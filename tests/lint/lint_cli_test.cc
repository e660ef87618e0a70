// `capstan values lint` and `capstan values migrate` as users run them: exit codes, --strict, --matrix, and the five
// output formats (SARIF validated against the SARIF 2.1.0 structure schema, JUnit parsed by a real XML parser,
// GitHub annotations escaped).
#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include "jsonschema/validator.h"
#include "lint/lint_fixture.h"
#include "util/file_io.h"

using namespace capstan;
using namespace capstan::test;
using Catch::Matchers::Contains;

namespace {

void WriteOverlays(const LintChart& c) {
  c.Write("base.yaml", "db:\n  port: 5432\nimage:\n  tag: \"2.0\"\n");
  c.Write("env/dev.yaml", "replicas: 1\n");
  c.Write("env/staging.yaml", "replicas: 0\n");                 // schema: minimum 1
  c.Write("env/prod.yaml", "replicas: 4\nrepicas: 5\n");        // unknown key
  c.Write("warn.yaml", "db: {port: 1}\ncountry: NO\n");         // a warning only
}

}  // namespace

TEST_CASE("exit codes: 0 clean, 1 findings, warnings fail only with --strict, 2 usage") {
  LintChart c;
  WriteOverlays(c);
  auto ok = c.Cli({"-f", "base.yaml"});
  INFO(ok.out << ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(ok.out == "no findings in 6 files\n");
  auto warn = c.Cli({"-f", "warn.yaml"});
  CHECK(warn.exit_code == 0);
  CHECK_THAT(warn.out, Contains("warn.yaml:2:10: warning:") && Contains("[type-surprise]"));
  CHECK(c.Cli({"-f", "warn.yaml", "--strict"}).exit_code == 1);
  auto bad = c.Cli({"-f", "base.yaml,env/prod.yaml"});
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.out, Contains("env/prod.yaml:2:1: error: unknown key 'repicas'"));
  // --schema replaces the chart's schema for the top chart.
  c.Write("strict.json", "{\"type\": \"object\", \"required\": [\"owner\"]}\n");
  auto other = c.Cli({"-f", "base.yaml", "--schema", "strict.json"});
  CHECK(other.exit_code == 1);
  CHECK_THAT(other.out, Contains("strict.json:1:") && Contains("owner"));
  CHECK(c.Cli({"-f", "base.yaml", "--schema", "missing.json"}).exit_code == 2);
  CHECK(c.Cli({"-f", "nope.yaml"}).exit_code == 2);
  CHECK(c.Cli({"--bogus"}).exit_code == 2);
  CHECK(c.Cli({"-o", "xml"}).exit_code == 2);
  ProcessOptions o;
  o.cwd = c.dir();
  CHECK(Run({Binary("capstan"), "values", "lint", "no-such-chart"}, o).exit_code == 2);
}

TEST_CASE("matrix mode lints each environment on top of the base files and reports every failure") {
  LintChart c;
  WriteOverlays(c);
  auto r = c.Cli({"-f", "base.yaml", "--matrix", "env/dev.yaml", "--matrix", "env/staging.yaml", "--matrix",
                  "env/prod.yaml", "-o", "json"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  rapidjson::Document d;
  REQUIRE_FALSE(d.Parse(r.out.c_str()).HasParseError());
  std::vector<std::string> got;
  for (const auto& f : d["findings"].GetArray())
    got.push_back(std::string(f["file"].GetString()) + ":" + std::to_string(f["line"].GetInt()) + " " +
                  f["rule"].GetString() + " in " + f["context"].GetString());
  CHECK(got == std::vector<std::string>{"env/prod.yaml:2 unknown-key in env/prod.yaml",
                                        "env/staging.yaml:1 schema in env/staging.yaml"});
  // Several files in one combination: later ones win.
  auto joined = c.Cli({"-f", "base.yaml", "--matrix", "env/staging.yaml+env/dev.yaml"});
  CHECK(joined.exit_code == 0);
  // A problem in the shared base file is reported once, naming every combination.
  c.Write("base2.yaml", "db:\n  port: 5432\nzzz: 1\n");
  auto shared = c.Cli({"-f", "base2.yaml", "--matrix", "env/dev.yaml", "--matrix", "env/prod.yaml"});
  CHECK_THAT(shared.out, Contains("base2.yaml:3:1: error: unknown key 'zzz'") &&
                             Contains("(in env/dev.yaml, env/prod.yaml)"));
}

TEST_CASE("SARIF output is valid SARIF 2.1.0 and points at the lines") {
  LintChart c;
  WriteOverlays(c);
  auto r = c.Cli({"-f", "base.yaml", "-f", "env/prod.yaml", "-f", "warn.yaml", "--set", "replicas=0", "-o", "sarif"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  rapidjson::Document doc;
  REQUIRE_FALSE(doc.Parse(r.out.c_str()).HasParseError());
  rapidjson::Document schema;
  std::string schema_text = ReadFile(SourceDir() + "/tests/lint/data/sarif-2.1.0-required.schema.json");
  REQUIRE_FALSE(schema.Parse(schema_text.c_str()).HasParseError());
  auto compiled = jsonschema::Schema::Compile(schema, "file:///sarif-2.1.0-required.schema.json",
                                              jsonschema::Registry());
  auto errors = compiled.Validate(doc);
  for (const auto& e : errors) INFO(e.instance_location + ": " + e.message);
  CHECK(errors.empty());
  const auto& run = doc["runs"][0];
  CHECK(std::string(run["tool"]["driver"]["name"].GetString()) == "capstan");
  CHECK(run["tool"]["driver"]["rules"].Size() == 8);
  std::vector<std::string> got;
  for (const auto& res : run["results"].GetArray()) {
    std::string where = "-";
    if (res.HasMember("locations")) {
      const auto& pl = res["locations"][0]["physicalLocation"];
      where = std::string(pl["artifactLocation"]["uri"].GetString()) + ":" +
              std::to_string(pl["region"]["startLine"].GetInt());
    }
    got.push_back(where + " " + res["ruleId"].GetString() + " " + res["level"].GetString());
    // ruleIndex must point at the rule with that id.
    CHECK(std::string(run["tool"]["driver"]["rules"][res["ruleIndex"].GetInt()]["id"].GetString()) ==
          res["ruleId"].GetString());
  }
  CHECK(got == std::vector<std::string>{"- schema error", "env/prod.yaml:2 unknown-key error",
                                        "warn.yaml:2 type-surprise warning"});
  // The structure schema is not a rubber stamp: a result without a message, a line 0 and a bad level fail it.
  rapidjson::Document broken;
  broken.Parse(R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[
      {"level":"fatal","locations":[{"physicalLocation":{"artifactLocation":{"uri":"a"},"region":{"startLine":0}}}]}]}]})");
  CHECK(compiled.Validate(broken).size() >= 3);
}

TEST_CASE("JUnit output parses as XML with one suite per file and failures per rule") {
  LintChart c;
  WriteOverlays(c);
  c.Write("odd <&>.yaml", "db: {port: 5432}\nrepicas: \"<&>\"\n");
  auto r = c.Cli({"-f", "odd <&>.yaml", "-f", "env/staging.yaml", "-o", "junit"});
  CHECK(r.exit_code == 1);
  std::string path = c.Write("out.xml", r.out);
  auto py = Run({"python3", "-c",
                 "import sys, xml.etree.ElementTree as ET\n"
                 "root = ET.parse(sys.argv[1]).getroot()\n"
                 "for s in root.findall('testsuite'):\n"
                 "  for c in s.findall('testcase'):\n"
                 "    f = c.find('failure')\n"
                 "    if f is not None: print(s.get('name').split('/')[-1], c.get('classname'), f.text.strip().split(': ')[0].split('/')[-1])\n",
                 path});
  INFO(r.out << py.err);
  REQUIRE(py.exit_code == 0);
  CHECK(py.out == "staging.yaml capstan.schema staging.yaml:1:1\n"
                  "odd <&>.yaml capstan.unknown-key odd <&>.yaml:2:1\n");
}

TEST_CASE("GitHub annotations carry file, line, column and escaped text") {
  LintChart c;
  WriteOverlays(c);
  c.Write("a:b.yaml", "db: {port: 5432}\nrepicas: 1\n");
  auto m = c.Cli({"-f", "a:b.yaml", "-o", "github"});
  INFO(m.out << m.err);
  CHECK(m.exit_code == 1);
  CHECK(m.out ==
        "::error file=a%3Ab.yaml,line=2,col=1,title=capstan unknown-key::unknown key 'repicas': the chart neither "
        "has a default nor a schema entry for it; did you mean 'replicas'?\n");
}

TEST_CASE("values migrate rewrites renamed keys in place and lint is then clean of them") {
  LintChart c;
  c.Write("custom.yaml",
          "# customer file\n"
          "db: {port: 5432}\n"
          "image:\n"
          "  name: custom/nginx   # our mirror\n"
          "  tag: \"1.25\"\n");
  ProcessOptions o;
  o.cwd = c.dir();
  auto check = Run({Binary("capstan"), "values", "migrate", "portal", "-f", "custom.yaml", "--check"}, o);
  CHECK(check.exit_code == 1);
  auto m = Run({Binary("capstan"), "values", "migrate", "portal", "-f", "custom.yaml"}, o);
  INFO(m.err);
  CHECK(m.exit_code == 0);
  CHECK(Slurp(c.dir() + "/custom.yaml") ==
        "# customer file\n"
        "db: {port: 5432}\n"
        "image:\n"
        "  repository: custom/nginx   # our mirror\n"
        "  tag: \"1.25\"\n");
  CHECK(c.Cli({"-f", "custom.yaml"}).exit_code == 0);
  CHECK(Run({Binary("capstan"), "values", "migrate", "portal", "-f", "custom.yaml", "--check"}, o).exit_code == 0);
}

TEST_CASE("typos in flags and subcommands get a did-you-mean and exit 2") {
  LintChart c;
  WriteOverlays(c);
  auto flag = c.Cli({"--vaules", "base.yaml"});
  CHECK(flag.exit_code == 2);
  CHECK_THAT(flag.err, Contains("unknown flag --vaules (did you mean --values?)") &&
                           Contains("run 'capstan values lint --help'"));
  auto sub = Run({Binary("capstan"), "migrat", "plan"});
  CHECK(sub.exit_code == 2);
  CHECK_THAT(sub.err, Contains("unknown command 'migrat' for capstan (did you mean 'migrate'?)"));
  auto nested = Run({Binary("capstan"), "values", "lnit", "chart"});
  CHECK(nested.exit_code == 2);
  CHECK_THAT(nested.err, Contains("unknown command 'lnit' for capstan values (did you mean 'lint'?)"));
}
