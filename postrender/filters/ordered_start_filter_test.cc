// The ordered-start filter alone: a StatefulSet that opts in gets the waiter init container and the marker
// container (both with the restricted securityContext; the marker with its exec readinessProbe
// `mark-ready --probe`), updateStrategy OnDelete, and the default-container
// annotation; the pod template's annotations win over the StatefulSet's; the marker digest annotation, never empty,
// and how the containers read it; every configuration that cannot work is a finding (also in check mode).
#include <catch2/catch.hpp>

#include <algorithm>

#include "postrender/check_output.h"
#include "postrender/filters/ordered_start_filter.h"
#include "postrender/postrender_testing.h"
#include "postrender/pipeline.h"
#include "yaml/tree.h"

using namespace capstan;

namespace {

struct Result {
  std::string out;
  std::vector<std::string> findings;  // "rule: message"
};

Result Run(const std::string& doc, bool config_digest = true, bool check_only = false) {
  postrender::OrderedStartOptions o;
  o.enabled = true;
  o.image = "capstan:test";
  o.config_digest = config_digest;
  o.check_only = check_only;
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
  // Pod 0 is Ready only once it has marked its digest: an exec probe, on the marker's own directory and env.
  yaml::Node probe = marker.Get("readinessProbe");
  yaml::Node command = probe.Get("exec").Get("command");
  REQUIRE(command.Items().size() == 5);
  CHECK(command.At(0).scalar() == "/capstan");
  CHECK(command.At(1).scalar() == "mark-ready");
  CHECK(command.At(2).scalar() == "--probe");
  CHECK(command.At(3).scalar() == "--marker-dir");
  CHECK(command.At(4).scalar() == marker.Get("args").At(2).scalar());
  CHECK(marker.Get("args").At(1).scalar() == "--marker-dir");
  CHECK(std::stoi(std::string(probe.Get("periodSeconds").scalar())) >= 2);
  CHECK(std::stoi(std::string(probe.Get("periodSeconds").scalar())) <= 5);
  CHECK(probe.Get("failureThreshold").scalar() == "1");
  CHECK(probe.Get("timeoutSeconds").scalar() == "3");
  std::vector<std::string> env;
  for (const auto& e : marker.Get("env").Items()) env.emplace_back(e.Get("name").scalar());
  CHECK(std::find(env.begin(), env.end(), "CAPSTAN_POD_NAME") != env.end());
  CHECK(std::find(env.begin(), env.end(), "CAPSTAN_DIGEST") != env.end());
  CHECK_FALSE(waiter.Get("readinessProbe"));  // an init container takes no readiness probe
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

namespace {

std::vector<std::string> EnvLines(const yaml::Node& container) {
  std::vector<std::string> out;
  for (const auto& e : container.Get("env").Items()) {
    std::string line(e.Get("name").scalar());
    if (e.Get("value")) line += "=" + std::string(e.Get("value").scalar());
    else line += "<-" + std::string(e.Get("valueFrom").Get("fieldRef").Get("fieldPath").scalar());
    out.push_back(line);
  }
  return out;
}

std::string StsWith(const std::string& spec_extra, const std::string& volume = "{name: shared, nfs: {server: nfs, path: /}}",
                    const std::string& replicas = "3") {
  return "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: content\n  annotations: " + std::string(kOptIn) +
         "\nspec:\n  serviceName: content\n  replicas: " + replicas + "\n" + spec_extra +
         "  template:\n    spec:\n      containers:\n        - name: cms\n          image: cms\n"
         "          volumeMounts: [{name: shared, mountPath: /data}]\n      volumes: [" + volume + "]\n";
}

std::vector<std::string> Rules(const Result& r) {
  std::vector<std::string> out;
  for (const auto& f : r.findings) out.push_back(f.substr(0, f.find(':')));
  return out;
}

}  // namespace

TEST_CASE("ordered start: the marker digest is the template's own digest, never empty") {
  Result r = Run(Sts(kOptIn));
  REQUIRE(r.findings.empty());
  yaml::Tree t = yaml::Tree::Parse(r.out);
  yaml::Node tmpl = t.root().Get("spec").Get("template");
  std::string digest(tmpl.Get("metadata").Get("annotations").Get("capstan.dev/ordered-start-digest").scalar());
  CHECK(digest.rfind("sha256:", 0) == 0);
  CHECK(digest.size() == 71);
  // No ConfigMap or Secret: both containers read the template digest directly.
  std::vector<std::string> want = {"CAPSTAN_POD_NAME<-metadata.name",
                                   "CAPSTAN_DIGEST<-metadata.annotations['capstan.dev/ordered-start-digest']"};
  CHECK(EnvLines(tmpl.Get("spec").Get("initContainers").At(0)) == want);
  CHECK(EnvLines(tmpl.Get("spec").Get("containers").At(0)) == want);
  // The same template written differently has the same digest; a changed image another one.
  std::string reformatted = Sts(kOptIn);
  reformatted.replace(reformatted.find("image: cms"), 10, "image: \"cms\"");
  CHECK(Run(reformatted).out.find(digest) != std::string::npos);
  std::string changed = Sts(kOptIn);
  changed.replace(changed.find("image: cms"), 10, "image: cms:2");
  CHECK(Run(changed).out.find(digest) == std::string::npos);
  // A value the chart wrote in the annotation is replaced by the real digest.
  Result bogus = Run(Sts(kOptIn, "{capstan.dev/ordered-start-digest: \"\"}"));
  CHECK(bogus.out.find(digest) != std::string::npos);
}

TEST_CASE("ordered start: pods that consume configuration mark template digest + config digest") {
  std::string sts = Sts(kOptIn);
  sts.replace(sts.find("          volumeMounts"), 0, "          envFrom: [{secretRef: {name: creds}}]\n");
  Result r = Run(sts);
  REQUIRE(r.findings.empty());
  yaml::Tree t = yaml::Tree::Parse(r.out);
  yaml::Node spec = t.root().Get("spec").Get("template").Get("spec");
  std::vector<std::string> want = {"CAPSTAN_POD_NAME<-metadata.name",
                                   "CAPSTAN_CONFIG_DIGEST<-metadata.annotations['capstan.dev/config-digest']",
                                   "CAPSTAN_TEMPLATE_DIGEST<-metadata.annotations['capstan.dev/ordered-start-digest']",
                                   "CAPSTAN_DIGEST=$(CAPSTAN_TEMPLATE_DIGEST)+$(CAPSTAN_CONFIG_DIGEST)"};
  CHECK(EnvLines(spec.Get("initContainers").At(0)) == want);
  CHECK(EnvLines(spec.Get("containers").At(0)) == want);
  // With the checksum off the config part is empty: said as a warning, and the marker digest still is not empty.
  Result off = Run(sts, /*config_digest=*/false);
  CHECK(Rules(off) == std::vector<std::string>{"ordered-start-no-config-digest"});
  CHECK(off.out.find("capstan-mark-ready") != std::string::npos);
  // Also when this StatefulSet opts out of the checksum.
  std::string opted_out = sts;
  opted_out.replace(opted_out.find("capstan.dev/ordered-start-volume: shared"), 0, "capstan.dev/checksum: \"false\", ");
  CHECK(Rules(Run(opted_out)) == std::vector<std::string>{"ordered-start-no-config-digest"});
}

TEST_CASE("ordered start: configurations that cannot work are findings, and nothing is injected") {
  struct Row {
    std::string name, doc;
    std::vector<std::string> rules;
    bool injected;
  };
  std::string deployment = Sts(kOptIn);
  deployment.replace(deployment.find("StatefulSet"), 11, "Deployment");
  std::vector<Row> rows = {
      {"a Deployment", deployment, {"ordered-start-kind"}, false},
      {"per-pod claim", StsWith("  volumeClaimTemplates: [{metadata: {name: shared}}]\n", "{name: other, emptyDir: {}}"),
       {"ordered-start-volume-not-shared"}, false},
      {"emptyDir", StsWith("", "{name: shared, emptyDir: {}}"), {"ordered-start-volume-not-shared"}, false},
      {"configMap volume", StsWith("", "{name: shared, configMap: {name: c}}"), {"ordered-start-volume-not-shared"},
       false},
      {"read-only claim", StsWith("", "{name: shared, persistentVolumeClaim: {claimName: c, readOnly: true}}"),
       {"ordered-start-volume-not-shared"}, false},
      {"hostPath only warns", StsWith("", "{name: shared, hostPath: {path: /srv}}"),
       {"ordered-start-volume-not-shared"}, true},
      {"undeclared volume", StsWith("", "{name: other, nfs: {server: nfs, path: /}}"), {"ordered-start-volume"}, false},
      {"rollingUpdate block without a type", StsWith("  updateStrategy: {rollingUpdate: {partition: 0}}\n"),
       {"ordered-start-rolling-update"}, false},
      {"unknown strategy type", StsWith("  updateStrategy: {type: Ondelete}\n"), {"ordered-start-update-strategy"},
       false},
      {"OnDelete is kept", StsWith("  updateStrategy: {type: OnDelete}\n"), {}, true},
      {"one replica is fine, said as info", StsWith("", "{name: shared, nfs: {server: nfs, path: /}}", "1"),
       {"ordered-start-single-replica"}, true},
      {"a shared claim", StsWith("", "{name: shared, persistentVolumeClaim: {claimName: profile}}"), {}, true},
  };
  for (const auto& row : rows) {
    INFO(row.name);
    Result r = Run(row.doc);
    CHECK(Rules(r) == row.rules);
    CHECK((r.out.find("capstan-mark-ready") != std::string::npos) == row.injected);
    CHECK((r.out != row.doc) == row.injected);
  }
  Result deploy = Run(deployment);
  REQUIRE(deploy.findings.size() == 1);
  CHECK_THAT(deploy.findings[0], Catch::Contains("only a StatefulSet's pods have the stable ordinals"));
}

TEST_CASE("ordered start: check mode reports the same findings and changes nothing") {
  std::string bad = StsWith("", "{name: shared, emptyDir: {}}");
  Result checked = Run(bad, true, /*check_only=*/true);
  CHECK(checked.out == bad);
  CHECK(Rules(checked) == std::vector<std::string>{"ordered-start-volume-not-shared"});
  std::string good = StsWith("");
  Result fine = Run(good, true, true);
  CHECK(fine.out == good);
  CHECK(fine.findings.empty());
}

TEST_CASE("ordered start: capstan-postrender --check lists the findings (the filters check mode runs)") {
  std::string bad = StsWith("", "{name: shared, emptyDir: {}}");
  postrender::Config cfg;
  cfg.check = true;
  cfg.pipeline.fail_on_error_findings = false;  // as main.cc sets it in check mode
  postrender::Report report;
  CHECK(test::PostRender(bad, cfg, &report) == bad);
  findings::Report out = postrender::CheckFindings(report, "<stdin>");
  std::vector<std::string> rules;
  for (const auto& f : out.findings) rules.push_back(f.rule);
  CHECK(std::count(rules.begin(), rules.end(), "ordered-start-volume-not-shared") == 1);
  CHECK(postrender::CheckExitCode(report, "error") == 1);
}
