// The JSON format's bytes: a contract for CI tooling that reads `-o json`.
#include <catch2/catch.hpp>

#include "findings/format.h"

using namespace capstan::findings;

TEST_CASE("findings JSON: the exact bytes, unknown fields left out") {
  Report r;
  r.tool = "capstan";
  r.tool_version = "1.2.3";
  r.inputs = {"values.yaml", "env/prod.yaml"};
  Finding a;
  a.severity = Severity::kError;
  a.rule = "unknown-key";
  a.message = "unknown key 'imgae' (did you mean 'image'?)";
  a.file = "env/prod.yaml";
  a.line = 3;
  a.column = 5;
  a.path = "/imgae";
  a.suggestion = "image";
  a.context = "env/prod.yaml";
  Finding b;
  b.severity = Severity::kInfo;
  b.rule = "note";
  b.message = "a \"quoted\" note";
  r.findings = {a, b};
  CHECK(RenderJson(r) ==
        "{\"tool\":\"capstan\",\"version\":\"1.2.3\",\"inputs\":[\"values.yaml\",\"env/prod.yaml\"],\"findings\":["
        "{\"severity\":\"error\",\"rule\":\"unknown-key\",\"message\":\"unknown key 'imgae' (did you mean "
        "'image'?)\",\"file\":\"env/prod.yaml\",\"line\":3,\"column\":5,\"path\":\"/imgae\",\"suggestion\":"
        "\"image\",\"context\":\"env/prod.yaml\"},"
        "{\"severity\":\"info\",\"rule\":\"note\",\"message\":\"a \\\"quoted\\\" note\",\"path\":\"\"}],"
        "\"summary\":{\"errors\":1,\"warnings\":0,\"info\":1}}\n");
  r.tool_version.clear();
  r.findings.clear();
  r.inputs.clear();
  CHECK(RenderJson(r) ==
        "{\"tool\":\"capstan\",\"inputs\":[],\"findings\":[],\"summary\":{\"errors\":0,\"warnings\":0,\"info\":0}}\n");
}
