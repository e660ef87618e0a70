// Check mode on a chart rendered by the real Helm 3 and Helm 4 (`helm template | capstan-postrender --check`): the
// Catalyst chart (2 replicas behind a Service, Recreate, no budget, no preStop, a 5 s grace period) gives every
// expected finding at the template's own line, under the repository path given with --chart-dir; the fixed chart
// gives none.
#include <catch2/catch.hpp>

#include <map>

#include "support/test_support.h"

using namespace capstan;
using Catch::Contains;

namespace {

const char* kDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-catalyst
spec:
  replicas: {{ .Values.replicas }}
  strategy:
    type: {{ .Values.strategy }}
  selector:
    matchLabels: {app: catalyst}
  template:
    metadata:
      labels: {app: catalyst}
    spec:
      terminationGracePeriodSeconds: {{ .Values.grace }}
      containers:
        - name: web
          image: catalyst:1.0
          ports: [{name: http, containerPort: 8080}]
          readinessProbe: {httpGet: {path: /healthz, port: http}}
          {{- if .Values.preStop }}
          lifecycle: {preStop: {exec: {command: [sleep, "5"]}}}
          {{- end }}
)";

const char* kService = R"(apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}-catalyst
spec:
  selector: {app: catalyst}
  ports: [{port: 80, targetPort: http}]
{{- if .Values.pdb }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ .Release.Name }}-catalyst
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: catalyst}}
{{- end }}
)";

std::string Template(const test::TempDir& home, int helm, const std::string& chart, std::vector<std::string> set) {
  std::vector<std::string> argv = {test::Helm(helm), "template", "rel", chart};
  for (const auto& s : set) argv.insert(argv.end(), {"--set", s});
  test::ProcessOptions o;
  o.env = {{"HELM_CONFIG_HOME", home.path() + "/config"}, {"HELM_DATA_HOME", home.path() + "/data"},
           {"HELM_CACHE_HOME", home.path() + "/cache"}};
  auto r = test::Run(argv, o);
  INFO("helm " << helm << ": " << r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

}  // namespace

TEST_CASE("check mode on helm template output: the Catalyst chart's risks at their template lines") {
  test::TempDir dir;
  dir.Write("charts/catalyst/Chart.yaml", "apiVersion: v2\nname: catalyst\nversion: 1.0.0\n");
  dir.Write("charts/catalyst/values.yaml",
            "replicas: 2\nstrategy: Recreate\ngrace: 5\npreStop: false\npdb: false\n");
  dir.Write("charts/catalyst/templates/deployment.yaml", kDeployment);
  dir.Write("charts/catalyst/templates/service.yaml", kService);
  std::string chart = dir.path() + "/charts/catalyst";
  for (int helm : {3, 4}) {
    INFO("helm " << helm);
    test::TempDir home;
    test::ProcessOptions o;
    o.stdin_data = Template(home, helm, chart, {});
    auto r = test::Run({test::Binary("capstan-postrender"), "--check", "--chart-dir", "charts/catalyst", "-o",
                        "github", "--fail-on", "warning"}, o);
    INFO(o.stdin_data << r.out << r.err);
    CHECK(r.exit_code == 1);
    const std::string at = "::warning file=charts/catalyst/templates/deployment.yaml,line=";
    CHECK_THAT(r.out, Contains(at + "6,title=capstan-postrender no-pdb::"));              // replicas:
    CHECK_THAT(r.out, Contains(at + "8,title=capstan-postrender recreate-strategy::"));   // type: Recreate
    CHECK_THAT(r.out, Contains(at + "15,title=capstan-postrender grace-period-too-short::"));
    CHECK_THAT(r.out, Contains(at + "17,title=capstan-postrender no-prestop-delay::"));   // - name: web
    size_t lines = 0;
    for (char c : r.out) lines += c == '\n';
    CHECK(lines == 4);

    o.stdin_data = Template(home, helm, chart,
                            {"strategy=RollingUpdate", "grace=30", "preStop=true", "pdb=true"});
    r = test::Run({test::Binary("capstan-postrender"), "--check", "--fail-on", "warning"}, o);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "no findings in 1 file\n");
  }
}
