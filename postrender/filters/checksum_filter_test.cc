#include <catch2/catch.hpp>

#include "postrender/postrender_testing.h"
#include "util/error.h"

using namespace capstan;

namespace {

const char* kConfig = R"(---
# Source: app/templates/cm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  labels:
    helm.sh/chart: app-1.0.0
data:
  app.properties: |
    mode=fast
  LOG_LEVEL: "info"
  unused: "x"
---
# Source: app/templates/secret.yaml
apiVersion: v1
kind: Secret
metadata:
  name: app-secret
type: Opaque
data:
  password: c3VwZXJzZWNyZXQ=
  apikey: YWJjZA==
)";

const char* kWorkloads = R"(---
# Source: app/templates/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx
          envFrom:
            - configMapRef:
                name: app-config
---
# Source: app/templates/worker.yaml
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: worker
spec:
  template:
    spec:
      containers:
      - name: worker
        env:
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: app-secret
              key: password
---
# Source: app/templates/cron.yaml
apiVersion: batch/v1
kind: CronJob
metadata:
  name: cleanup
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          volumes:
            - name: cfg
              projected:
                sources:
                  - configMap:
                      name: app-config
                      items:
                        - key: LOG_LEVEL
                          path: level
          containers:
            - name: c
              image: busybox
---
# Source: app/templates/plain.yaml
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: plain
spec:
  template:
    spec:
      containers: [{name: c, image: busybox}]
)";

postrender::Config Cfg() {
  postrender::Config c;
  c.pipeline.release = "app";
  c.pipeline.namespace_ = "default";
  c.summary = false;
  return c;
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t p = s.find(from);
  REQUIRE(p != std::string::npos);
  return s.replace(p, from.size(), to);
}

}  // namespace

TEST_CASE("checksum: every consuming workload gets a digest, others none") {
  auto d = test::Digests(test::PostRender(std::string(kConfig) + kWorkloads, Cfg()));
  CHECK(d.count("Deployment/web"));
  CHECK(d.count("StatefulSet/worker"));
  CHECK(d.count("CronJob/cleanup"));
  CHECK_FALSE(d.count("DaemonSet/plain"));
  CHECK(d["Deployment/web"].rfind("sha256:", 0) == 0);
  CHECK(d["Deployment/web"] != d["CronJob/cleanup"]);
}

TEST_CASE("checksum: changing one value rolls exactly its consumers") {
  std::string base = std::string(kConfig) + kWorkloads;
  auto before = test::Digests(test::PostRender(base, Cfg()));
  SECTION("a key consumed by envFrom only") {
    auto after = test::Digests(test::PostRender(Replace(base, "mode=fast", "mode=slow"), Cfg()));
    CHECK(after["Deployment/web"] != before["Deployment/web"]);
    CHECK(after["StatefulSet/worker"] == before["StatefulSet/worker"]);
    CHECK(after["CronJob/cleanup"] == before["CronJob/cleanup"]);  // projects LOG_LEVEL only
  }
  SECTION("a key selected by a projected volume's items") {
    auto after = test::Digests(test::PostRender(Replace(base, "\"info\"", "\"debug\""), Cfg()));
    CHECK(after["Deployment/web"] != before["Deployment/web"]);
    CHECK(after["CronJob/cleanup"] != before["CronJob/cleanup"]);
    CHECK(after["StatefulSet/worker"] == before["StatefulSet/worker"]);
  }
  SECTION("a secret key referenced by secretKeyRef, and another key of the same secret") {
    auto after = test::Digests(test::PostRender(Replace(base, "c3VwZXJzZWNyZXQ=", "b3RoZXI="), Cfg()));
    CHECK(after["StatefulSet/worker"] != before["StatefulSet/worker"]);
    CHECK(after["Deployment/web"] == before["Deployment/web"]);
    auto other = test::Digests(test::PostRender(Replace(base, "YWJjZA==", "ZWZnaA=="), Cfg()));
    CHECK(other["StatefulSet/worker"] == before["StatefulSet/worker"]);
  }
  SECTION("labels, annotations, chart version and formatting do not count") {
    std::string s = Replace(base, "helm.sh/chart: app-1.0.0", "helm.sh/chart: app-1.0.1\n  annotations: {a: b}");
    s = Replace(s, "LOG_LEVEL: \"info\"", "LOG_LEVEL: 'info'");
    s = Replace(s, "  unused: \"x\"\n", "");
    s = Replace(s, "data:\n  app.properties", "data:\n  unused: x\n  app.properties");
    CHECK(test::Digests(test::PostRender(s, Cfg())) == before);
  }
  SECTION("Secret data and stringData with the same bytes give the same digest") {
    std::string s = Replace(base, "  password: c3VwZXJzZWNyZXQ=\n", "");
    s = Replace(s, "type: Opaque\n", "type: Opaque\nstringData:\n  password: supersecret\n");
    CHECK(test::Digests(test::PostRender(s, Cfg()))["StatefulSet/worker"] == before["StatefulSet/worker"]);
  }
}

