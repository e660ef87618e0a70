// The check filter's rollout and shutdown rules, each on its risky example and on the safe variant; the Catalyst
// seed (2 replicas behind a Service, Recreate, no budget, no preStop, 5 s grace) with every expected finding and its
// line; rule selection (--rule, --skip-rule) and --kube-version; --chart-dir paths.
#include <catch2/catch.hpp>

#include <set>

#include "postrender/check_rules.h"
#include "postrender/filters/check_filter.h"
#include "postrender/pipeline.h"
#include "util/error.h"

using namespace capstan;
using postrender::CheckOptions;

namespace {

std::vector<postrender::Finding> Findings(const std::string& docs, const CheckOptions& options = {}) {
  std::vector<std::unique_ptr<postrender::Filter>> filters;
  filters.push_back(std::make_unique<postrender::CheckFilter>(options));
  postrender::PipelineOptions po;
  po.fail_on_error_findings = false;
  postrender::Pipeline p(po, std::move(filters));
  postrender::Report report;
  std::string written;
  p.Run(docs, [&](std::string_view s) { written.append(s); }, report);
  REQUIRE(written == docs);  // check mode changes nothing
  return report.Findings();
}

// "Kind/name rule severity" of every finding.
std::multiset<std::string> Check(const std::string& docs, const CheckOptions& options = {}) {
  std::multiset<std::string> got;
  for (const auto& f : Findings(docs, options))
    got.insert(f.object + " " + f.rule + " " + std::string(findings::SeverityName(f.severity)));
  return got;
}

// A Deployment app=NAME with a readiness probe; `spec` and `pod` add lines under spec: and the pod spec:.
std::string Deploy(const std::string& name, int replicas, const std::string& spec = "",
                   const std::string& pod = "", const std::string& container = "") {
  return "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\nspec:\n  replicas: " +
         std::to_string(replicas) + "\n" + spec + "  selector: {matchLabels: {app: " + name +
         "}}\n  template:\n    metadata:\n      labels: {app: " + name + "}\n    spec:\n" + pod +
         "      containers:\n        - name: c\n          image: c\n          ports: [{containerPort: 80}]\n"
         "          readinessProbe: {tcpSocket: {port: 80}}\n" + container;
}

std::string Pdb(const std::string& app, const std::string& budget = "maxUnavailable: 1") {
  return "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: " + app + "}\nspec:\n  " + budget +
         "\n  selector: {matchLabels: {app: " + app + "}}\n";
}

std::string Service(const std::string& name, const std::string& app) {
  return "---\napiVersion: v1\nkind: Service\nmetadata: {name: " + name + "}\nspec:\n  selector: {app: " + app +
         "}\n  ports: [{port: 80}]\n";
}

const char* kPreStop = "          lifecycle: {preStop: {exec: {command: [sleep, \"5\"]}}}\n";

}  // namespace

TEST_CASE("check rules: every rule has help with a YAML example, ids are checked with did-you-mean") {
  std::set<std::string> ids;
  for (const auto& r : postrender::CheckRules()) {
    CHECK(ids.insert(r.id).second);
    CHECK_FALSE(r.description.empty());
    CHECK(r.help.find("How to fix: ") != std::string::npos);
    CHECK(r.help_markdown.find("```yaml\n") != std::string::npos);
  }
  for (const char* id : {"recreate-strategy", "no-pdb", "no-prestop-delay", "grace-period-too-short",
                         "prestop-sleep-unsupported", "max-unavailable-all", "pdb-blocks-drain"})
    CHECK(ids.count(id));
  CHECK_NOTHROW(postrender::RequireCheckRule("no-pdb", "--rule"));
  CHECK_THROWS_WITH(postrender::RequireCheckRule("no-pbd", "--rule"),
                    Catch::Contains("unknown rule 'no-pbd' for --rule (did you mean 'no-pdb'?)"));
  CHECK_THROWS_AS(postrender::RequireCheckRule("nothing-like-it", "--skip-rule"), UsageError);
}

