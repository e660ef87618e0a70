// Differential test of schema verdicts against the real Helm 4.1.4: for charts with schemas (draft-07, 2020-12, no
// $schema, subchart schemas), and many values files, `capstan values lint` reports a schema error exactly when
// `helm template` exits 1. Only the schema verdict is compared (lint has more rules than Helm).
#include <catch2/catch.hpp>

#include <map>

#include "support/test_support.h"
#include "values/lint/linter.h"

using namespace capstan;
using namespace capstan::test;

namespace {

struct ChartCase {
  std::string name;
  std::string schema;      // values.schema.json of the parent
  std::string sub_schema;  // of the subchart "sub" (empty: no subchart)
  std::string defaults = "name: app\nport: 8080\n";
};

const std::vector<ChartCase>& Charts() {
  static const std::vector<ChartCase> charts = {
      {"draft07",
       R"({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "required": ["name"],
           "properties": {
             "name": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
             "port": {"type": "integer", "minimum": 1, "maximum": 65535},
             "mode": {"enum": ["fast", "safe"]},
             "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
             "image": {"type": "object", "properties": {"tag": {"type": "string"}}, "additionalProperties": false},
             "tuple": {"type": "array", "items": [{"type": "integer"}]},
             "ratio": {"type": "number", "exclusiveMaximum": 1}}})",
       ""},
      {"d2020",
       R"({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
           "$defs": {"port": {"type": "integer", "minimum": 1, "maximum": 65535}},
           "properties": {
             "name": {"type": "string", "minLength": 2},
             "port": {"$ref": "#/$defs/port"},
             "tuple": {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}]},
             "credit": {"type": "object", "dependentRequired": {"card": ["billing"]}},
             "image": {"type": "object", "properties": {"tag": {"type": "string"}},
                       "unevaluatedProperties": false},
             "mode": {"const": "safe"}}})",
       ""},
      {"noschema_kw",  // no $schema: Helm 4 reads it as 2020-12
       R"({"type": "object",
           "properties": {
             "port": {"type": "integer"},
             "tuple": {"type": "array", "prefixItems": [{"type": "integer"}]},
             "credit": {"type": "object", "dependentRequired": {"card": ["billing"]}}}})",
       ""},
      {"noschema_old",  // no $schema but draft-04/07 syntax: fails 2020-12's meta-schema in Helm 4
       R"({"type": "object", "properties": {"port": {"type": "integer", "minimum": 1, "exclusiveMinimum": true}}})",
       ""},
      {"subcharts",
       R"({"type": "object", "properties": {"port": {"type": "integer"}, "sub": {"type": "object"}},
           "additionalProperties": false})",
       R"({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
           "properties": {"level": {"enum": ["debug", "info"]}, "global": {"type": "object"}},
           "additionalProperties": false})"},
      {"strict_sub",  // the subchart schema forgets `global`, which Helm always injects
       R"({"type": "object"})",
       R"({"type": "object", "properties": {"level": {"type": "string"}}, "additionalProperties": false})"},
  };
  return charts;
}

const std::vector<std::string>& ValueFiles() {
  static const std::vector<std::string> files = {
      "{}\n",
      "name: web\nport: 443\n",
      "port: \"443\"\n",
      "port: 0\n",
      "port: 70000\n",
      "name: Web_1\n",
      "name: x\n",
      "name: null\n",
      "mode: fast\n",
      "mode: safe\n",
      "mode: slow\n",
      "tags: [a, b]\n",
      "tags: [a, b, c, d]\n",
      "tags: [1]\n",
      "image: {tag: \"1.0\"}\n",
      "image: {tag: 1.0}\n",
      "image: {tga: x}\n",
      "tuple: [1, a]\n",
      "tuple: [a, 1]\n",
      "credit: {card: \"1234\"}\n",
      "credit: {card: \"1234\", billing: x}\n",
      "ratio: 0.5\n",
      "ratio: 1\n",
      "extra: 1\n",
      "sub: {level: debug}\n",
      "sub: {level: trace}\n",
      "sub: {lvl: x}\n",
      "global: {region: eu}\n",
      "port: 8080.5\n",
      "port: 0x50\n",
  };
  return files;
}

