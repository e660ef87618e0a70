// The findings model: deterministic order, folding of matrix contexts, counts and thresholds, and the text, JSON,
// GitHub and JUnit formats (SARIF is validated against its schema in sarif_test.cc).
#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include "findings/finding.h"
#include "findings/format.h"
#include "support/test_support.h"
#include "util/error.h"

using namespace capstan;
using namespace capstan::findings;

namespace {

Finding F(std::string file, int line, int col, std::string rule, std::string msg,
          Severity sev = Severity::kError, std::string context = "") {
  Finding f;
  f.file = std::move(file);
  f.line = line;
  f.column = col;
  f.rule = std::move(rule);
  f.message = std::move(msg);
  f.severity = sev;
  f.context = std::move(context);
  return f;
}

Report SampleReport() {
  Report r;
  r.tool = "capstan";
  r.tool_version = "0.1.0";
  r.title = "capstan values lint";
  r.rules = {{"schema", "values must satisfy values.schema.json", Severity::kError},
             {"unknown-key", "keys must exist in the chart", Severity::kError}};
  r.inputs = {"values.yaml", "env/prod.yaml"};
  r.findings = {F("env/prod.yaml", 3, 5, "unknown-key", "unknown key 'imgae' (did you mean 'image'?)"),
                F("values.yaml", 7, 1, "schema", "replicas: got string, want integer", Severity::kWarning)};
  return r;
}

}  // namespace

TEST_CASE("findings sort by file, line, column, rule whatever the input order") {
  std::vector<Finding> a = {F("b.yaml", 1, 1, "x", "m"), F("a.yaml", 10, 1, "x", "m"), F("a.yaml", 2, 7, "z", "m"),
                            F("a.yaml", 2, 7, "y", "m"), F("a.yaml", 2, 3, "z", "m")};
  std::vector<Finding> b(a.rbegin(), a.rend());
  SortAndFold(a);
  SortAndFold(b);
  REQUIRE(a.size() == 5);
  for (size_t i = 0; i < a.size(); ++i) CHECK(LocationString(a[i]) + a[i].rule == LocationString(b[i]) + b[i].rule);
  CHECK(LocationString(a[0]) == "a.yaml:2:3");
  CHECK(a[1].rule == "y");
  CHECK(a[2].rule == "z");
  CHECK(LocationString(a[3]) == "a.yaml:10:1");
  CHECK(a[4].file == "b.yaml");
}

TEST_CASE("identical findings from several matrix combinations are folded into one") {
  std::vector<Finding> v = {F("base.yaml", 4, 3, "schema", "bad", Severity::kError, "env/prod.yaml"),
                            F("base.yaml", 4, 3, "schema", "bad", Severity::kError, "env/dev.yaml"),
                            F("env/dev.yaml", 1, 1, "schema", "bad", Severity::kError, "env/dev.yaml")};
  SortAndFold(v);
  REQUIRE(v.size() == 2);
  CHECK(v[0].file == "base.yaml");
  CHECK(v[0].context == "env/dev.yaml, env/prod.yaml");
}

TEST_CASE("thresholds and counts") {
  std::vector<Finding> v = {F("a", 1, 1, "r", "m", Severity::kWarning), F("a", 2, 1, "r", "m", Severity::kInfo)};
  CHECK_FALSE(AnyAtOrAbove(v, Severity::kError));
  CHECK(AnyAtOrAbove(v, Severity::kWarning));
  CHECK(AnyAtOrAbove(v, Severity::kInfo));
  Counts c = Count(v);
  CHECK(c.errors == 0);
  CHECK(c.warnings == 1);
  CHECK(c.infos == 1);
  CHECK(ParseSeverity("warning") == Severity::kWarning);
  CHECK_THROWS_AS(ParseSeverity("fatal"), UsageError);
  CHECK_THROWS_AS(ParseFormat("xml"), UsageError);
  CHECK(ParseFormat("junit") == Format::kJunit);
}