TEST_CASE("checksum: HMAC digests with a key, no secret value in output or report") {
  std::string base = std::string(kConfig) + kWorkloads;
  auto cfg = Cfg();
  cfg.checksum.hmac_key = "k3y-material";
  postrender::Report report;
  std::string out = test::PostRender(base, cfg, &report);
  auto d = test::Digests(out);
  CHECK(d["StatefulSet/worker"].rfind("hmac-sha256:", 0) == 0);
  cfg.checksum.hmac_key = "another-key";
  CHECK(test::Digests(test::PostRender(base, cfg))["StatefulSet/worker"] != d["StatefulSet/worker"]);
  std::string json = report.ToJson();
  for (const char* secret : {"supersecret", "k3y-material", "abcd"}) {
    CHECK(json.find(secret) == std::string::npos);
    CHECK(report.Summary().find(secret) == std::string::npos);
  }
}

TEST_CASE("checksum: references outside the release warn, or fail with strict") {
  std::string doc = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          envFrom:
            - secretRef:
                name: existing-db-credentials
)";
  postrender::Report report;
  std::string out = test::PostRender(doc, Cfg(), &report);
  auto findings = report.Findings();
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule == "missing-reference");
  CHECK(findings[0].severity == capstan::findings::Severity::kWarning);
  CHECK(findings[0].message.find("Secret/existing-db-credentials") != std::string::npos);
  auto cfg = Cfg();
  cfg.checksum.strict = true;
  CHECK_THROWS_WITH(test::PostRender(doc, cfg), Catch::Contains("existing-db-credentials"));
}

TEST_CASE("checksum: opt out, opt in, custom annotation, env var") {
  std::string base = std::string(kConfig) + kWorkloads;
  std::string opted = Replace(base, "  name: web\nspec:", "  name: web\n  annotations:\n    capstan.dev/checksum: \"false\"\nspec:");
  auto d = test::Digests(test::PostRender(opted, Cfg()));
  CHECK_FALSE(d.count("Deployment/web"));
  CHECK(d.count("StatefulSet/worker"));

  auto cfg = Cfg();
  cfg.checksum.opt_in = true;
  std::string in = Replace(base, "  name: worker\nspec:", "  name: worker\n  annotations: {capstan.dev/checksum: \"true\"}\nspec:");
  d = test::Digests(test::PostRender(in, cfg));
  CHECK(d.size() == 1);
  CHECK(d.count("StatefulSet/worker"));

  cfg = Cfg();
  cfg.checksum.annotation = "example.com/config-hash";
  d = test::Digests(test::PostRender(base, cfg), "example.com/config-hash");
  CHECK(d.size() == 3);

  cfg = Cfg();
  cfg.checksum.env_name = "CONFIG_DIGEST";
  std::string out = test::PostRender(base, cfg);
  d = test::Digests(out);
  CHECK(out.find("        - env:\n            - name: \"CONFIG_DIGEST\"\n              value: \"" + d["Deployment/web"] + "\"\n          name: web") != std::string::npos);
  CHECK(test::PostRender(out, cfg) == out);  // idempotent: the variable is updated, not added twice
}

