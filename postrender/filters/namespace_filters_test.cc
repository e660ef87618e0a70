// The wait and safety filters compare namespaces as the checksum filter does (postrender/namespaces.h): while the
// release namespace is unknown, an object without one may be in any explicit namespace. A pre-hook that may wait for
// a Service of the release is not injected (a deadlock would not be reported); a PodDisruptionBudget that may
// select a workload's pods counts as the chart's (a second one would make every eviction fail).
#include <catch2/catch.hpp>

#include "manifest/stream.h"
#include "postrender/postrender_testing.h"

using namespace capstan;

namespace {

const char* kHook = R"Y(---
# Source: app/templates/db-svc.yaml
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  ports: [{port: 5432}]
---
# Source: app/templates/migrate.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    helm.sh/hook: pre-upgrade
    capstan.dev/wait-for: "tcp://db.shop:5432"
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: m}]
)Y";

const char* kPdb = R"Y(---
# Source: app/templates/pdb.yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: shop
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: web}}
---
# Source: app/templates/web.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
)Y";

postrender::Config Cfg(const std::string& release_ns) {
  postrender::Config c;
  c.pipeline.namespace_ = release_ns;
  c.checksum.enabled = false;
  c.summary = false;
  return c;
}

bool HasFinding(const postrender::Report& report, const std::string& rule) {
  for (const auto& f : report.Findings())
    if (f.rule == rule) return true;
  return false;
}

}  // namespace

TEST_CASE("namespaces in the wait filter: a pre-hook that may wait for a Service of the release is not injected") {
  SECTION("release namespace unknown: db (no namespace) may be db.shop") {
    postrender::Report report;
    CHECK(test::PostRender(kHook, Cfg(""), &report) == kHook);
    CHECK(HasFinding(report, "wait-deadlock"));
  }
  SECTION("release namespace shop: it is db.shop") {
    postrender::Report report;
    CHECK(test::PostRender(kHook, Cfg("shop"), &report) == kHook);
    CHECK(HasFinding(report, "wait-deadlock"));
  }
  SECTION("release namespace other: db.shop is not the release's, the hook gets its wait") {
    postrender::Report report;
    std::string out = test::PostRender(kHook, Cfg("other"), &report);
    CHECK(out.find("capstan-wait") != std::string::npos);
    CHECK_FALSE(HasFinding(report, "wait-deadlock"));
  }
}

TEST_CASE("namespaces in the safety filter: a budget that may select the pods counts as the chart's") {
  for (const std::string ns : {"", "shop"}) {
    INFO("release namespace '" << ns << "'");
    auto c = Cfg(ns);
    c.safety.pdb = true;
    std::string out = test::PostRender(kPdb, c);
    CHECK(out.find("web-capstan-pdb") == std::string::npos);
  }
  auto c = Cfg("other");  // the chart's budget is in another namespace than the Deployment
  c.safety.pdb = true;
  CHECK(test::PostRender(kPdb, c).find("web-capstan-pdb") != std::string::npos);
}