void WriteChart(const TempDir& dir, const ChartCase& c) {
  std::string root = c.name;
  std::string deps = c.sub_schema.empty() ? "" : "dependencies:\n  - name: sub\n    version: 0.1.0\n";
  dir.Write(root + "/Chart.yaml", "apiVersion: v2\nname: " + c.name + "\nversion: 1.0.0\n" + deps);
  dir.Write(root + "/values.yaml", c.defaults);
  dir.Write(root + "/values.schema.json", c.schema);
  dir.Write(root + "/templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  port: {{ .Values.port | quote }}\n");
  if (!c.sub_schema.empty()) {
    dir.Write(root + "/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
    dir.Write(root + "/charts/sub/values.yaml", "level: info\n");
    dir.Write(root + "/charts/sub/values.schema.json", c.sub_schema);
  }
}

bool OurVerdictInvalid(const std::string& chart, const std::string& values_file) {
  values::UserInput in;
  in.value_files = {values_file};
  values::lint::LintOptions o;
  o.helm_major = 4;
  auto r = values::lint::Lint(chart, in, o);
  for (const auto& f : r.findings)
    if (f.rule == "schema" || f.rule == "merge") return true;
  return false;
}

}  // namespace

TEST_CASE("schema verdicts equal helm 4 template's exit status") {
  TempDir dir;
  for (const auto& c : Charts()) WriteChart(dir, c);
  for (size_t i = 0; i < ValueFiles().size(); ++i) dir.Write("v" + std::to_string(i) + ".yaml", ValueFiles()[i]);
  ProcessOptions po;
  po.cwd = dir.path();
  po.env["HOME"] = dir.path();
  po.env["HELM_CACHE_HOME"] = dir.path() + "/.cache";
  po.env["HELM_CONFIG_HOME"] = dir.path() + "/.config";
  po.env["HELM_DATA_HOME"] = dir.path() + "/.data";
  po.timeout = std::chrono::seconds(60);
  int cases = 0, helm_invalid = 0, agree = 0;
  std::vector<std::string> disagreements;
  for (const auto& c : Charts()) {
    for (size_t i = 0; i < ValueFiles().size(); ++i) {
      std::string vf = dir.path() + "/v" + std::to_string(i) + ".yaml";
      auto h = Run({Helm(4), "template", "rel", dir.path() + "/" + c.name, "-f", vf}, po);
      REQUIRE_FALSE(h.timed_out);
      REQUIRE((h.exit_code == 0 || h.exit_code == 1));
      bool helm_bad = h.exit_code == 1;
      bool ours_bad = OurVerdictInvalid(dir.path() + "/" + c.name, vf);
      ++cases;
      helm_invalid += helm_bad;
      if (helm_bad == ours_bad) {
        ++agree;
      } else {
        std::string first_line = h.err.substr(0, h.err.find('\n', h.err.find('\n') + 1));
        disagreements.push_back(c.name + " + " + ValueFiles()[i].substr(0, ValueFiles()[i].size() - 1) +
                                ": helm " + (helm_bad ? "invalid" : "valid") + ", capstan " +
                                (ours_bad ? "invalid" : "valid") + (helm_bad ? " [" + first_line + "]" : ""));
      }
    }
  }
  std::string report;
  for (const auto& d : disagreements) report += d + "\n";
  INFO(agree << "/" << cases << " verdicts agree\n" << report);
  WARN(agree << "/" << cases << " verdicts agree, helm rejected " << helm_invalid);
  // The corpus must exercise both verdicts, or the comparison proves nothing.
  CHECK(helm_invalid > cases / 4);
  CHECK(helm_invalid < cases);
  CHECK(disagreements.empty());
}