TEST_CASE("check rules: the Catalyst seed gives every finding, at its line in the template") {
  std::string seed =
      "---\n# Source: catalyst/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: catalyst\n"
      "spec:\n  selector:\n    app: catalyst\n  ports:\n    - port: 80\n"
      "---\n# Source: catalyst/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
      "  name: catalyst\nspec:\n  replicas: 2\n  strategy:\n    type: Recreate\n  selector:\n"
      "    matchLabels:\n      app: catalyst\n  template:\n    metadata:\n      labels:\n        app: catalyst\n"
      "    spec:\n      terminationGracePeriodSeconds: 5\n      containers:\n        - name: web\n"
      "          image: catalyst:1.0\n          ports:\n            - containerPort: 8080\n";
  std::multiset<std::string> got;
  for (const auto& f : Findings(seed))
    got.insert(f.file + ":" + std::to_string(f.line) + " " + f.rule + " " +
               std::string(findings::SeverityName(f.severity)));
  CHECK(got == std::multiset<std::string>{
                   "catalyst/templates/deployment.yaml:4 no-readiness-probe warning",  // (name: the object)
                   "catalyst/templates/deployment.yaml:6 no-pdb warning",              // replicas: 2
                   "catalyst/templates/deployment.yaml:8 recreate-strategy warning",   // type: Recreate
                   "catalyst/templates/deployment.yaml:17 grace-period-too-short warning",
                   "catalyst/templates/deployment.yaml:19 no-prestop-delay warning",   // - name: web
               });
  // --chart-dir: repository-relative paths; --rule / --skip-rule select.
  CheckOptions o;
  o.chart_dir = "charts/catalyst/";
  o.rules = {"no-pdb", "recreate-strategy"};
  o.skip_rules = {"recreate-strategy"};
  auto only = Findings(seed, o);
  REQUIRE(only.size() == 1);
  CHECK(only[0].rule == "no-pdb");
  CHECK(only[0].file == "charts/catalyst/templates/deployment.yaml");
  CHECK(only[0].object == "Deployment/catalyst");
  CHECK(only[0].document == 1);
}

TEST_CASE("check rules: lines without '# Source:' are input lines, two documents of one template follow") {
  std::string plain = Deploy("a", 2, "  strategy: {type: Recreate}\n") + Pdb("a");
  auto f = Findings(plain);
  REQUIRE(f.size() == 1);
  CHECK(f[0].file.empty());
  CHECK(f[0].line == 8);  // the input's line of "strategy:"
  std::string two = "---\n# Source: c/templates/x.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n" +
                    ("---\n# Source: c/templates/x.yaml" + Deploy("b", 2, "  strategy: {type: Recreate}\n").substr(3)) +
                    Pdb("b");
  f = Findings(two);
  REQUIRE(f.size() == 1);
  CHECK(f[0].file == "c/templates/x.yaml");
  CHECK(f[0].line == 11);  // 3 lines of the ConfigMap, its '---', then line 7 of the Deployment
}

TEST_CASE("check rules: recreate-strategy on more than one replica") {
  CHECK(Check(Deploy("a", 3, "  strategy:\n    type: Recreate\n") + Pdb("a")) ==
        std::multiset<std::string>{"Deployment/a recreate-strategy warning"});
  CHECK(Check(Deploy("a", 1, "  strategy:\n    type: Recreate\n")) ==
        std::multiset<std::string>{"Deployment/a single-replica warning"});
  CHECK(Check(Deploy("a", 3, "  strategy:\n    type: RollingUpdate\n") + Pdb("a")).empty());
}

