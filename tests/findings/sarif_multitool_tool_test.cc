// Our SARIF against Microsoft's SARIF multitool (`sarif-multitool validate`, npm @microsoft/sarif-multitool, installed
// by scripts/setup.sh into .deps/sarif-multitool) with the SARIF rules and GitHub's (rule kinds Gh and Ghas, what
// GitHub code scanning requires): no error for the post-renderer's check mode (findings from a chart's '# Source:'
// files under --chart-dir, and from plain stdin) nor for `capstan values lint -o sarif`. Without the tool the test
// prints "SKIPPED:" and ctest reports it as skipped (CAPSTAN_SARIF_MULTITOOL names another copy of the tool).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <cstdlib>

#include "lint/lint_fixture.h"
#include "support/test_support.h"

using namespace capstan::test;

namespace {

std::string Multitool() {
  if (const char* e = std::getenv("CAPSTAN_SARIF_MULTITOOL"); e && *e) return e;
  return std::string(CAPSTAN_DEPS_DIR) +
         "/sarif-multitool/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool";
}

// Validates the SARIF logs; returns "file: rule: message" for each error the validator reports (it exits 0 even
// then: its verdict is in its own SARIF output).
std::vector<std::string> ValidationErrors(const TempDir& dir, const std::vector<std::string>& logs) {
  std::vector<std::string> argv = {Multitool(), "validate", "--rule-kind", "Sarif;Gh;Ghas", "--log",
                                   "ForceOverwrite", "-o", dir.path() + "/validation.sarif"};
  for (const auto& l : logs) argv.push_back(dir.path() + "/" + l);
  ProcessOptions o;
  o.timeout = std::chrono::milliseconds(300000);
  o.env["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
  ProcessResult r = Run(argv, o);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  rapidjson::Document doc;
  std::string text = Slurp(dir.path() + "/validation.sarif");
  REQUIRE_FALSE(doc.Parse(text.c_str()).HasParseError());
  std::vector<std::string> errors;
  for (const auto& run : doc["runs"].GetArray()) {
    if (!run.HasMember("results")) continue;
    for (const auto& res : run["results"].GetArray()) {
      std::string level = res.HasMember("level") ? res["level"].GetString() : "warning";
      if (level != "error") continue;
      std::string where = "?";
      if (res.HasMember("locations") && res["locations"].Size() > 0)
        where = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].GetString();
      std::string args;
      if (res.HasMember("message") && res["message"].HasMember("arguments"))
        for (const auto& a : res["message"]["arguments"].GetArray()) args += std::string(" ") + a.GetString();
      errors.push_back(where + ": " + (res.HasMember("ruleId") ? res["ruleId"].GetString() : "?") + ":" + args);
    }
  }
  return errors;
}

const char* kSeed =
    "---\n# Source: catalyst/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: catalyst\n"
    "spec:\n  selector:\n    app: catalyst\n  ports:\n    - port: 80\n---\n"
    "# Source: catalyst/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
    "  name: catalyst\nspec:\n  replicas: 2\n  strategy:\n    type: Recreate\n  template:\n    metadata:\n"
    "      labels:\n        app: catalyst\n    spec:\n      terminationGracePeriodSeconds: 5\n      containers:\n"
    "        - name: web\n          image: catalyst:1.0\n          ports: [{containerPort: 8080}]\n"
    "        - name: side\n          image: side:1.0\n          lifecycle:\n            preStop:\n"
    "              sleep: {seconds: 3}\n";

}  // namespace

TEST_CASE("SARIF of check mode and values lint passes the SARIF multitool's GitHub rules") {
  if (::access(Multitool().c_str(), X_OK) != 0) {
    std::printf("SKIPPED: %s not found (scripts/setup.sh installs it)\n", Multitool().c_str());
    WARN("SKIPPED: the SARIF multitool is not installed (scripts/setup.sh installs it)");
    return;
  }
  TempDir dir;
  ProcessOptions o;
  o.stdin_data = kSeed;
  auto check = Run({Binary("capstan-postrender"), "--check", "-o", "sarif", "--chart-dir", "charts/catalyst",
                    "--kube-version", "1.29"}, o);
  INFO(check.err);
  REQUIRE(check.exit_code == 0);
  REQUIRE(check.out.find("\"startLine\"") != std::string::npos);
  REQUIRE(check.out.find("\"level\": \"error\"") != std::string::npos);  // the sleep action on 1.29
  dir.Write("check.sarif", check.out);
  // Plain stdin (no '# Source:'): the findings name <stdin> and its lines.
  o.stdin_data = std::string(kSeed).substr(std::string(kSeed).find("apiVersion: apps/v1"));
  auto plain = Run({Binary("capstan-postrender"), "--check", "-o", "sarif"}, o);
  REQUIRE(plain.exit_code == 0);
  dir.Write("stdin.sarif", plain.out);

  LintChart c;
  c.Write("bad.yaml", "replicas: 0\nrepicas: 5\ncountry: NO\n");
  auto lint = c.Cli({"-f", "bad.yaml", "-o", "sarif"});
  INFO(lint.err);
  REQUIRE(lint.exit_code == 1);
  dir.Write("lint.sarif", lint.out);

  std::vector<std::string> errors = ValidationErrors(dir, {"check.sarif", "stdin.sarif", "lint.sarif"});
  for (const auto& e : errors) UNSCOPED_INFO(e);
  CHECK(errors.empty());
}
