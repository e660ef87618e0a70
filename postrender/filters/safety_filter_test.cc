#include <catch2/catch.hpp>

#include <filesystem>

#include "manifest/stream.h"
#include "postrender/postrender_testing.h"
#include "support/test_support.h"
#include "yaml/tree.h"

using namespace capstan;

namespace {

const char* kRelease = R"(---
# Source: app/templates/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web, tier: "1"}
  template:
    metadata:
      labels: {app: web, tier: "1"}
    spec:
      containers:
        - name: web
          image: nginx
        - name: sidecar
          image: envoy
          lifecycle:
            preStop:
              exec: {command: ["/bin/drain"]}
---
# Source: app/templates/api.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
  strategy:
    type: Recreate
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      terminationGracePeriodSeconds: 3
      containers:
        - name: api
          image: api
---
# Source: app/templates/pdb.yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: api
spec:
  minAvailable: 1
  selector:
    matchLabels: {app: api}
---
# Source: app/templates/single.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: single
spec:
  selector: {matchLabels: {app: single}}
  template:
    metadata: {labels: {app: single}}
    spec:
      containers: [{name: s, image: s}]
---
# Source: app/templates/pvc.yaml
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteMany]
)";

postrender::Config Cfg() {
  postrender::Config c;
  c.checksum.enabled = false;
  c.safety.pdb = c.safety.keep_pvcs = c.safety.rolling_update = true;
  c.safety.prestop_seconds = 5;
  return c;
}

}  // namespace

TEST_CASE("safety: a PDB for replicated workloads that have none, with their selector") {
  postrender::Report report;
  std::string out = test::PostRender(kRelease, Cfg(), &report);
  auto docs = manifest::Split(out);
  REQUIRE(docs.size() == 6);  // five in, one PodDisruptionBudget appended (api has one; single has 1 replica)
  std::string pdb(docs.back().text);
  CHECK(pdb.find("# Source: app/templates/web.yaml\n") != std::string::npos);
  yaml::Tree t = yaml::Tree::Parse(pdb);
  CHECK(t.root().Get("kind").scalar() == "PodDisruptionBudget");
  CHECK(t.root().Get("metadata").Get("name").scalar() == "web-capstan-pdb");
  CHECK(t.root().Get("spec").Get("maxUnavailable").scalar() == "1");
  CHECK(t.root().Get("spec").Get("selector").Get("matchLabels").Get("tier").scalar() == "1");
  CHECK(t.root().Get("spec").Get("selector").Get("matchLabels").Get("tier").style() == yaml::Style::kDoubleQuoted);
}

TEST_CASE("safety: preStop, grace period, rolling update and PVC keep, never overwriting the chart") {
  postrender::Report report;
  std::string out = test::PostRender(kRelease, Cfg(), &report);
  auto docs = manifest::Split(out);
  yaml::Tree web = yaml::Tree::Parse(docs[0].text);
  auto spec = web.root().Get("spec").Get("template").Get("spec");
  CHECK(spec.Get("containers").At(0).Get("lifecycle").Get("preStop").Get("sleep").Get("seconds").scalar() == "5");
  CHECK(spec.Get("containers").At(1).Get("lifecycle").Get("preStop").Get("exec"));  // kept
  CHECK_FALSE(spec.Get("containers").At(1).Get("lifecycle").Get("preStop").Get("sleep"));
  CHECK(spec.Get("terminationGracePeriodSeconds").scalar() == "35");
  CHECK(web.root().Get("spec").Get("strategy").Get("rollingUpdate").Get("maxUnavailable").scalar() == "0");

  yaml::Tree api = yaml::Tree::Parse(docs[1].text);
  CHECK(api.root().Get("spec").Get("strategy").Get("type").scalar() == "Recreate");
  CHECK_FALSE(api.root().Get("spec").Get("strategy").Get("rollingUpdate"));
  CHECK(api.root().Get("spec").Get("template").Get("spec").Get("terminationGracePeriodSeconds").scalar() == "3");
  bool grace_warning = false;
  for (const auto& f : report.Findings()) grace_warning |= f.rule == "grace-shorter-than-prestop" && f.object == "Deployment/api";
  CHECK(grace_warning);

  yaml::Tree pvc = yaml::Tree::Parse(docs[4].text);
  CHECK(pvc.root().Get("metadata").Get("annotations").Get("helm.sh/resource-policy").scalar() == "keep");
  CHECK(docs[2].text == manifest::Split(kRelease)[2].text);  // the chart's PDB is untouched
  CHECK(test::PostRender(out, Cfg()) == out);  // idempotent: the added PDB now covers web
}

