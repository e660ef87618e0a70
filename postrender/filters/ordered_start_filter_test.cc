// The ordered-start filter alone: a StatefulSet that opts in gets the waiter init container and the marker
// container (both with the restricted securityContext), updateStrategy OnDelete, and the default-container
// annotation; the pod template's annotations win over the StatefulSet's; misconfigurations are error findings.
#include <catch2/catch.hpp>

#include "postrender/filters/ordered_start_filter.h"
#include "postrender/pipeline.h"
#include "yaml/tree.h"

using namespace capstan;

namespace {

struct Result {
  std::string out;
  std::vector<std::string> findings;  // "rule: message"
};

Result Run(const std::string& doc) {
  postrender::OrderedStartOptions o;
  o.enabled = true;
  o.image = "capstan:test";
  std::vector<std::unique_ptr<postrender::Filter>> filters;
  filters.push_back(std::make_unique<postrender::OrderedStartFilter>(o));
  postrender::PipelineOptions po;
  po.fail_on_error_findings = false;
  postrender::Pipeline p(po, std::move(filters));
  postrender::Report report;
  Result r;
  p.Run(doc, [&](std::string_view s) { r.out.append(s); }, report);
  for (const auto& f : report.Findings()) r.findings.push_back(f.rule + ": " + f.message);
  return r;
}

std::string Sts(const std::string& sts_annotations, const std::string& template_annotations = "{}",
                const std::string& mounts = "[{name: shared, mountPath: /data}]") {
  return "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: content\n  annotations: " + sts_annotations +
         "\nspec:\n  serviceName: content\n  replicas: 3\n  template:\n    metadata:\n      annotations: " +
         template_annotations + "\n    spec:\n      containers:\n        - name: cms\n          image: cms\n"
         "          volumeMounts: " + mounts + "\n      volumes:\n        - {name: shared, nfs: {server: nfs, path: /}}\n"
         "        - {name: other, persistentVolumeClaim: {claimName: other}}\n";
}

const char* kOptIn = "{capstan.dev/ordered-start: \"true\", capstan.dev/ordered-start-volume: shared}";

void CheckRestricted(const yaml::Node& c) {
  yaml::Node sc = c.Get("securityContext");
  CHECK(sc.Get("runAsNonRoot").scalar() == "true");
  CHECK(sc.Get("readOnlyRootFilesystem").scalar() == "true");
  CHECK(sc.Get("allowPrivilegeEscalation").scalar() == "false");
  CHECK(sc.Get("capabilities").Get("drop").At(0).scalar() == "ALL");
  CHECK(sc.Get("seccompProfile").Get("type").scalar() == "RuntimeDefault");
}

}  // namespace

TEST_CASE("ordered start: waiter and marker injected with the restricted securityContext") {
  Result r = Run(Sts(kOptIn));
  REQUIRE(r.findings.empty());
  yaml::Tree t = yaml::Tree::Parse(r.out);
  yaml::Node spec = t.root().Get("spec").Get("template").Get("spec");
  yaml::Node waiter = spec.Get("initContainers").At(0);
  yaml::Node marker = spec.Get("containers").At(0);
  CHECK(waiter.Get("name").scalar() == "capstan-ordered-start");
  CHECK(waiter.Get("image").scalar() == "capstan:test");
  CHECK(waiter.Get("args").At(3).scalar() == "/data/.capstan");
  CHECK(waiter.Get("resources").Get("requests").Get("cpu").scalar() == "10m");
  CHECK(waiter.Get("volumeMounts").At(0).Get("mountPath").scalar() == "/data");
  CheckRestricted(waiter);
  CHECK(marker.Get("name").scalar() == "capstan-mark-ready");
  CHECK(marker.Get("args").At(0).scalar() == "mark-ready");
  CheckRestricted(marker);
  CHECK(spec.Get("containers").At(1).Get("name").scalar() == "cms");
  CHECK(t.root().Get("spec").Get("updateStrategy").Get("type").scalar() == "OnDelete");
  CHECK(Run(r.out).out == r.out);  // idempotent
}

TEST_CASE("ordered start: not opted in, a hook or another kind is left alone") {
  std::string plain = Sts("{}");
  CHECK(Run(plain).out == plain);
  std::string off = Sts("{capstan.dev/ordered-start: \"false\", capstan.dev/ordered-start-volume: shared}");
  CHECK(Run(off).out == off);
  std::string hook = Sts("{capstan.dev/ordered-start: \"true\", capstan.dev/ordered-start-volume: shared, "
                         "helm.sh/hook: pre-install}");
  CHECK(Run(hook).out == hook);
}

TEST_CASE("ordered start: the pod template's annotations win over the StatefulSet's") {
  // Opted in on the StatefulSet, out on the template: out.
  std::string out_on_template = Sts(kOptIn, "{capstan.dev/ordered-start: \"false\"}");
  CHECK(Run(out_on_template).out == out_on_template);
  // The template names another volume: that one is used.
  Result r = Run(Sts(kOptIn, "{capstan.dev/ordered-start-volume: other}",
                     "[{name: shared, mountPath: /data}, {name: other, mountPath: /other}]"));
  REQUIRE(r.findings.empty());
  CHECK(r.out.find("/other/.capstan") != std::string::npos);
}

TEST_CASE("ordered start: a missing or unmounted volume and RollingUpdate are error findings") {
  CHECK(Run(Sts("{capstan.dev/ordered-start: \"true\"}")).findings ==
        std::vector<std::string>{"ordered-start-volume: capstan.dev/ordered-start needs "
                                 "capstan.dev/ordered-start-volume: the name of the volume all pods share"});
  Result unmounted = Run(Sts(kOptIn, "{}", "[{name: shared, mountPath: /data, subPath: x}]"));
  REQUIRE(unmounted.findings.size() == 1);
  CHECK_THAT(unmounted.findings[0], Catch::Contains("no container mounts volume 'shared'"));
  std::string rolling = Sts(kOptIn);
  rolling.replace(rolling.find("  serviceName: content\n"), 23,
                  "  serviceName: content\n  updateStrategy: {type: RollingUpdate}\n");
  Result r = Run(rolling);
  REQUIRE(r.findings.size() == 1);
  CHECK_THAT(r.findings[0], Catch::StartsWith("ordered-start-rolling-update: "));
  Result bad_ready = Run(Sts("{capstan.dev/ordered-start: \"true\", capstan.dev/ordered-start-volume: shared, "
                             "capstan.dev/ordered-start-ready: \"htp://x\"}"));
  REQUIRE(bad_ready.findings.size() == 1);
  CHECK_THAT(bad_ready.findings[0], Catch::Contains("did you mean 'http'"));
}
