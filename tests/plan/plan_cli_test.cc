// capstan plan and capstan-postrender --report/--previous-report as a user runs them: exit codes, standard input,
// a first deploy without a previous report, a corrupt previous report, the one-line-per-workload stderr summary.
#include <catch2/catch.hpp>

#include "support/test_support.h"

using namespace capstan;

namespace {

std::string Stream(const std::string& image, const std::string& setting) {
  return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\ndata: {app.conf: \"" + setting + "\"}\n"
         "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n"
         "      containers:\n      - name: web\n        image: " + image + "\n"
         "        volumeMounts: [{name: c, mountPath: /etc/web}]\n"
         "      volumes: [{name: c, configMap: {name: web-config}}]\n";
}

test::ProcessResult Plan(std::vector<std::string> args, const std::string& stdin_data = "") {
  args.insert(args.begin(), {test::Binary("capstan"), "plan"});
  test::ProcessOptions o;
  o.stdin_data = stdin_data;
  o.unset_env = {"HELM_NAMESPACE"};  // -n's variable: the streams here have no namespace
  return test::Run(args, o);
}

test::ProcessResult PostRender(const std::string& stream, std::vector<std::string> args) {
  args.insert(args.begin(), {test::Binary("capstan-postrender"), "--namespace=ns"});
  test::ProcessOptions o;
  o.stdin_data = stream;
  return test::Run(args, o);
}

}  // namespace

TEST_CASE("capstan plan: text by default, stdin on one side, --exit-code") {
  test::TempDir t;
  std::string old_file = t.Write("old.yaml", Stream("web:1", "a=1"));
  auto r = Plan({old_file, "-"}, Stream("web:2", "a=2"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);  // a plan, whatever rolls
  CHECK(r.out.rfind("This upgrade rolls 1 of 1 workload\n", 0) == 0);
  CHECK(r.out.find("Deployment/web rolls\n") != std::string::npos);
  CHECK(r.out.find("    - image spec.containers[web]: web:1 -> web:2\n") != std::string::npos);
  CHECK(r.out.find("    - ConfigMap/web-config key app.conf\n") != std::string::npos);
  CHECK(Plan({old_file, "-", "--exit-code"}, Stream("web:2", "a=1")).exit_code == 1);
  auto same = Plan({old_file, "-", "--exit-code"}, Stream("web:1", "a=1"));
  CHECK(same.exit_code == 0);
  CHECK(same.out.find("unchanged: 1") != std::string::npos);
}

TEST_CASE("capstan plan: usage errors exit 2 and name the file") {
  test::TempDir t;
  std::string f = t.Write("a.yaml", Stream("web:1", "a=1"));
  auto missing = Plan({f, t.path() + "/nope.yaml"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("nope.yaml") != std::string::npos);
  CHECK(Plan({"-", "-"}).exit_code == 2);
  CHECK(Plan({f, f, "-o", "yaml"}).exit_code == 2);
  auto bad = Plan({f, t.Write("bad.yaml", "a: [b\n")});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("bad.yaml, document 1") != std::string::npos);
  std::string old_json = R"({"tool":"capstan-postrender","workloads":[{"kind":"Deployment","name":"web"}]})";
  auto old_report = Plan({t.Write("old.json", old_json), f});
  CHECK(old_report.exit_code == 2);
  CHECK(old_report.err.find("old.json, workload 1 (Deployment/web) has no fingerprint") != std::string::npos);
}

TEST_CASE("capstan-postrender: a missing previous report is a first deploy, a corrupt one a usage error") {
  test::TempDir t;
  std::string r1 = t.path() + "/r1.json", r2 = t.path() + "/r2.json";
  auto first = PostRender(Stream("web:1", "a=1"), {"--report=" + r1, "--previous-report=" + t.path() + "/none.json"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(first.err.find("no previous report at " + t.path() + "/none.json: a first deploy") != std::string::npos);
  CHECK(test::Slurp(r1).find("\"firstDeploy\": true") != std::string::npos);

  auto second = PostRender(Stream("web:2", "a=2"), {"--report=" + r2, "--previous-report=" + r1});
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(second.err.find("plan: 1 of 1 roll") != std::string::npos);
  CHECK(second.err.find("Deployment/web rolls: ConfigMap/web-config key app.conf; image spec.containers[web]: web:1 "
                        "-> web:2") != std::string::npos);
  // capstan plan over the two reports says the same.
  auto p = Plan({r1, r2});
  CHECK(p.exit_code == 0);
  CHECK(p.out.find("    - ConfigMap/web-config key app.conf\n") != std::string::npos);

  auto corrupt = PostRender(Stream("web:2", "a=2"), {"--previous-report=" + t.Write("bad.json", "{not json")});
  CHECK(corrupt.exit_code == 2);
  CHECK(corrupt.err.find("bad.json") != std::string::npos);
  CHECK(corrupt.err.find("remove it to start afresh") != std::string::npos);
}
