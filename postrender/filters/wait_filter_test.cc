// The wait filter: capstan.dev/wait-for on a workload or its pod template becomes the first init container running
// `capstan wait` with the canonical conditions; bad annotations are errors with the column; pre-hooks that would
// wait for a Service of the release are not injected; other documents are untouched; the run is idempotent; the
// injected arguments are accepted by the real binary.
#include <catch2/catch.hpp>

#include "manifest/stream.h"
#include "postrender/postrender_testing.h"
#include "support/test_support.h"
#include "yaml/tree.h"

using namespace capstan;

namespace {

const char* kRelease = R"Y(---
# Source: app/templates/db-svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  ports: [{port: 5432}]
---
# Source: app/templates/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    capstan.dev/wait-for: "tcp://db:5432, http://solr:8983/solr/admin/ping (expect 'OK', timeout = 2m)"
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
    spec:
      securityContext: {runAsUser: 1000}
      initContainers:
        - name: copy-config
          image: busybox
      containers:
        - name: web
          image: nginx
          securityContext:
            runAsNonRoot: true
            readOnlyRootFilesystem: true
---
# Source: app/templates/worker.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: worker
spec:
  selector: {matchLabels: {app: worker}}
  template:
    metadata:
      labels: {app: worker}
      annotations:
        capstan.dev/wait-for: |
          dns:db
          file:/shared/ready (content=abc123)
    spec:
      containers: [{name: w, image: w}]
---
# Source: app/templates/migrate.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    capstan.dev/wait-for: "tcp://db:5432"
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: m}]
---
# Source: app/templates/external.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: external-check
  annotations:
    helm.sh/hook: pre-upgrade
    capstan.dev/wait-for: "tcp://db.other-team:5432"
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: m}]
---
# Source: app/templates/plain.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: plain
spec:
  selector: {matchLabels: {app: plain}}
  template:
    metadata: {labels: {app: plain}}
    spec:
      containers: [{name: p, image: p}]
)Y";

postrender::Config Cfg() {
  postrender::Config c;
  c.pipeline.namespace_ = "default";
  c.checksum.enabled = false;
  c.waits.enabled = true;
  c.waits.image = "registry.example/capstan:0.1.0";
  return c;
}

std::vector<std::string> Args(const yaml::Node& ctr) {
  std::vector<std::string> out;
  for (const auto& a : ctr.Get("args").Items()) out.emplace_back(a.scalar());
  return out;
}

}  // namespace

TEST_CASE("wait filter: the annotation becomes the first init container with canonical arguments") {
  postrender::Report report;
  std::string out = test::PostRender(kRelease, Cfg(), &report);
  auto docs = manifest::Split(out);
  REQUIRE(docs.size() == 6);
  yaml::Tree web = yaml::Tree::Parse(docs[1].text);
  auto spec = web.root().Get("spec").Get("template").Get("spec");
  auto init = spec.Get("initContainers");
  REQUIRE(init.size() == 2);
  auto w = init.At(0);
  CHECK(w.Get("name").scalar() == "capstan-wait");
  CHECK(w.Get("image").scalar() == "registry.example/capstan:0.1.0");
  std::vector<std::string> want = {"wait", "--timeout", "5m", "--", "tcp://db:5432",
                                   "http://solr:8983/solr/admin/ping (expect=OK, timeout=2m)"};
  CHECK(Args(w) == want);
  CHECK(init.At(1).Get("name").scalar() == "copy-config");  // the chart's init container runs after the wait
  CHECK(w.Get("resources").Get("requests").Get("cpu").scalar() == "10m");
  CHECK(w.Get("resources").Get("limits").Get("memory").scalar() == "64Mi");
  // The container-level securityContext of the pod's first container.
  CHECK(w.Get("securityContext").Get("runAsNonRoot").scalar() == "true");
  CHECK(w.Get("securityContext").Get("readOnlyRootFilesystem").scalar() == "true");

  yaml::Tree worker = yaml::Tree::Parse(docs[2].text);
  auto wi = worker.root().Get("spec").Get("template").Get("spec").Get("initContainers");
  REQUIRE(wi.size() == 1);
  std::vector<std::string> want2 = {"wait", "--timeout", "5m", "--", "dns:db", "file:/shared/ready (content=abc123)"};
  CHECK(Args(wi.At(0)) == want2);
  // No securityContext to copy: a restrictive one.
  CHECK(wi.At(0).Get("securityContext").Get("allowPrivilegeEscalation").scalar() == "false");
  CHECK(wi.At(0).Get("securityContext").Get("capabilities").Get("drop").At(0).scalar() == "ALL");

  // Untouched: the Service and the workload without the annotation keep their bytes.
  auto in = manifest::Split(kRelease);
  CHECK(docs[0].text == in[0].text);
  CHECK(docs[5].text == in[5].text);
  // Idempotent.
  CHECK(test::PostRender(out, Cfg()) == out);
}