TEST_CASE("check rules: no-pdb unless a budget of the namespace selects the pod template") {
  CHECK(Check(Deploy("a", 2)) == std::multiset<std::string>{"Deployment/a no-pdb warning"});
  CHECK(Check(Deploy("a", 2) + Pdb("a")).empty());
  CHECK(Check(Deploy("a", 2) + Pdb("other")) == std::multiset<std::string>{"Deployment/a no-pdb warning"});
  // Another namespace's budget does not count; while the release namespace is unknown, it may be the same one.
  std::string elsewhere = Pdb("a");
  elsewhere.replace(elsewhere.find("{name: a}"), 9, "{name: a, namespace: other}");
  std::string deploy_in_shop = Deploy("a", 2);
  deploy_in_shop.replace(deploy_in_shop.find("  name: a\n"), 10, "  name: a\n  namespace: shop\n");
  CHECK(Check(deploy_in_shop + elsewhere) == std::multiset<std::string>{"Deployment/a no-pdb warning"});
  CHECK(Check(Deploy("a", 2) + elsewhere).empty());
  // matchExpressions select too; a StatefulSet counts; one replica needs no budget.
  std::string expr = "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: e}\nspec:\n"
                     "  maxUnavailable: 1\n  selector:\n"
                     "    matchExpressions: [{key: app, operator: In, values: [a]}]\n";
  CHECK(Check(Deploy("a", 2) + expr).empty());
  std::string sts = Deploy("s", 2);
  sts.replace(sts.find("Deployment"), 10, "StatefulSet");
  CHECK(Check(sts) == std::multiset<std::string>{"StatefulSet/s no-pdb warning"});
  CHECK(Check(Deploy("a", 1)) == std::multiset<std::string>{"Deployment/a single-replica warning"});
}

TEST_CASE("check rules: pdb-blocks-drain scales percentages up, as the disruption controller does") {
  auto blocks = [](const std::string& budget, int replicas) {
    return Check(Deploy("a", replicas) + Pdb("a", budget)).count("PodDisruptionBudget/a pdb-blocks-drain warning");
  };
  CHECK(blocks("maxUnavailable: 0", 3) == 1);
  CHECK(blocks("maxUnavailable: 0%", 3) == 1);
  CHECK(blocks("maxUnavailable: 10%", 3) == 0);  // ceil(0.3) = 1
  CHECK(blocks("minAvailable: 3", 3) == 1);
  CHECK(blocks("minAvailable: 2", 3) == 0);
  CHECK(blocks("minAvailable: 100%", 3) == 1);
  CHECK(blocks("minAvailable: 70%", 3) == 1);  // ceil(2.1) = 3
  CHECK(blocks("minAvailable: 60%", 3) == 0);  // ceil(1.8) = 2
}

TEST_CASE("check rules: no-prestop-delay on pods behind a Service or an Ingress") {
  CHECK(Check(Deploy("a", 2) + Pdb("a") + Service("svc", "a")) ==
        std::multiset<std::string>{"Deployment/a no-prestop-delay warning"});
  CHECK(Check(Deploy("a", 2, "", "", "") + Pdb("a") + Service("svc", "other")).empty());  // not selected
  CHECK(Check(Deploy("a", 2) + Pdb("a")).empty());                                         // no Service
  std::string with_delay = Deploy("a", 2) + kPreStop;
  CHECK(Check(with_delay + Pdb("a") + Service("svc", "a")).empty());
  // The message names the Ingress routing to the Service.
  std::string ingress = "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n"
                        "  rules:\n    - http:\n        paths:\n          - path: /\n            pathType: Prefix\n"
                        "            backend: {service: {name: svc, port: {number: 80}}}\n";
  auto f = Findings(Deploy("a", 2) + Pdb("a") + Service("svc", "a") + ingress);
  REQUIRE(f.size() == 1);
  CHECK(f[0].message.find("behind Service/svc, Ingress/web") != std::string::npos);
  // A sidecar without ports is not a serving container when another one serves.
  std::string sidecar = with_delay + "        - name: log\n          image: log\n";
  CHECK(Check(sidecar + Pdb("a") + Service("svc", "a")) ==
        std::multiset<std::string>{"Deployment/a no-readiness-probe warning"});  // (log has no probe)
}

