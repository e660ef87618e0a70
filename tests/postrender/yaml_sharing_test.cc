// capstan-postrender end to end on documents that share text through merge keys ("<<") and aliases: what
// Kubernetes reads (go-yaml v2) changes only by the injected fields, alias expansion is bounded, messages stay short.
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>

#include "support/test_support.h"
#include "values/output.h"
#include "values/yaml_load.h"

using namespace capstan;

namespace {
test::ProcessResult PostRender(const std::string& input, std::vector<std::string> args = {}) {
  std::vector<std::string> argv = {test::Binary("capstan-postrender"), "--release", "r"};
  argv.insert(argv.end(), args.begin(), args.end());
  test::ProcessOptions o;
  o.stdin_data = input;
  return test::Run(argv, o);
}

// The Deployment document of a stream (the last one), as go-yaml v2 reads it, as JSON.
std::string K8sReads(const std::string& stream) {
  std::string doc = stream.substr(stream.rfind("\n---\n") + 5);
  auto layer = std::make_shared<values::Layer>();
  layer->kind = values::LayerKind::kValuesFile;
  layer->file = "deployment.yaml";
  return values::ToJson(values::ParseValuesYaml(doc, layer, 3));
}

const char* kConfigMap = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {k: v}\n";
}  // namespace

TEST_CASE("a pod template supplied by a merge key keeps its containers and annotations") {
  test::TempDir t;
  std::string cfg = t.Write("capstan.yaml", "checksum:\n  env: DIGEST\n");
  std::string deployment =
      "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
      "x-base: &b\n  template:\n    metadata:\n      labels: {app: web}\n      annotations: &m {team: a}\n"
      "    spec:\n      containers:\n      - name: app\n        image: nginx\n        envFrom: [{configMapRef: {name: cfg}}]\n"
      "spec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  <<: *b\n";
  for (bool env : {false, true}) {
    INFO("with the container env edit: " << env);
    auto r = env ? PostRender(kConfigMap + deployment, {"--no-summary", "--config", cfg})
                 : PostRender(kConfigMap + deployment, {"--no-summary"});
    REQUIRE(r.exit_code == 0);
    std::string got = K8sReads(r.out);
    INFO(r.out);
    // the template as the merge supplied it, plus the digest (and the env var), nothing lost
    CHECK_THAT(got, Catch::Contains(R"("labels":{"app":"web"})"));
    CHECK_THAT(got, Catch::Contains(R"("annotations":{"capstan.dev/config-digest":"sha256:)"));
    CHECK_THAT(got, Catch::Contains(R"(","team":"a"})"));
    CHECK_THAT(got, Catch::Contains(R"("envFrom":[{"configMapRef":{"name":"cfg"}}],"image":"nginx","name":"app")"));
    CHECK((got.find(R"("env":[{"name":"DIGEST","value":"sha256:)") != std::string::npos) == env);
    // the shared text itself is untouched
    CHECK_THAT(r.out, Catch::Contains("x-base: &b\n  template:\n    metadata:\n      labels: {app: web}\n      annotations: &m {team: a}\n"));
  }
  // annotations supplied through a merge key inside the template
  std::string variant =
      "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations: &m {team: a}\n"
      "spec:\n  template:\n    metadata: {<<: {annotations: *m}}\n    spec:\n      containers:\n"
      "      - {name: app, image: nginx, envFrom: [{configMapRef: {name: cfg}}]}\n";
  auto r = PostRender(kConfigMap + variant, {"--no-summary"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(K8sReads(r.out), Catch::Contains(R"("template":{"metadata":{"annotations":{"capstan.dev/config-digest":"sha256:)"));
  CHECK_THAT(K8sReads(r.out), Catch::Contains(R"(","team":"a"}},"spec")"));
}

TEST_CASE("aliased containers get their own edited copies, shared text held in place is re-emitted") {
  test::TempDir t;
  std::string cfg = t.Write("capstan.yaml", "checksum:\n  env: DIGEST\n");
  std::string doc = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nx-ctr: &c {name: app, envFrom: [{configMapRef: {name: cfg}}]}\n"
                    "spec:\n  containers: [*c]\n  initContainers:\n  - *c\n";
  auto r = PostRender(kConfigMap + doc, {"--no-summary", "--config", cfg});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("x-ctr: &c {name: app, envFrom: [{configMapRef: {name: cfg}}]}\n"));
  CHECK_THAT(K8sReads(r.out), Catch::Contains(R"("containers":[{"env":[{"name":"DIGEST","value":"sha256:)"));
  CHECK_THAT(K8sReads(r.out), Catch::Contains(R"("initContainers":[{"env":[{"name":"DIGEST","value":"sha256:)"));
  // the containers are anchored where Kubernetes reads them and copied elsewhere: the anchored list is written
  // out again with the edit, and the alias becomes an edited copy (a container is edited wherever it appears)
  std::string held = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: &cs\n"
                     "  - {name: app, envFrom: [{configMapRef: {name: cfg}}]}\n  initContainers: *cs\n";
  r = PostRender(kConfigMap + held, {"--no-summary", "--config", cfg});
  REQUIRE(r.exit_code == 0);
  INFO(r.out);
  CHECK(r.out.find("&cs") == std::string::npos);
  CHECK_THAT(K8sReads(r.out), Catch::Contains(R"("containers":[{"env":[{"name":"DIGEST","value":"sha256:)"));
  CHECK_THAT(K8sReads(r.out), Catch::Contains(R"("initContainers":[{"env":[{"name":"DIGEST","value":"sha256:)"));
  CHECK_THAT(K8sReads(r.out), Catch::Contains(R"("envFrom":[{"configMapRef":{"name":"cfg"}}],"name":"app"}],"initContainers")"));
}

TEST_CASE("alias expansion is bounded: N aliased containers with N aliased env entries") {
  auto quadratic = [](int n, bool distinct) {
    std::string doc = "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
                      "x-env: &e {name: K, valueFrom: {configMapKeyRef: {name: missing, key: k}}}\n"
                      "x-ctr: &c\n  name: app\n  env:\n";
    for (int i = 0; i < n; ++i) doc += "  - *e\n";
    doc += "spec:\n  template:\n    spec:\n      containers:\n";
    for (int i = 0; i < n; ++i)
      doc += distinct ? "      - {name: c" + std::to_string(i) + ", env: [*e]}\n" : "      - *c\n";
    return doc;
  };
  auto start = std::chrono::steady_clock::now();
  auto r = PostRender(quadratic(3000, false), {"--no-summary"});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Catch::Contains("expands to more than 1000000 nodes once its aliases are expanded"));
  CHECK(r.err.size() < 2000);
  CHECK(seconds < 10);
  // below the limit: one finding per reference, its list of uses deduplicated and cut short
  r = PostRender(quadratic(100, false));
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("ConfigMap/missing (used by env K (container app)) is not in the release"));
  r = PostRender(quadratic(40, true));
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("env K (container c9), ... and 30 more) is not in the release"));
  CHECK(r.err.size() < 4000);
}
