// capstan-postrender --check as a process on the Catalyst seed (2 replicas behind a Service, Recreate, no budget, no
// preStop, a 5 s grace period): every expected finding with its line, --rule / --skip-rule / --kube-version /
// --chart-dir on the command line, and an unknown rule id as exit 2 with did-you-mean.
#include <catch2/catch.hpp>

#include "support/test_support.h"

using namespace capstan;
using Catch::Contains;

namespace {

const char* kSeed =
    "---\n# Source: catalyst/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: catalyst\n"
    "spec:\n  selector:\n    app: catalyst\n  ports:\n    - port: 80\n      targetPort: http\n"
    "---\n# Source: catalyst/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
    "  name: catalyst\nspec:\n  replicas: 2\n  strategy:\n    type: Recreate\n  selector:\n    matchLabels:\n"
    "      app: catalyst\n  template:\n    metadata:\n      labels:\n        app: catalyst\n    spec:\n"
    "      terminationGracePeriodSeconds: 5\n      containers:\n        - name: web\n          image: catalyst:1.0\n"
    "          ports:\n            - name: http\n              containerPort: 8080\n";

test::ProcessResult Check(std::vector<std::string> args, const std::string& input = kSeed) {
  std::vector<std::string> argv = {test::Binary("capstan-postrender"), "--check"};
  argv.insert(argv.end(), args.begin(), args.end());
  test::ProcessOptions o;
  o.stdin_data = input;
  return test::Run(argv, o);
}

}  // namespace

TEST_CASE("check mode CLI: the Catalyst seed reports every risk that drops requests") {
  auto r = Check({"--fail-on", "warning"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  const char* dep = "catalyst/templates/deployment.yaml:";
  CHECK_THAT(r.out, Contains(std::string(dep) + "4: warning: Deployment/catalyst: no readiness probe"));
  CHECK_THAT(r.out, Contains(std::string(dep) + "6: warning: Deployment/catalyst: 2 replicas and no "
                                                "PodDisruptionBudget"));
  CHECK_THAT(r.out, Contains(std::string(dep) + "8: warning: Deployment/catalyst: strategy Recreate"));
  CHECK_THAT(r.out, Contains(std::string(dep) + "17: warning: Deployment/catalyst: terminationGracePeriodSeconds 5"));
  CHECK_THAT(r.out, Contains(std::string(dep) + "19: warning: Deployment/catalyst: container(s) web behind "
                                                "Service/catalyst"));
  CHECK_THAT(r.out, Contains("0 errors, 5 warnings, 0 infos in 1 file"));

  r = Check({"--rule", "no-pdb", "--rule", "recreate-strategy", "--skip-rule", "recreate-strategy", "--chart-dir",
             "charts/catalyst", "-o", "github"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "::warning file=charts/catalyst/templates/deployment.yaml,line=6,title=capstan-postrender no-pdb::"
                 "Deployment/catalyst: 2 replicas and no PodDisruptionBudget in namespace (the release's) selects their "
                 "pods: a node drain may evict them all at once; add one with maxUnavailable: 1 (in document 1)\n");
}

TEST_CASE("check mode CLI: SARIF carries the rules' help, regions and the --chart-dir paths, bad ids exit 2") {
  std::string seed = kSeed;
  seed.replace(seed.find("          ports:"), 0, "          lifecycle: {preStop: {sleep: {seconds: 5}}}\n");
  auto r = Check({"-o", "sarif", "--kube-version", "1.29", "--chart-dir", "charts/catalyst", "--fail-on", "error"},
                 seed);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Contains("\"id\": \"prestop-sleep-unsupported\""));
  CHECK_THAT(r.out, Contains("\"fullDescription\": {"));
  CHECK_THAT(r.out, Contains("\"markdown\": \"**A preStop sleep action on a Kubernetes version that lacks it.**"));
  CHECK_THAT(r.out, Contains("\"uri\": \"charts/catalyst/templates/deployment.yaml\""));
  CHECK_THAT(r.out, Contains("\"startLine\": 21"));  // the sleep action's line
  CHECK_THAT(r.out, Contains("which needs Kubernetes 1.30 or later, not 1.29"));

  auto bad = Check({"--rule", "no-pbd"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Contains("unknown rule 'no-pbd' for --rule (did you mean 'no-pdb'?)"));
  CHECK(bad.out.empty());
  CHECK(Check({"--kube-version", "latest"}).exit_code == 2);
}
