// check-upgrade: semver precedence, the policy parser, decision tables (downgrade, major skip, order), and the
// command against the test API server.
#include <catch2/catch.hpp>

#include "kube/rbac.h"
#include "release/record.h"
#include "upgrade/check.h"
#include "upgrade/policy.h"
#include "upgrade/semver.h"
#include "kube/kube_test_server.h"

using namespace capstan;
using namespace capstan::upgrade;
using namespace capstan::test;

TEST_CASE("semver: precedence per semver.org, lenient forms", "[kube][upgrade]") {
  // Each is lower than the next (semver.org section 11 example, plus more).
  std::vector<std::string> ordered = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                                      "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0",
                                      "1.10.0", "2.0.0-0", "2.0.0", "10.0.0"};
  for (size_t i = 0; i + 1 < ordered.size(); ++i) {
    auto a = ParseSemVer(ordered[i]);
    auto b = ParseSemVer(ordered[i + 1]);
    REQUIRE(a);
    REQUIRE(b);
    INFO(ordered[i] << " < " << ordered[i + 1]);
    CHECK(Compare(*a, *b) < 0);
    CHECK(Compare(*b, *a) > 0);
  }
  CHECK(Compare(*ParseSemVer("1.2.3+build.5"), *ParseSemVer("1.2.3")) == 0);
  CHECK(Compare(*ParseSemVer("v1.2"), *ParseSemVer("1.2.0")) == 0);
  CHECK(ToString(*ParseSemVer("v2.0.0-rc.1+b7")) == "2.0.0-rc.1+b7");
  for (const char* bad : {"", "latest", "1.2.3.4", "01.2.3", "1.2.3-", "1.2.3-01", "1.2.3-a..b", "1..3", "1.2.x",
                          "1.2.3+", "-1.0.0", "99999999999999999999.0.0"})
    CHECK_FALSE(ParseSemVer(bad).has_value());
}

namespace {

Policy P(const std::string& yaml) { return ParsePolicy(yaml, "policy.yaml"); }

const char* kThree = R"(
allowDowngrade: false
maxMajorSkip: 0
components:
  - name: controller
    order: 3
    version: "2.0.0"
    deployed: {kind: Deployment, name: ctl}
  - name: certs
    order: 1
    version: "2.0.0"
    deployed: {kind: Deployment, name: certs}
  - name: auth
    order: 2
    version: "2.0.0"
    deployed: {kind: StatefulSet, name: auth, image: {container: auth}}
)";

std::vector<std::string> Rules(const UpgradeDecision& d) {
  std::vector<std::string> out;
  for (const auto& f : d.findings) out.push_back(f.subject + ":" + f.rule);
  return out;
}

}  // namespace

TEST_CASE("policy: parsed and sorted by order, defaults", "[kube][upgrade]") {
  auto p = P(kThree);
  REQUIRE(p.components.size() == 3);
  CHECK(p.components[0].name == "certs");
  CHECK(p.components[2].name == "controller");
  CHECK(p.components[0].deployed.label == "app.kubernetes.io/version");
  CHECK(p.components[1].deployed.image);
  CHECK(p.components[1].deployed.container == "auth");
  CHECK(p.components[1].deployed.kind == "StatefulSet");
  auto j = P(R"({"components":[{"name":"a","order":0,"version":"1.0.0","deployed":{"kind":"deploy","name":"a"}}]})");
  CHECK(j.components[0].deployed.kind == "Deployment");
  CHECK_FALSE(j.allow_downgrade);
  CHECK(j.max_major_skip == 0);
}