TEST_CASE("safety on the corpus: only the documents it targets change") {
  auto cfg = Cfg();
  for (const char* dir : {"rendered", "helm4-input"})
    for (const auto& e : std::filesystem::directory_iterator(test::SharedDir() + "/corpus/" + dir)) {
      INFO(e.path());
      std::string input = test::Slurp(e.path().string());
      std::string out = test::PostRender(input, cfg);
      auto in = manifest::Split(input), outd = manifest::Split(out);
      REQUIRE(outd.size() >= in.size());
      for (size_t i = 0; i < in.size(); ++i) {
        if (in[i].text == outd[i].text || in[i].blank) continue;
        yaml::Tree t = yaml::Tree::Parse(in[i].text);
        std::string kind(t.root().Get("kind").scalar());
        CHECK((kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" || kind == "ReplicaSet" ||
               kind == "PersistentVolumeClaim" || kind == "Rollout"));
        yaml::Tree::Parse(outd[i].text);
      }
      for (size_t i = in.size(); i < outd.size(); ++i)
        CHECK(yaml::Tree::Parse(outd[i].text).root().Get("kind").scalar() == "PodDisruptionBudget");
    }
}

TEST_CASE("check mode: risks, one finding per object, nothing changed") {
  std::string extra = R"(---
apiVersion: batch/v1
kind: Job
metadata:
  name: seed
  annotations: {"helm.sh/hook": post-install}
spec:
  template:
    spec:
      containers: [{name: s, image: s}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: waiter
  annotations:
    capstan.dev/wait-for: "job:seed complete"
spec:
  replicas: 2
  selector: {matchLabels: {app: waiter}}
  template:
    metadata: {labels: {app: waiter}}
    spec:
      initContainers:
        - name: wait-db
          image: busybox
          command: ["sh", "-c", "until nc -z db 5432; do sleep 2; done"]
      containers:
        - name: w
          image: w
          readinessProbe: {httpGet: {path: /, port: 80}}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations: {"helm.sh/hook": pre-upgrade}
spec:
  template:
    spec:
      initContainers:
        - name: wait
          image: capstan
          args: ["wait", "--timeout", "5m", "--", "tcp://web:80"]
      containers: [{name: m, image: m}]
)";
  postrender::Config cfg;
  cfg.check = true;
  cfg.pipeline.fail_on_error_findings = false;
  postrender::Report report;
  std::string out = test::PostRender(std::string(kRelease) + extra, cfg, &report);
  CHECK(out == std::string(kRelease) + extra);
  std::multiset<std::string> got;
  for (const auto& f : report.Findings()) got.insert(f.object + " " + f.rule);
  std::multiset<std::string> want = {
      "Deployment/web no-readiness-probe",   "Deployment/api no-readiness-probe",
      "PodDisruptionBudget/api pdb-blocks-drain",  // minAvailable 1 of... 2 replicas does not block
      "StatefulSet/single single-replica",   "StatefulSet/single no-readiness-probe",
      "Deployment/waiter wait-deadlock",     "Deployment/waiter wait-without-timeout",
      "Job/migrate hook-wait-deadlock",
      // The rollout and shutdown rules (check_rollout_test.cc): api rolls with Recreate on 2 replicas and a 3 s
      // grace period (< 10 s assumed shutdown); web (3 replicas) and waiter (2) have no budget.
      "Deployment/api recreate-strategy",    "Deployment/api grace-period-too-short",
      "Deployment/web no-pdb",               "Deployment/waiter no-pdb",
  };
  want.erase(want.find("PodDisruptionBudget/api pdb-blocks-drain"));
  CHECK(got == want);

  // A PDB whose minAvailable equals the replicas blocks every drain.
  std::string blocking = std::string(kRelease);
  blocking.replace(blocking.find("minAvailable: 1"), 15, "minAvailable: 2");
  postrender::Report r2;
  test::PostRender(blocking, cfg, &r2);
  bool blocks = false;
  for (const auto& f : r2.Findings()) blocks |= f.rule == "pdb-blocks-drain" && f.object == "PodDisruptionBudget/api";
  CHECK(blocks);
}

TEST_CASE("check mode on the corpus changes nothing") {
  postrender::Config cfg;
  cfg.check = true;
  cfg.pipeline.fail_on_error_findings = false;
  for (const auto& e : std::filesystem::directory_iterator(test::SharedDir() + "/corpus/rendered")) {
    std::string input = test::Slurp(e.path().string());
    CHECK(test::PostRender(input, cfg) == input);
  }
}

TEST_CASE("check mode: capstan.dev/accept-risk turns an intended risk into an info finding") {
  std::string doc = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: manager\n  annotations:\n"
                    "    capstan.dev/accept-risk: \"single-replica, no-readiness-probe\"\nspec:\n  template:\n"
                    "    spec:\n      containers: [{name: m, image: m}]\n";
  postrender::Config cfg;
  cfg.check = true;
  cfg.pipeline.fail_on_error_findings = false;
  postrender::Report report;
  test::PostRender(doc, cfg, &report);
  auto f = report.Findings();
  REQUIRE(f.size() == 2);
  for (const auto& x : f) {
    CHECK(x.severity == findings::Severity::kInfo);
    CHECK_THAT(x.message, Catch::Contains("accepted: capstan.dev/accept-risk"));
  }
}
