// check-upgrade --deployed: the versions deployed now from a small YAML file or a capstan-postrender report, with
// FILE:LINE errors and did-you-mean; and the same policy decision as in the cluster, with messages proportional to the
// problem (one finding per order group that moves too early, a summary of the upgrades needed).
#include <catch2/catch.hpp>

#include "upgrade/check.h"
#include "upgrade/deployed.h"
#include "upgrade/policy.h"
#include "util/error.h"

using namespace capstan;
using namespace capstan::upgrade;

namespace {

// The security services first (CMS, AAS), then SCS and SHVS, then the rest.
const char* kSix = R"(components:
  - {name: cms, order: 1, version: '2.0.0', deployed: {kind: StatefulSet, name: cms, image: {container: cms}}}
  - {name: aas, order: 1, version: '2.0.0', deployed: {kind: Deployment, name: aas}}
  - {name: scs, order: 2, version: '2.0.0', deployed: {kind: Deployment, name: scs}}
  - {name: shvs, order: 2, version: '2.0.0', deployed: {kind: Deployment, name: shvs}}
  - {name: portal, order: 3, version: '2.0.0', deployed: {kind: StatefulSet, name: portal}}
  - {name: solr, order: 3, version: '2.0.0', deployed: {kind: StatefulSet, name: solr}}
)";

Policy Six() { return ParsePolicy(kSix, "policy.yaml"); }

std::string Err(const std::string& text) {
  try {
    ReadDeployed(text, "deployed.yaml", Six(), "");
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(accepted)";
}

std::string AllAt(const std::string& v) {
  return "components:\n  cms: " + v + "\n  aas: " + v + "\n  scs: " + v + "\n  shvs: " + v + "\n  portal: " + v +
         "\n  solr: " + v + "\n";
}

}  // namespace

TEST_CASE("deployed file: component -> version, chartVersion, ~ for not deployed", "[upgrade]") {
  auto f = ReadDeployed("chartVersion: 1.4.0\ncomponents:\n  cms: 1.4.0\n  aas: \"1.4.1\"\n  solr: ~\n",
                        "deployed.yaml", Six(), "");
  CHECK(f.format == "versions");
  CHECK(f.input.chart_deployed == "1.4.0");
  CHECK(f.input.deployed == std::map<std::string, std::string>{{"cms", "1.4.0"}, {"aas", "1.4.1"}});
  // 1.10 is read as written (not the number 1.1).
  CHECK(ReadDeployed("components: {cms: 1.10}\n", "d", Six(), "").input.deployed.at("cms") == "1.10");
}

TEST_CASE("deployed file: errors say FILE:LINE, what and what to do", "[upgrade]") {
  CHECK_THAT(Err("components:\n  cms: 1.4.0\n  shv: 1.4.0\n"),
             Catch::StartsWith("deployed.yaml:3: unknown component 'shv' (did you mean 'shvs'?)"));
  CHECK_THAT(Err("component:\n  cms: 1.4.0\n"),
             Catch::StartsWith("deployed.yaml:1: unknown key 'component' (did you mean 'components'?)"));
  CHECK_THAT(Err("components:\n  cms: 1.4.0\n  aas: latest\n"),
             Catch::StartsWith("deployed.yaml:3: aas: 'latest' is not a semantic version"));
  CHECK_THAT(Err("components:\n  cms: [1]\n"), Catch::StartsWith("deployed.yaml:2: cms: expected a version"));
  CHECK_THAT(Err("chartVersion: two\ncomponents: {}\n"), Catch::StartsWith("deployed.yaml:1: chartVersion 'two'"));
  CHECK_THAT(Err("chartVersion: 1.0.0\n"), Catch::Contains("expected components:"));
  CHECK_THAT(Err("components:\n  cms: 1.4.0\n  cms: 1.4.1\n"), Catch::StartsWith("deployed.yaml:3:"));
  CHECK_THAT(Err("components: [\n"), Catch::StartsWith("deployed.yaml:"));
  CHECK_THAT(Err("- a\n"), Catch::Contains("expected a capstan-postrender report"));
}