TEST_CASE("wait filter: a pre-hook waiting for a Service of the release is not injected (deadlock)") {
  postrender::Report report;
  std::string out = test::PostRender(kRelease, Cfg(), &report);
  auto docs = manifest::Split(out);
  CHECK(docs[3].text == manifest::Split(kRelease)[3].text);
  bool deadlock = false;
  for (const auto& f : report.Findings())
    deadlock |= f.rule == "wait-deadlock" && f.object == "Job/migrate" && f.severity == findings::Severity::kWarning;
  CHECK(deadlock);
  // A pre-upgrade hook waiting for a Service of another namespace (not this release's) gets its wait.
  yaml::Tree ext = yaml::Tree::Parse(docs[4].text);
  auto init = ext.root().Get("spec").Get("template").Get("spec").Get("initContainers");
  REQUIRE(init.size() == 1);
  CHECK(Args(init.At(0)).back() == "tcp://db.other-team:5432");
}

TEST_CASE("wait filter: a bad annotation fails the run naming the document and the column") {
  std::string bad = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    capstan.dev/wait-for: "tcp://db:5432, htp://solr"
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
)";
  postrender::Report report;
  CHECK_THROWS(test::PostRender(bad, Cfg(), &report));
  bool found = false;
  for (const auto& f : report.Findings())
    if (f.rule == "bad-wait-for") {
      found = true;
      CHECK(f.severity == findings::Severity::kError);
      CHECK_THAT(f.message, Catch::Contains("condition 2 at column 16: unknown condition kind 'htp'"));
      CHECK_THAT(f.message, Catch::Contains("Deployment/web"));
    }
  CHECK(found);
}