TEST_CASE("checksum: Helm 4 hook Jobs and extra workload kinds get digests too") {
  std::string doc = std::string(kConfig) + R"(---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    "helm.sh/hook": pre-upgrade
    postrenderer.helm.sh/postrender-filename: 'app/templates/migrate.yaml'
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: m
          envFrom: [{configMapRef: {name: app-config}}]
---
apiVersion: example.com/v1
kind: Workload
metadata:
  name: custom
spec:
  podTemplate:
    spec:
      containers:
        - name: c
          envFrom: [{configMapRef: {name: app-config}}]
)";
  auto cfg = Cfg();
  postrender::Report report;
  std::string out = test::PostRender(doc, cfg, &report);
  CHECK(test::Digests(out).count("Job/migrate"));
  CHECK(out.find("postrenderer.helm.sh/postrender-filename: 'app/templates/migrate.yaml'") != std::string::npos);
  bool hook_reported = false;
  for (const auto& w : report.Workloads())
    if (w.name == "migrate") hook_reported = w.hook;
  CHECK(hook_reported);
  cfg.checksum.extra_kinds.push_back(postrender::ParseWorkloadKind("example.com/Workload=spec.podTemplate"));
  out = test::PostRender(doc, cfg);
  CHECK(out.find("  podTemplate:\n    metadata:\n      annotations:\n        capstan.dev/config-digest:") != std::string::npos);
}

TEST_CASE("checksum: previous report says which workloads roll and why") {
  std::string base = std::string(kConfig) + kWorkloads;
  postrender::Report first;
  test::PostRender(base, Cfg(), &first);
  postrender::Report second;
  second.LoadPrevious(first.ToJson());
  test::PostRender(Replace(base, "mode=fast", "mode=slow"), Cfg(), &second);
  for (const auto& w : second.Workloads()) {
    if (w.name == "web") {
      CHECK(w.previous_digest != w.digest);
      REQUIRE(w.changed.size() == 1);
      CHECK(w.changed[0] == "ConfigMap/app-config");
    } else if (!w.digest.empty()) {
      CHECK(w.previous_digest == w.digest);
      CHECK(w.changed.empty());
    }
  }
  CHECK(second.Summary().find("Deployment/web rolls: changed ConfigMap/app-config") != std::string::npos);
}

TEST_CASE("pipeline: empty input writes a comment, blank documents pass through") {
  CHECK(test::PostRender("", Cfg()) == "# capstan-postrender: the release renders no resources\n");
  CHECK(test::PostRender("---\n# Source: x/templates/empty.yaml\n", Cfg()) == "---\n# Source: x/templates/empty.yaml\n");
  std::string not_k8s = "---\nfoo: bar\n---\nkind: OnlyKind\n";
  CHECK(test::PostRender(not_k8s, Cfg()) == not_k8s);
}

TEST_CASE("pipeline: bad input is refused with its location") {
  auto err = [](const std::string& in) {
    try {
      test::PostRender(in, Cfg());
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  std::string dup = "---\n# Source: c/templates/d.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
                    "data:\n  a: \"1\"\n  a: \"2\"\n";
  CHECK_THAT(err("---\nok: 1\n" + dup),
             Catch::Contains("input line 11, document 1 (ConfigMap/x, # Source: c/templates/d.yaml): invalid YAML: "
                             "duplicate key 'a'"));
  CHECK_THAT(err("a:\n\tb: 1\n"), Catch::Contains("input line 2, document 0") && Catch::Contains("tab"));
  CHECK_THAT(err("---\n- a\n- b\n"), Catch::Contains("document 0") && Catch::Contains("is a list, not a mapping"));
  CHECK_THAT(err("---\njust a scalar\n"), Catch::Contains("is a scalar, not a mapping"));
  CHECK_THAT(err("kind: X\nlabels: [unclosed\n"), Catch::Contains("invalid YAML"));
  CHECK_THAT(err(std::string("a: b\0c\n", 7)), Catch::Contains("input line 1, document 0: invalid YAML: control character U+0000"));
  CHECK_THAT(err("a: \xff\xfe\n"), Catch::Contains("invalid UTF-8 byte sequence"));
  CHECK_THAT(err("---\n# comment \xc0\xaf\n"), Catch::Contains("invalid UTF-8 byte sequence"));
  CHECK_THAT(err("%piVrce: c/tname: web\xf6\x8c\x8f\xa1" "c:\n s/: l\napia"), Catch::Contains("invalid UTF-8"));
  auto cfg = Cfg();
  cfg.pipeline.max_document_size = 1024;
  std::string big = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  k: \"" + std::string(4096, 'x') + "\"\n";
  CHECK_THROWS_WITH(test::PostRender(big, cfg), Catch::Contains("ConfigMap/big") && Catch::Contains("--max-document-size"));
}