TEST_CASE("policy: errors name the path and the fix", "[kube][upgrade]") {
  auto err = [](const std::string& y) {
    try {
      P(y);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  const std::string c = "components:\n  - {name: a, order: 1, version: '1.0.0', deployed: {kind: Deployment, name: a}}\n";
  CHECK(err(c) == "(accepted)");
  CHECK_THAT(err("allowDowngrad: true\n" + c), Catch::Contains("did you mean 'allowDowngrade'"));
  CHECK_THAT(err("components:\n  - {name: a, order: 1, version: 2.0, deployed: {kind: Deployment, name: a}}\n"),
             Catch::Contains("quote versions"));
  CHECK_THAT(err("components:\n  - {name: a, order: 1, version: 'two', deployed: {kind: Deployment, name: a}}\n"),
             Catch::Contains("not a semantic version"));
  CHECK_THAT(err("components:\n  - {name: a, version: '1.0.0', deployed: {kind: Deployment, name: a}}\n"),
             Catch::Contains("missing order"));
  CHECK_THAT(err("components:\n  - {name: a, order: -1, version: '1.0.0', deployed: {kind: Deployment, name: a}}\n"),
             Catch::Contains("whole number"));
  CHECK_THAT(err(c + "  - {name: a, order: 2, version: '1.0.0', deployed: {kind: Deployment, name: b}}\n"),
             Catch::Contains("appears twice"));
  CHECK_THAT(err("components:\n  - {name: a, order: 1, version: '1.0.0', deployed: {kind: ConfigMap, name: a}}\n"),
             Catch::Contains("not a workload"));
  CHECK_THAT(err("components:\n  - {name: a, order: 1, version: '1.0.0', deployed: {kind: Gizmo, name: a}}\n"),
             Catch::Contains("unsupported kind"));
  CHECK_THAT(err("components:\n  - {name: a, order: 1, version: '1.0.0', deployed: {kind: Deployment, name: a, "
                 "label: v, image: {}}}\n"),
             Catch::Contains("either label or image"));
  CHECK_THAT(err("components:\n  - {name: a, order: 1, version: '1.0.0'}\n"), Catch::Contains("deployed"));
  CHECK_THAT(err("components: []\n"), Catch::Contains("empty"));
  CHECK_THAT(err("- a\n"), Catch::Contains("mapping"));
  CHECK_THAT(err("components: [\n"), Catch::Contains("policy.yaml:"));
  CHECK_THAT(err("maxMajorSkip: yes\n" + c), Catch::Contains("maxMajorSkip"));
}

TEST_CASE("check-upgrade: decision table", "[kube][upgrade]") {
  auto comps = [](const std::string& certs, const std::string& auth, const std::string& ctl) {
    return "components:\n"
           "  - {name: certs, order: 1, version: '" + certs + "', deployed: {kind: Deployment, name: certs}}\n"
           "  - {name: auth, order: 2, version: '" + auth + "', deployed: {kind: Deployment, name: auth}}\n"
           "  - {name: controller, order: 3, version: '" + ctl + "', deployed: {kind: Deployment, name: ctl}}\n";
  };
  struct Row {
    std::string name;
    std::string targets[3];
    std::map<std::string, std::string> deployed;
    std::string chart_from, chart_to, prefix;
    std::vector<std::string> expected;
  };
  std::vector<Row> rows = {
      {"fresh install", {"2.0.0", "2.0.0", "2.0.0"}, {}, "", "2.0.0", "", {}},
      {"no change", {"2.0.0", "2.0.0", "2.0.0"}, {{"certs", "2.0.0"}, {"auth", "2.0.0"}, {"controller", "2.0.0"}}, "2.0.0", "2.0.0", "", {}},
      {"first stage: certs only", {"2.0.0", "1.4.0", "1.4.0"}, {{"certs", "1.4.0"}, {"auth", "1.4.0"}, {"controller", "1.4.0"}}, "", "", "", {}},
      {"second stage: auth after certs", {"2.0.0", "2.0.0", "1.4.0"}, {{"certs", "2.0.0"}, {"auth", "1.4.0"}, {"controller", "1.4.0"}}, "", "", "", {}},
      {"all at once is out of order", {"2.0.0", "2.0.0", "2.0.0"}, {{"certs", "1.4.0"}, {"auth", "1.4.0"}, {"controller", "1.4.0"}}, "", "", "",
       {"auth:order", "controller:order"}},  // one finding per order group moving too early
      {"controller before auth", {"2.0.0", "1.4.0", "2.0.0"}, {{"certs", "2.0.0"}, {"auth", "1.4.0"}, {"controller", "1.4.0"}}, "", "", "", {}},
      {"controller while auth pending", {"2.0.0", "2.0.0", "2.0.0"}, {{"certs", "2.0.0"}, {"auth", "1.4.0"}, {"controller", "1.4.0"}}, "", "", "",
       {"controller:order"}},
      {"patch upgrades also ordered", {"1.4.1", "1.4.1", "1.4.0"}, {{"certs", "1.4.0"}, {"auth", "1.4.0"}, {"controller", "1.4.0"}}, "", "", "",
       {"auth:order"}},
      {"downgrade refused", {"1.3.0", "1.4.0", "1.4.0"}, {{"certs", "1.4.0"}, {"auth", "1.4.0"}, {"controller", "1.4.0"}}, "", "", "",
       {"certs:downgrade"}},
      {"downgrade allowed by policy", {"1.3.0", "1.4.0", "1.4.0"}, {{"certs", "1.4.0"}, {"auth", "1.4.0"}, {"controller", "1.4.0"}}, "", "",
       "allowDowngrade: true\n", {}},
      {"release to its own pre-release is a downgrade", {"2.0.0-rc.1", "1.4.0", "1.4.0"}, {{"certs", "2.0.0"}, {"auth", "1.4.0"}, {"controller", "1.4.0"}},
       "", "", "", {"certs:downgrade"}},
      {"rc to final is an upgrade", {"2.0.0", "1.4.0", "1.4.0"}, {{"certs", "2.0.0-rc.2"}, {"auth", "1.4.0"}, {"controller", "1.4.0"}}, "", "", "", {}},
      {"rc.2 to rc.10 is an upgrade", {"2.0.0-rc.10", "1.4.0", "1.4.0"}, {{"certs", "2.0.0-rc.2"}, {"auth", "1.4.0"}, {"controller", "1.4.0"}}, "", "", "", {}},
      {"major skip refused", {"3.0.0", "1.4.0", "1.4.0"}, {{"certs", "1.4.0"}, {"auth", "1.4.0"}, {"controller", "1.4.0"}}, "", "", "",
       {"certs:major-skip"}},
      {"major skip allowed by maxMajorSkip 1", {"3.0.0", "1.4.0", "1.4.0"}, {{"certs", "1.4.0"}, {"auth", "1.4.0"}, {"controller", "1.4.0"}}, "", "",
       "maxMajorSkip: 1\n", {}},
      {"two majors with maxMajorSkip 1", {"4.0.0", "1.4.0", "1.4.0"}, {{"certs", "1.4.0"}, {"auth", "1.4.0"}, {"controller", "1.4.0"}}, "", "",
       "maxMajorSkip: 1\n", {"certs:major-skip"}},
      {"chart downgrade", {"1.4.0", "1.4.0", "1.4.0"}, {{"certs", "1.4.0"}, {"auth", "1.4.0"}, {"controller", "1.4.0"}}, "3.2.0", "3.1.9", "",
       {"chart:downgrade"}},
      {"chart major skip", {"1.4.0", "1.4.0", "1.4.0"}, {{"certs", "1.4.0"}, {"auth", "1.4.0"}, {"controller", "1.4.0"}}, "1.9.0", "3.0.0", "",
       {"chart:major-skip"}},
      {"chart 1.x to 2.0.0-beta.1 is fine", {"1.4.0", "1.4.0", "1.4.0"}, {{"certs", "1.4.0"}, {"auth", "1.4.0"}, {"controller", "1.4.0"}}, "1.9.0",
       "2.0.0-beta.1", "", {}},
      {"unreadable deployed version", {"1.4.0", "1.4.0", "1.4.0"}, {{"certs", "latest"}, {"auth", "1.4.0"}, {"controller", "1.4.0"}}, "", "", "",
       {"certs:unreadable"}},
      {"new component does not block later ones", {"1.0.0", "2.0.0", "1.4.0"}, {{"auth", "1.4.0"}, {"controller", "1.4.0"}}, "", "", "", {}},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    Policy p = P(r.prefix + comps(r.targets[0], r.targets[1], r.targets[2]));
    UpgradeInput in;
    in.deployed = r.deployed;
    in.chart_deployed = r.chart_from;
    in.chart_new = r.chart_to;
    auto d = CheckUpgrade(p, in);
    auto got = Rules(d);
    std::sort(got.begin(), got.end());
    auto want = r.expected;
    std::sort(want.begin(), want.end());
    CHECK(got == want);
  }
}

TEST_CASE("check-upgrade: messages say what to do, same-order components upgrade together", "[kube][upgrade]") {
  auto p = P(kThree);
  UpgradeInput in;
  in.deployed = {{"certs", "1.0.0"}, {"auth", "2.0.0"}, {"controller", "1.0.0"}};
  auto d = CheckUpgrade(p, in);
  REQUIRE(d.findings.size() == 1);
  CHECK(d.findings[0].message ==
        "controller (order 3) would be upgraded 1.0.0 -> 2.0.0 while certs (order 1) is still at 1.0.0 (target 2.0.0): "
        "upgrade certs first (keep controller at 1.0.0 in this upgrade), then controller");
  auto same = P("components:\n"
                "  - {name: a, order: 1, version: '2.0.0', deployed: {kind: Deployment, name: a}}\n"
                "  - {name: b, order: 1, version: '2.0.0', deployed: {kind: Deployment, name: b}}\n");
  UpgradeInput both;
  both.deployed = {{"a", "1.0.0"}, {"b", "1.0.0"}};
  CHECK(CheckUpgrade(same, both).findings.empty());
  auto skip = CheckUpgrade(P(kThree), UpgradeInput{"", "", {{"certs", "0.9.0"}}});
  REQUIRE(skip.findings.size() == 1);
  CHECK_THAT(skip.findings[0].message, Catch::Contains("skips 1 major version (allowed: 0); upgrade through 1.x first"));
}

TEST_CASE("check-upgrade: image tags", "[kube][upgrade]") {
  CHECK(ImageTag("nginx:1.25.3") == "1.25.3");
  CHECK(ImageTag("registry.local:5000/shop/auth:v2.0.0-rc.1") == "v2.0.0-rc.1");
  CHECK(ImageTag("registry.local:5000/shop/auth") == "");
  CHECK(ImageTag("registry.local:5000/shop/auth:2.1@sha256:abcd") == "2.1");
  CHECK(ImageTag("auth@sha256:abcd") == "");
}

TEST_CASE("capstan check-upgrade against the API: versions read from labels and images", "[kube][upgrade]") {
  KubeTestServer server;
  TempDir dir;
  std::string kc = WriteKubeconfig(dir, server);
  auto deploy = [&](const std::string& kind_path, const std::string& name, const std::string& version_label,
                    const std::string& image) {
    server.Put("/apis/apps/v1/namespaces/shop/" + kind_path + "/" + name,
               R"({"metadata":{"name":")" + name + R"(","labels":{"app.kubernetes.io/version":")" + version_label +
                   R"("}},"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"envoy:1.30.0"},{"name":")" +
                   name + R"(","image":")" + image + R"("}]}}}})");
  };
  deploy("deployments", "certs", "1.4.0", "certs:whatever");
  deploy("statefulsets", "auth", "ignored", "registry.local:5000/auth:1.4.0");
  deploy("deployments", "ctl", "1.4.0", "ctl:1.4.0");
  // A record says chart 1.4.0 is deployed.
  {
    kube::Client client(TestConfig(server), FastOptions());
    release::UpdateRecord(client, "shop", "portal", [](release::ReleaseRecord& r) {
      release::UpsertEntry(r, 3, {{"chartVersion", "1.4.0"}, {"outcome", "verified"}}, 20);
    });
  }
  std::string policy = dir.Write("policy.yaml", kThree);
  auto run = [&](const std::string& chart_version, const std::string& output) {
    return Run({Binary("capstan"), "check-upgrade", "portal", "--kubeconfig", kc, "--policy", policy,
                "--chart-version", chart_version, "-o", output, "--log-format", "json"});
  };
  server.ClearRequests();
  auto all_at_once = run("2.0.0", "text");
  CHECK(all_at_once.exit_code == 1);
  CHECK_THAT(all_at_once.out, Catch::Contains("upgrade REFUSED (2 problems)"));
  CHECK_THAT(all_at_once.out, Catch::Contains("the policy upgrades in 3 steps"));
  CHECK_THAT(all_at_once.out, Catch::Contains("auth (order 2): 1.4.0 -> 2.0.0 [upgrade]"));
  CHECK_THAT(all_at_once.err, Catch::Contains("refused"));
  // Only GETs, exactly what the RBAC table grants check-upgrade.
  for (const auto& q : server.Requests()) {
    INFO(q.method << " " << q.path);
    CHECK(q.verb == "get");
    CHECK(kube::RbacAllows({"check-upgrade"}, q.group, q.resource, q.verb));
  }
  auto chart_down = run("1.3.0", "json");
  CHECK(chart_down.exit_code == 1);
  auto j = kube::ParseJson(chart_down.out, "stdout");
  CHECK_FALSE(j["allowed"].GetBool());
  bool has_chart_downgrade = false;
  for (const auto& f : j["findings"].GetArray())
    has_chart_downgrade = has_chart_downgrade || (kube::GetString(f, {"subject"}) == "chart" &&
                                                  kube::GetString(f, {"rule"}) == "downgrade");
  CHECK(has_chart_downgrade);
  // Everything already at target: allowed.
  std::string same = dir.Write("same.yaml", R"(components:
  - {name: certs, order: 1, version: '1.4.0', deployed: {kind: Deployment, name: certs}}
  - {name: auth, order: 2, version: '1.4.0', deployed: {kind: StatefulSet, name: auth, image: {container: auth}}}
  - {name: ctl, order: 3, version: '1.4.1', deployed: {kind: Deployment, name: ctl, image: {container: ctl}}}
  - {name: newcomer, order: 4, version: '1.0.0', deployed: {kind: Deployment, name: newcomer}}
)");
  auto ok = Run({Binary("capstan"), "check-upgrade", "portal", "--kubeconfig", kc, "--policy", same, "--chart-version",
                 "1.4.1"});
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.out, Catch::Contains("upgrade allowed"));
  CHECK_THAT(ok.out, Catch::Contains("newcomer (order 4): not deployed -> 1.0.0 [install]"));
  CHECK_THAT(ok.out, Catch::Contains("ctl (order 3): 1.4.0 -> 1.4.1 [upgrade]"));
  // image: {} reads the FIRST container: here the sidecar's envoy:1.30.0, which makes 1.4.1 a downgrade.
  std::string first = dir.Write("first.yaml", "components:\n  - {name: ctl, order: 1, version: '1.4.1', deployed: "
                                              "{kind: Deployment, name: ctl, image: {}}}\n");
  auto first_run = Run({Binary("capstan"), "check-upgrade", "portal", "--kubeconfig", kc, "--policy", first});
  CHECK(first_run.exit_code == 1);
  CHECK_THAT(first_run.out, Catch::Contains("ctl: downgrade from 1.30.0 to 1.4.1"));
  auto bad_policy = Run({Binary("capstan"), "check-upgrade", "portal", "--kubeconfig", kc, "--policy",
                         dir.Write("bad.yaml", "components: 3\n")});
  CHECK(bad_policy.exit_code == 2);
  CHECK_THAT(bad_policy.err, Catch::Contains("bad.yaml: components"));
}
