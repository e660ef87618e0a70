// Every Kubernetes v1.31 schema in the shared test data compiles (meta-schema checked) and validates real objects,
// including the Deployment rendered by the bitnami/nginx chart in the shared corpus (transcribed to JSON).
#include <dirent.h>

#include <algorithm>

#include "js_test_util.h"
#include "support/test_support.h"
#include "util/file_io.h"

using namespace capstan::jsonschema;
using namespace capstan::jsonschema::testing;

namespace {

std::string K8sDir() { return capstan::test::SharedDir() + "/testdata/k8s-schemas-v1.31"; }

Schema Load(const std::string& name) {
  std::string path = K8sDir() + "/" + name;
  return Schema::Compile(Json(capstan::ReadFile(path)), "file://" + path, Registry());
}

// From /work/shared/corpus/rendered/bitnami__nginx.yaml (the Deployment, trimmed of repeated entries).
const char* kNginxDeployment = R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"rel-nginx",
"namespace":"ns","labels":{"app.kubernetes.io/instance":"rel","app.kubernetes.io/name":"nginx",
"helm.sh/chart":"nginx-22.1.1"}},"spec":{"replicas":1,"revisionHistoryLimit":10,
"strategy":{"rollingUpdate":{},"type":"RollingUpdate"},"selector":{"matchLabels":{"app.kubernetes.io/instance":"rel",
"app.kubernetes.io/name":"nginx"}},"template":{"metadata":{"labels":{"app.kubernetes.io/instance":"rel",
"app.kubernetes.io/name":"nginx"},"annotations":null},"spec":{"shareProcessNamespace":false,
"serviceAccountName":"rel-nginx","automountServiceAccountToken":false,"affinity":{"podAffinity":null,
"podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"podAffinityTerm":{"labelSelector":{
"matchLabels":{"app.kubernetes.io/instance":"rel","app.kubernetes.io/name":"nginx"}},
"topologyKey":"kubernetes.io/hostname"},"weight":1}]},"nodeAffinity":null},"hostNetwork":false,"hostIPC":false,
"securityContext":{"fsGroup":1001,"fsGroupChangePolicy":"Always","supplementalGroups":[],"sysctls":[]},
"containers":[{"name":"nginx","image":"docker.io/bitnami/nginx:1.29.1-debian-12-r0","imagePullPolicy":"IfNotPresent",
"securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]},"privileged":false,
"readOnlyRootFilesystem":true,"runAsGroup":1001,"runAsNonRoot":true,"runAsUser":1001,"seLinuxOptions":{},
"seccompProfile":{"type":"RuntimeDefault"}},"env":[{"name":"BITNAMI_DEBUG","value":"false"},
{"name":"NGINX_HTTP_PORT_NUMBER","value":"8080"}],"envFrom":null,"ports":[{"name":"http","containerPort":8080},
{"name":"https","containerPort":8443}],"livenessProbe":{"failureThreshold":6,"initialDelaySeconds":30,
"periodSeconds":10,"successThreshold":1,"timeoutSeconds":5,"tcpSocket":{"port":"http"}},
"readinessProbe":{"failureThreshold":3,"initialDelaySeconds":5,"periodSeconds":5,"successThreshold":1,
"timeoutSeconds":3,"httpGet":{"path":"/","port":"http"}},"resources":{"limits":{"cpu":"150m",
"ephemeral-storage":"2Gi","memory":"192Mi"},"requests":{"cpu":"100m","ephemeral-storage":"50Mi","memory":"128Mi"}},
"volumeMounts":[{"name":"empty-dir","mountPath":"/tmp","subPath":"tmp-dir"},{"name":"certificate",
"mountPath":"/certs"}]}],"volumes":[{"name":"empty-dir","emptyDir":{}},{"name":"certificate",
"secret":{"secretName":"rel-nginx-tls","items":[{"key":"tls.crt","path":"tls.crt"}]}}]}}}})";

}  // namespace

TEST_CASE("every Kubernetes v1.31 schema compiles and accepts a minimal object", "[jsonschema][k8s]") {
  std::vector<std::string> names;
  DIR* d = opendir(K8sDir().c_str());
  REQUIRE(d != nullptr);
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n.size() > 5 && n.substr(n.size() - 5) == ".json") names.push_back(n);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  REQUIRE(names.size() >= 15);
  for (const auto& name : names) {
    INFO(name);
    Schema s = Load(name);
    // apiVersion / kind from the schema's own enums
    PathInfo api = s.Describe({"apiVersion"});
    PathInfo kind = s.Describe({"kind"});
    CHECK(api.status == PathInfo::Status::kDefined);
    CHECK(kind.status == PathInfo::Status::kDefined);
    // Kinds with required top-level fields (RoleBinding: roleRef) report exactly those as missing.
    rapidjson::Document raw = Json(capstan::ReadFile(K8sDir() + "/" + name));
    size_t required = raw.HasMember("required") ? raw["required"].Size() : 0;
    auto minimal = Errors(s, R"({"metadata": {"name": "x", "labels": {"a": "b"}}})");
    CHECK(minimal.size() == required);
    for (const auto& e : minimal) CHECK(e.keyword == "required");
    auto errors = Errors(s, R"({"metadata": {"name": "x", "nmae": "y"}})");
    REQUIRE(errors.size() == required + 1);
    CHECK(errors.back().instance_location == "/metadata/nmae");
    CHECK(errors.back().keyword == "additionalProperties");
  }
}

TEST_CASE("the nginx chart's Deployment is a valid apps/v1 Deployment", "[jsonschema][k8s]") {
  Schema s = Load("deployment-apps-v1.json");
  auto errors = Errors(s, kNginxDeployment);
  for (const auto& e : errors) UNSCOPED_INFO(e.instance_location << ": " << e.message);
  CHECK(errors.empty());
  // a typo and a wrong type deep inside the pod template are found and located
  std::string bad = kNginxDeployment;
  bad.replace(bad.find("\"containerPort\":8080"), 20, "\"containerPort\":\"8080\"");
  bad.replace(bad.find("\"imagePullPolicy\""), 17, "\"imagePulPolicy\"");
  errors = Errors(s, bad);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].instance_location == "/spec/template/spec/containers/0/imagePulPolicy");
  CHECK(errors[1].instance_location == "/spec/template/spec/containers/0/ports/0/containerPort");
  CHECK(errors[1].message == "got string, want integer");
}

TEST_CASE("a Service and a ConfigMap validate", "[jsonschema][k8s]") {
  Schema svc = Load("service-v1.json");
  CHECK(Valid(svc, R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                       "spec": {"type": "ClusterIP", "ports": [{"name": "http", "port": 80, "targetPort": "http"}],
                                "selector": {"app": "web"}}})"));
  CHECK_FALSE(Valid(svc, R"({"apiVersion": "v2", "kind": "Service"})"));
  Schema cm = Load("configmap-v1.json");
  CHECK(Valid(cm, R"({"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "b"}})"));
  CHECK_FALSE(Valid(cm, R"({"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": 1}})"));
}