TEST_CASE("wait filter: the injected command line runs in the real binary") {
  std::string out = test::PostRender(kRelease, Cfg());
  yaml::Tree worker = yaml::Tree::Parse(manifest::Split(out)[2].text);
  auto args = Args(worker.root().Get("spec").Get("template").Get("spec").Get("initContainers").At(0));
  // Point the file condition at a real file and shorten the timeout: the binary accepts the argv as injected.
  test::TempDir dir;
  std::string ready = dir.Write("ready", "abc123\n");
  std::vector<std::string> argv = {test::Binary("capstan")};
  for (auto a : args) {
    if (a == "5m") a = "3s";
    if (a.rfind("file:", 0) == 0) a = "file:" + ready + " (content=abc123)";
    if (a == "dns:db") a = "dns:localhost";
    argv.push_back(a);
  }
  auto r = test::Run(argv);
  INFO(r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("wait filter: the init container mounts the volumes holding the files its conditions read") {
  std::string doc = R"Y(apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    metadata:
      annotations:
        capstan.dev/wait-for: "postgres://app@db:5432/portal (schema>=2, password-file=/secrets/db/password, ca=/secrets/ca/ca.crt)"
    spec:
      containers:
        - name: app
          image: app
          volumeMounts:
            - {name: db-secret, mountPath: /secrets/db}
            - {name: db-ca, mountPath: /secrets/ca/}
            - {name: data, mountPath: /data}
)Y";
  postrender::Config cfg;
  cfg.waits.enabled = true;
  cfg.waits.image = "capstan:test";
  std::string out = test::PostRender(doc, cfg);
  yaml::Tree t = yaml::Tree::Parse(out);
  yaml::Node init = t.root().Get("spec").Get("template").Get("spec").Get("initContainers").At(0);
  REQUIRE(init.Get("name").scalar() == "capstan-wait");
  auto mounts = init.Get("volumeMounts").Items();
  REQUIRE(mounts.size() == 2);
  CHECK(mounts[0].Get("name").scalar() == "db-secret");
  CHECK(mounts[0].Get("readOnly").scalar() == "true");
  CHECK(mounts[1].Get("name").scalar() == "db-ca");
}

TEST_CASE("ordered start: pods > 0 wait for pod 0's marker, pod 0 writes it, RollingUpdate refused") {
  std::string sts = R"Y(apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: content
  annotations:
    capstan.dev/ordered-start: "true"
    capstan.dev/ordered-start-volume: shared
    capstan.dev/ordered-start-ready: "http://127.0.0.1:8080/health (expect=UP)"
spec:
  serviceName: content
  template:
    spec:
      containers:
        - name: cms
          image: cms
          volumeMounts: [{name: shared, mountPath: /profile}]
          envFrom: [{configMapRef: {name: cfg}}]
      volumes: [{name: shared, persistentVolumeClaim: {claimName: profile}}]
)Y";
  postrender::Config cfg;
  cfg.waits.enabled = true;
  cfg.waits.image = "capstan:test";
  postrender::Report report;
  std::string out = test::PostRender(sts, cfg, &report);
  yaml::Tree t = yaml::Tree::Parse(out);
  yaml::Node spec = t.root().Get("spec").Get("template").Get("spec");
  yaml::Node init = spec.Get("initContainers").At(0);
  CHECK(init.Get("name").scalar() == "capstan-ordered-start");
  std::vector<std::string> args;
  for (const auto& a : init.Get("args").Items()) args.emplace_back(a.scalar());
  CHECK(args == std::vector<std::string>{"wait", "--ordered-start", "--marker-dir", "/profile/.capstan", "--timeout", "30m"});
  CHECK(init.Get("env").At(1).Get("valueFrom").Get("fieldRef").Get("fieldPath").scalar() ==
        "metadata.annotations['capstan.dev/config-digest']");
  yaml::Node mark = spec.Get("containers").At(0);
  CHECK(mark.Get("name").scalar() == "capstan-mark-ready");
  CHECK(mark.Get("args").At(4).scalar() == "--");
  CHECK(mark.Get("args").At(5).scalar() == "http://127.0.0.1:8080/health (expect=UP)");
  CHECK(spec.Get("containers").At(1).Get("name").scalar() == "cms");
  CHECK(t.root().Get("spec").Get("updateStrategy").Get("type").scalar() == "OnDelete");
  CHECK(t.root().Get("spec").Get("template").Get("metadata").Get("annotations").Get("kubectl.kubernetes.io/default-container").scalar() == "cms");
  CHECK(!t.root().Get("spec").Get("template").Get("metadata").Get("annotations").Get("capstan.dev/config-digest").scalar().empty());
  CHECK(test::PostRender(out, cfg) == out);  // idempotent

  std::string rolling = sts;
  rolling.replace(rolling.find("  serviceName: content\n"), 23, "  serviceName: content\n  updateStrategy: {type: RollingUpdate}\n");
  CHECK_THROWS_WITH(test::PostRender(rolling, cfg), Catch::Contains("deadlocks with updateStrategy RollingUpdate"));
}

TEST_CASE("wait filter: rules in the configuration file select workloads by kind, name and labels") {
  test::TempDir t;
  std::string cfg_path = t.Write("capstan.yaml", R"(waits:
  enabled: true
  image: capstan:test
  rules:
    - kind: Deployment
      labels: {tier: frontend}
      waitFor: "tcp://db:5432"
    - name: api
      waitFor: "dns:solr"
)");
  postrender::Config cfg;
  postrender::LoadConfigFile(cfg_path, cfg);
  std::string docs = R"(---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata: {labels: {tier: frontend}}
    spec: {containers: [{name: w, image: w}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, labels: {tier: frontend}}
spec:
  template:
    spec: {containers: [{name: a, image: a}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: other, labels: {tier: frontend}}
spec:
  template:
    spec: {containers: [{name: o, image: o}]}
)";
  std::string out = test::PostRender(docs, cfg);
  auto d = manifest::Split(out);
  auto args = [&](size_t i) {
    yaml::Tree tr = yaml::Tree::Parse(d[i].text);
    std::vector<std::string> a;
    for (const auto& x : tr.root().Get("spec").Get("template").Get("spec").Get("initContainers").At(0).Get("args").Items())
      a.emplace_back(x.scalar());
    return a;
  };
  CHECK(args(0) == std::vector<std::string>{"wait", "--timeout", "5m", "--", "tcp://db:5432"});
  CHECK(args(1) == std::vector<std::string>{"wait", "--timeout", "5m", "--", "tcp://db:5432", "dns:solr"});
  CHECK(args(2).empty());  // a StatefulSet: the Deployment rule does not select it, nor the name rule
  std::string bad = t.Write("bad.yaml", "waits:\n  rules:\n    - kind: Deployment\n");
  postrender::Config c2;
  CHECK_THROWS_WITH(postrender::LoadConfigFile(bad, c2), Catch::Contains("needs waitFor"));
}
