// `capstan check-upgrade --deployed FILE` run as CI runs it, with no cluster at all (no kubeconfig, not in a pod):
// the upgrade-order policy (the security services CMS/AAS, then SCS/SHVS, then the rest) over a YAML file of
// deployed versions and over a real capstan-postrender --report; messages proportional to the problem (six
// components upgraded at once: two findings and one summary, not repeated in the log); FILE:LINE errors.
#include <catch2/catch.hpp>

#include "support/test_support.h"

using namespace capstan::test;

namespace {

std::string Policy(const std::string& first, const std::string& second, const std::string& rest) {
  return "components:\n"
         "  - {name: cms, order: 1, version: '" + first + "', deployed: {kind: StatefulSet, name: cms, image: {container: cms}}}\n"
         "  - {name: aas, order: 1, version: '" + first + "', deployed: {kind: Deployment, name: aas}}\n"
         "  - {name: scs, order: 2, version: '" + second + "', deployed: {kind: Deployment, name: scs}}\n"
         "  - {name: shvs, order: 2, version: '" + second + "', deployed: {kind: Deployment, name: shvs}}\n"
         "  - {name: portal, order: 3, version: '" + rest + "', deployed: {kind: StatefulSet, name: portal}}\n"
         "  - {name: solr, order: 3, version: '" + rest + "', deployed: {kind: StatefulSet, name: solr}}\n";
}

ProcessResult Check(const TempDir& dir, std::vector<std::string> args) {
  std::vector<std::string> argv = {Binary("capstan"), "check-upgrade"};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions o;
  o.unset_env = {"KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "CAPSTAN_LOG_FORMAT"};
  o.env = {{"KUBECONFIG", dir.path() + "/no-such-kubeconfig"}, {"HOME", dir.path()}};
  o.timeout = std::chrono::milliseconds(30000);
  return Run(argv, o);
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("check-upgrade --deployed: the order policy in CI without a cluster") {
  TempDir dir;
  std::string all_at_once = dir.Write("policy.yaml", Policy("2.0.0", "2.0.0", "2.0.0"));
  std::string deployed = dir.Write("deployed.yaml", "# the versions in production\nchartVersion: 1.4.0\ncomponents:\n"
                                                    "  cms: 1.4.0\n  aas: 1.4.0\n  scs: 1.4.0\n  shvs: 1.4.0\n"
                                                    "  portal: 1.4.0\n  solr: 1.4.0\n");
  // Without --deployed the cluster is needed, and there is none.
  ProcessResult no_cluster = Check(dir, {"portal", "--policy", all_at_once});
  CHECK(no_cluster.exit_code != 0);
  CHECK(no_cluster.exit_code != 1);

  ProcessResult refused = Check(dir, {"--policy", all_at_once, "--deployed", deployed, "--chart-version", "2.0.0"});
  INFO(refused.out << refused.err);
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.out, Catch::StartsWith("upgrade REFUSED (2 problems)\n"));
  CHECK(Count(refused.out, "would be upgraded") == 2);  // one per order group moving too early, not 12
  CHECK(Count(refused.out, "the policy upgrades in 3 steps") == 1);
  CHECK_THAT(refused.out, Catch::Contains("  portal (order 3): 1.4.0 -> 2.0.0 [upgrade]"));
  // The log says how many and of which kind, once; the reasons are not printed a second time.
  CHECK(Count(refused.err, "refused") == 1);
  CHECK_THAT(refused.err, Catch::Contains("2 problems (2 order), listed on stdout"));
  CHECK(Count(refused.err, "would be upgraded") == 0);

  // Step 1 of the plan (only CMS and AAS move) is allowed.
  std::string step1 = dir.Write("step1.yaml", Policy("2.0.0", "1.4.0", "1.4.0"));
  ProcessResult allowed = Check(dir, {"--policy", step1, "--deployed", deployed, "--chart-version", "1.5.0"});
  INFO(allowed.err);
  CHECK(allowed.exit_code == 0);
  CHECK_THAT(allowed.out, Catch::StartsWith("upgrade allowed\n"));
  // The chart version in the file is compared too: a chart downgrade is refused.
  ProcessResult chart_down = Check(dir, {"--policy", step1, "--deployed", deployed, "--chart-version", "1.3.0", "-o", "json"});
  CHECK(chart_down.exit_code == 1);
  CHECK_THAT(chart_down.out, Catch::Contains("\"rule\":\"downgrade\""));

  // A typo in the file: exit 2, FILE:LINE and the name meant.
  std::string typo = dir.Write("typo.yaml", "components:\n  cms: 1.4.0\n  shv: 1.4.0\n");
  ProcessResult bad = Check(dir, {"--policy", all_at_once, "--deployed", typo});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains(typo + ":3: unknown component 'shv' (did you mean 'shvs'?)"));
  // Neither a release nor --deployed: usage error naming both.
  ProcessResult neither = Check(dir, {"--policy", all_at_once});
  CHECK(neither.exit_code == 2);
  CHECK_THAT(neither.err, Catch::Contains("--deployed FILE"));
}

TEST_CASE("check-upgrade --deployed: a capstan-postrender report of the deployed release") {
  TempDir dir;
  auto workload = [](const std::string& kind, const std::string& name, const std::string& version) {
    return "apiVersion: apps/v1\nkind: " + kind + "\nmetadata:\n  name: " + name +
           "\n  labels: {app.kubernetes.io/version: \"" + version + "\"}\nspec:\n  template:\n    spec:\n"
           "      containers:\n        - {name: sidecar, image: \"envoy:1.30.0\"}\n        - {name: " + name +
           ", image: \"reg.local:5000/" + name + ":" + version + "\"}\n---\n";
  };
  std::string manifest = workload("StatefulSet", "cms", "2.0.0") + workload("Deployment", "aas", "2.0.0") +
                         workload("Deployment", "scs", "1.4.0") + workload("Deployment", "shvs", "1.4.0") +
                         workload("StatefulSet", "portal", "1.4.0") + workload("StatefulSet", "solr", "1.4.0");
  std::string report = dir.path() + "/deployed-report.json";
  ProcessOptions o;
  o.stdin_data = manifest;
  o.unset_env = {"CAPSTAN_CONFIG"};
  ProcessResult rendered = Run({Binary("capstan-postrender"), "--release", "portal", "--namespace", "shop",
                                "--report", report}, o);
  INFO(rendered.err);
  REQUIRE(rendered.exit_code == 0);

  // CMS and AAS are at 2.0.0 in the report: SCS and SHVS may move now, the rest must wait for them.
  std::string all = dir.Write("policy.yaml", Policy("2.0.0", "2.0.0", "2.0.0"));
  ProcessResult r = Check(dir, {"--policy", all, "--deployed", report});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::StartsWith("upgrade REFUSED (1 problem)\n"));
  CHECK_THAT(r.out, Catch::Contains("upgrade scs, shvs first (keep portal at 1.4.0, solr at 1.4.0 in this upgrade)"));
  CHECK_THAT(r.out, Catch::Contains("  cms (order 1): 2.0.0 -> 2.0.0 [unchanged]"));  // read from the image tag
  std::string step2 = dir.Write("step2.yaml", Policy("2.0.0", "2.0.0", "1.4.0"));
  CHECK(Check(dir, {"--policy", step2, "--deployed", report}).exit_code == 0);
}