TEST_CASE("text format reads like a compiler diagnostic, colour only when asked") {
  Report r = SampleReport();
  std::string plain = RenderText(r, {});
  CHECK(plain ==
        "env/prod.yaml:3:5: error: unknown key 'imgae' (did you mean 'image'?) [unknown-key]\n"
        "values.yaml:7:1: warning: replicas: got string, want integer [schema]\n"
        "1 error, 1 warning, 0 infos in 2 files\n");
  CHECK(plain.find('\x1b') == std::string::npos);
  RenderOptions o;
  o.color = true;
  std::string colored = RenderText(r, o);
  CHECK(colored.find("\x1b[1;31merror\x1b[0m") != std::string::npos);
  r.findings.clear();
  CHECK(RenderText(r, {}) == "no findings in 2 files\n");
}

TEST_CASE("JSON format carries every field and a summary") {
  Report r = SampleReport();
  r.findings[0].suggestion = "image";
  r.findings[0].path = "/imgae";
  rapidjson::Document d;
  std::string out = RenderJson(r);
  REQUIRE_FALSE(d.Parse(out.c_str()).HasParseError());
  REQUIRE(d["findings"].Size() == 2);
  const auto& f = d["findings"][0];
  CHECK(std::string(f["severity"].GetString()) == "error");
  CHECK(std::string(f["rule"].GetString()) == "unknown-key");
  CHECK(std::string(f["file"].GetString()) == "env/prod.yaml");
  CHECK(f["line"].GetInt() == 3);
  CHECK(f["column"].GetInt() == 5);
  CHECK(std::string(f["path"].GetString()) == "/imgae");
  CHECK(std::string(f["suggestion"].GetString()) == "image");
  CHECK(d["summary"]["errors"].GetInt() == 1);
  CHECK(d["summary"]["warnings"].GetInt() == 1);
}

TEST_CASE("GitHub annotations escape data and properties as the runner expects") {
  CHECK(GithubEscapeData("50% done\r\nnext, a:b") == "50%25 done%0D%0Anext, a:b");
  CHECK(GithubEscapeProperty("dir,with:colon%\n") == "dir%2Cwith%3Acolon%25%0A");
  Report r = SampleReport();
  r.findings[0].file = "env/a,b:c.yaml";
  r.findings[0].message = "line1\nline2 100%";
  r.findings[1].severity = Severity::kInfo;
  std::string out = RenderGithub(r);
  CHECK(out ==
        "::error file=env/a%2Cb%3Ac.yaml,line=3,col=5,title=capstan unknown-key::line1%0Aline2 100%25\n"
        "::notice file=values.yaml,line=7,col=1,title=capstan schema::replicas: got string, want integer\n");
}

TEST_CASE("JUnit XML escapes everything and parses back with a real XML parser") {
  Report r = SampleReport();
  r.findings[0].message = "bad <value> & \"quotes\" 'single' \x01 control";
  RenderOptions o;
  o.threshold = Severity::kError;
  std::string xml = RenderJunit(r, o);
  test::TempDir dir;
  std::string path = dir.Write("junit.xml", xml);
  // python3's xml.etree is a strict XML parser: print suites, cases and failure texts to compare.
  auto res = test::Run({"python3", "-c",
                        "import sys, xml.etree.ElementTree as ET\n"
                        "root = ET.parse(sys.argv[1]).getroot()\n"
                        "print(root.tag, root.get('tests'), root.get('failures'))\n"
                        "for s in root.findall('testsuite'):\n"
                        "  print('suite', s.get('name'), s.get('tests'), s.get('failures'))\n"
                        "  for c in s.findall('testcase'):\n"
                        "    f = c.find('failure'); o = c.find('system-out')\n"
                        "    print(' case', c.get('name'), 'FAIL ' + f.text.strip() if f is not None else 'ok',"
                        "          ('OUT ' + o.text.strip()) if o is not None else '')\n",
                        path});
  INFO(xml);
  INFO(res.err);
  REQUIRE(res.exit_code == 0);
  CHECK(res.out ==
        "testsuites 4 1\n"
        "suite values.yaml 2 0\n"
        " case schema values.yaml ok OUT values.yaml:7:1: warning: replicas: got string, want integer\n"
        " case unknown-key values.yaml ok \n"
        "suite env/prod.yaml 2 1\n"
        " case schema env/prod.yaml ok \n"
        " case unknown-key env/prod.yaml FAIL env/prod.yaml:3:5: error: bad <value> & \"quotes\" 'single' \xEF\xBF\xBD "
        "control \n");
}