TEST_CASE("deployed report: versions read from the workloads the policy names", "[upgrade]") {
  const std::string report = R"({
  "tool": "capstan-postrender",
  "workloads": [
    {"kind": "StatefulSet", "name": "cms", "namespace": "shop",
     "containers": [{"name": "init", "image": "busybox:1.36"}, {"name": "cms", "image": "reg:5000/cms:1.4.0"}]},
    {"kind": "Deployment", "name": "aas", "namespace": "shop", "labels": {"app.kubernetes.io/version": "1.4.0"}},
    {"kind": "Deployment", "name": "scs", "namespace": "shop", "labels": {"app.kubernetes.io/version": "1.3.0"}}
  ]
})";
  auto f = ReadDeployed(report, "report.json", Six(), "");
  CHECK(f.format == "report");
  CHECK(f.input.deployed == std::map<std::string, std::string>{{"cms", "1.4.0"}, {"aas", "1.4.0"}, {"scs", "1.3.0"}});
  auto err = [&](const std::string& text) {
    try {
      ReadDeployed(text, "report.json", Six(), "");
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  CHECK_THAT(err("{\"workloads\": [\n  {\"kind\": \"Deployment\", \"name\": \"aas\", \"labels\": {}}\n]}\n"),
             Catch::StartsWith("report.json:2: Deployment aas (component aas) has no label app.kubernetes.io/version"));
  CHECK_THAT(err("{\"workloads\": [\n  {\"kind\": \"StatefulSet\", \"name\": \"cms\",\n   \"containers\": [{\"name\": "
                 "\"cms\", \"image\": \"cms@sha256:ab\"}]}\n]}\n"),
             Catch::Contains("has no tag to read a version from"));
  CHECK_THAT(err("{\"workloads\": 3}"), Catch::Contains("workloads must be a list"));
  // The same workload in two namespaces: --namespace chooses.
  std::string two = "{\"workloads\": [\n  {\"kind\": \"Deployment\", \"name\": \"aas\", \"namespace\": \"a\", \"labels\": "
                    "{\"app.kubernetes.io/version\": \"1.0.0\"}},\n  {\"kind\": \"Deployment\", \"name\": \"aas\", "
                    "\"namespace\": \"b\", \"labels\": {\"app.kubernetes.io/version\": \"2.0.0\"}}\n]}\n";
  CHECK_THAT(err(two), Catch::Contains("pass --namespace"));
  CHECK(ReadDeployed(two, "r", Six(), "b").input.deployed.at("aas") == "2.0.0");
}

TEST_CASE("check-upgrade: all at once for six components is two findings and one summary", "[upgrade]") {
  auto d = CheckUpgrade(Six(), ReadDeployed(AllAt("1.4.0"), "d", Six(), "").input);
  REQUIRE(d.findings.size() == 2);
  CHECK(d.findings[0].subject == "scs, shvs");
  CHECK(d.findings[0].rule == "order");
  CHECK(d.findings[0].message ==
        "scs 1.4.0 -> 2.0.0, shvs 1.4.0 -> 2.0.0 (order 2) would be upgraded while order 1 is still pending: cms at "
        "1.4.0 (target 2.0.0), aas at 1.4.0 (target 2.0.0): upgrade cms, aas first (keep scs at 1.4.0, shvs at 1.4.0 "
        "in this upgrade), then scs, shvs");
  CHECK(d.findings[1].subject == "portal, solr");
  CHECK_THAT(d.findings[1].message,
             Catch::EndsWith("upgrade cms, aas first (keep portal at 1.4.0, solr at 1.4.0 in this upgrade), then scs, "
                             "shvs, then portal, solr"));
  CHECK(d.summary ==
        "the policy upgrades in 3 steps, one helm upgrade each: 1) cms 2.0.0, aas 2.0.0; then 2) scs 2.0.0, shvs 2.0.0; "
        "then 3) portal 2.0.0, solr 2.0.0 (this upgrade may change only step 1's versions)");
  // Step by step it passes.
  auto after1 = CheckUpgrade(Six(), ReadDeployed("components: {cms: 2.0.0, aas: 2.0.0, scs: 1.4.0, shvs: 1.4.0, "
                                                 "portal: 1.4.0, solr: 1.4.0}\n", "d", Six(), "").input);
  REQUIRE(after1.findings.size() == 1);  // scs/shvs may go now; portal/solr still wait for them
  CHECK(after1.findings[0].subject == "portal, solr");
  CHECK_THAT(after1.findings[0].message, Catch::Contains("upgrade scs, shvs first"));
  // Everything at its target: allowed, no summary.
  auto done = CheckUpgrade(Six(), ReadDeployed(AllAt("2.0.0"), "d", Six(), "").input);
  CHECK(done.findings.empty());
  CHECK(done.summary.empty());
}