TEST_CASE("check rules: grace-period-too-short against the preStop delay plus the shutdown time") {
  auto grace = [](const std::string& pod, const std::string& container, const std::string& meta = "") {
    std::string d = Deploy("a", 2, "", pod, container);
    if (!meta.empty()) d.replace(d.find("      labels:"), 0, meta);
    return Check(d + Pdb("a")).count("Deployment/a grace-period-too-short warning");
  };
  CHECK(grace("", "") == 0);                                           // 30 >= 0 + 10
  CHECK(grace("      terminationGracePeriodSeconds: 9\n", "") == 1);   // 9 < 0 + 10
  CHECK(grace("      terminationGracePeriodSeconds: 10\n", "") == 0);
  CHECK(grace("      terminationGracePeriodSeconds: 12\n", kPreStop) == 1);  // 12 < 5 + 10
  CHECK(grace("      terminationGracePeriodSeconds: 15\n", kPreStop) == 0);
  // The default 30 s with a 25 s sleep action: too short.
  CHECK(grace("", "          lifecycle: {preStop: {sleep: {seconds: 25}}}\n") == 1);
  // capstan.dev/shutdown-seconds on the pod template states the shutdown time.
  CHECK(grace("", "", "      annotations: {capstan.dev/shutdown-seconds: \"40\"}\n") == 1);
  CHECK(grace("      terminationGracePeriodSeconds: 3\n", "",
              "      annotations: {capstan.dev/shutdown-seconds: \"2\"}\n") == 0);
}

TEST_CASE("check rules: prestop-sleep-unsupported by --kube-version (info when it is unknown)") {
  std::string sleep = Deploy("a", 2, "", "", "          lifecycle: {preStop: {sleep: {seconds: 5}}}\n") + Pdb("a");
  CHECK(Check(sleep) == std::multiset<std::string>{"Deployment/a prestop-sleep-unsupported info"});
  CheckOptions o;
  o.kube_minor = 29;
  CHECK(Check(sleep, o) == std::multiset<std::string>{"Deployment/a prestop-sleep-unsupported error"});
  o.kube_minor = 30;
  CHECK(Check(sleep, o).empty());
  std::string zero = Deploy("a", 2, "", "", "          lifecycle: {preStop: {sleep: {seconds: 0}}}\n") + Pdb("a");
  o.kube_minor = 32;
  CHECK(Check(zero, o) == std::multiset<std::string>{"Deployment/a prestop-sleep-unsupported error"});
  o.kube_minor = 33;
  CHECK(Check(zero, o).empty());
  std::string exec = Deploy("a", 2, "", "", kPreStop) + Pdb("a");
  o.kube_minor = 29;
  CHECK(Check(exec, o).empty());
  CHECK(postrender::ParseKubeMinor("1.30") == 30);
  CHECK(postrender::ParseKubeMinor("v1.29.3-eks-1234") == 29);
  CHECK_THROWS_AS(postrender::ParseKubeMinor("2.1"), UsageError);
  CHECK_THROWS_AS(postrender::ParseKubeMinor("1.x"), UsageError);
}

TEST_CASE("check rules: max-unavailable-all rounds the percentage down") {
  auto all = [](int replicas, const std::string& max_unavailable) {
    return Check(Deploy("a", replicas, "  strategy:\n    rollingUpdate:\n      maxUnavailable: " + max_unavailable +
                                           "\n") +
                 Pdb("a"))
        .count("Deployment/a max-unavailable-all warning");
  };
  CHECK(all(2, "2") == 1);
  CHECK(all(2, "3") == 1);
  CHECK(all(2, "1") == 0);
  CHECK(all(2, "100%") == 1);
  CHECK(all(3, "99%") == 0);  // floor(2.97) = 2 of 3
  CHECK(all(4, "75%") == 0);  // 3 of 4
  CHECK(all(1, "100%") == 1);
  CHECK(all(1, "50%") == 0);  // floor(0.5) = 0
  CHECK(Check(Deploy("a", 2) + Pdb("a")).empty());  // the default 25% never takes all
}

TEST_CASE("check rules: hooks are left out of the rollout rules, accept-risk turns a finding into info") {
  std::string hook = Deploy("a", 2, "  strategy: {type: Recreate}\n");
  hook.replace(hook.find("  name: a\n"), 10, "  name: a\n  annotations: {helm.sh/hook: post-install}\n");
  CHECK(Check(hook).empty());
  std::string accepted = Deploy("a", 2, "  strategy: {type: Recreate}\n");
  accepted.replace(accepted.find("  name: a\n"), 10,
                   "  name: a\n  annotations: {capstan.dev/accept-risk: \"recreate-strategy, no-pdb\"}\n");
  CHECK(Check(accepted) ==
        std::multiset<std::string>{"Deployment/a recreate-strategy info", "Deployment/a no-pdb info"});
}
