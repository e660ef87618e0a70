// `capstan values lint --matrix` on the example chart: the customer's file with each environment overlay is clean
// (also --strict, and as SARIF for CI), a typo in an overlay is reported with its file, and the hook Job's own command
// line (values lint of the minimal chart the hook ConfigMap carries) passes. Needs the `values` command (wt-values /
// wt-lint) in the capstan binary.
#include <catch2/catch.hpp>

#include "chart_testing.h"

using namespace capstan;
using namespace capstan::test::chart;
using capstan::test::TempDir;

namespace {

test::ProcessResult Capstan(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {test::Binary("capstan")};
  argv.insert(argv.end(), args.begin(), args.end());
  test::ProcessOptions o;
  o.unset_env = {"KUBERNETES_SERVICE_HOST"};
  return test::Run(argv, o);
}

std::vector<std::string> MatrixArgs(const std::string& output) {
  std::vector<std::string> a = {"values", "lint", ChartDir(), "-f", ValuesDir() + "/custom_values.yaml"};
  for (const auto& env : Environments()) a.insert(a.end(), {"--matrix", EnvFile(env)});
  a.insert(a.end(), {"-o", output});
  return a;
}

}  // namespace

TEST_CASE("capstan values lint --matrix is clean on the customer's values with every environment") {
  auto help = Capstan({"--help"});
  INFO("this capstan binary has no `values` command: merge wt-values/wt-lint\n" << help.out);
  REQUIRE(help.out.find("\n  values ") != std::string::npos);  // listed under Subcommands

  auto text = Capstan(MatrixArgs("text"));
  INFO(text.out << text.err);
  CHECK(text.exit_code == 0);

  auto strict_args = MatrixArgs("text");
  strict_args.push_back("--strict");
  auto strict = Capstan(strict_args);
  INFO(strict.out << strict.err);
  CHECK(strict.exit_code == 0);

  auto sarif = Capstan(MatrixArgs("sarif"));
  INFO(sarif.err);
  CHECK(sarif.exit_code == 0);
  CHECK(sarif.out.find("2.1.0") != std::string::npos);  // a SARIF 2.1.0 log
  CHECK(sarif.out.find("\"runs\"") != std::string::npos);

  SECTION("a typo in an overlay fails the lint and names the file") {
    TempDir t;
    std::string bad = t.Write("typo.yaml", "app:\n  replica: 3\n");
    auto r = Capstan({"values", "lint", ChartDir(), "-f", ValuesDir() + "/custom_values.yaml", "--matrix",
                      EnvFile("dev"), "--matrix", bad});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("typo.yaml") != std::string::npos);
    CHECK(r.out.find("replica") != std::string::npos);
  }
}

TEST_CASE("the values-lint hook Job's command line passes on the chart it ships") {
  auto help = Capstan({"--help"});
  INFO("this capstan binary has no `values` command: merge wt-values/wt-lint");
  REQUIRE(help.out.find("\n  values ") != std::string::npos);
  HelmHome h3(3);
  RenderOptions o;
  o.values = {ValuesDir() + "/custom_values.yaml", EnvFile("production")};
  o.post_render = false;
  TempDir t;
  std::string file = t.Write("stream.yaml", Render(h3, o));
  auto job = ManifestTool({"job", file, "portal-example-portal-values-lint", t.path() + "/volumes"});
  INFO(job.err);
  REQUIRE(job.exit_code == 0);
  std::vector<std::string> args;
  size_t pos = 0;
  while ((pos = job.out.find("ARG\t", pos)) != std::string::npos) {
    size_t end = job.out.find('\n', pos);
    args.push_back(job.out.substr(pos + 4, end - pos - 4));
    pos = end;
  }
  REQUIRE(args.size() >= 3);
  CHECK(args[0] == "values");
  CHECK(args[1] == "lint");
  auto r = Capstan(args);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
}
