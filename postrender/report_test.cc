// The post-renderer's report: the JSON bytes (a contract for --previous-report and for users' tooling), the
// human summary, the findings' order and counts.
#include <catch2/catch.hpp>

#include "capstan_version.h"
#include "plan/report_json.h"
#include "postrender/report.h"

using namespace capstan;
using capstan::findings::Severity;

namespace {

// A report with two workloads, one change and three findings (added out of order).
void Fill(postrender::Report& r) {
  r.SetRun("rel", "ns", "helm3", 4);
  postrender::WorkloadEntry w;
  w.document = 2;
  w.kind = "Deployment";
  w.name = "web";
  w.namespace_ = "ns";
  w.source = "chart/templates/web.yaml";
  w.digest = "sha256:ab";
  w.previous_digest = "sha256:aa";
  w.changed = {"ConfigMap/cfg"};
  postrender::ConsumedConfig c;
  c.kind = "ConfigMap";
  c.name = "cfg";
  c.keys = {"a", "b"};
  c.via = {"envFrom"};
  c.digest = "sha256:cd";
  w.consumes.push_back(c);
  c.name = "all";
  c.all_keys = true;
  c.present = false;
  c.optional = true;
  w.consumes.push_back(c);
  r.AddWorkload(w);
  postrender::WorkloadEntry skipped;
  skipped.document = 1;
  skipped.kind = "Job";
  skipped.name = "j";
  skipped.hook = true;
  skipped.skipped = "consumes no ConfigMap or Secret";
  r.AddWorkload(skipped);
  r.AddChange({"checksum", 2, "Deployment/web", "set capstan.dev/config-digest"});
  r.AddFinding({Severity::kWarning, "missing-key", "no key \"x\"", 2, "Deployment/web", "chart/templates/web.yaml"});
  r.AddFinding({Severity::kError, "bad-wait-for", "bad", 1, "Job/j", ""});
  r.AddFinding({Severity::kInfo, "missing-reference", "optional", 2, "Deployment/web", "chart/templates/web.yaml"});
}

std::string SampleJson() {
  postrender::Report r;
  Fill(r);
  return r.ToJson();
}

}  // namespace

TEST_CASE("report: the JSON bytes") {
  std::string v = CAPSTAN_VERSION;
  CHECK(SampleJson() == R"({
  "tool": "capstan-postrender",
  "version": ")" + v + R"(",
  "release": "rel",
  "namespace": "ns",
  "inputFormat": "helm3",
  "documents": 4,
  "workloads": [
    {
      "document": 1,
      "kind": "Job",
      "name": "j",
      "namespace": "",
      "source": "",
      "hook": true,
      "digest": "",
      "skipped": "consumes no ConfigMap or Secret",
      "changed": [],
      "consumes": []
    },
    {
      "document": 2,
      "kind": "Deployment",
      "name": "web",
      "namespace": "ns",
      "source": "chart/templates/web.yaml",
      "hook": false,
      "digest": "sha256:ab",
      "previousDigest": "sha256:aa",
      "rolls": true,
      "changed": [
        "ConfigMap/cfg"
      ],
      "consumes": [
        {
          "kind": "ConfigMap",
          "name": "cfg",
          "keys": [
            "a",
            "b"
          ],
          "present": true,
          "optional": false,
          "via": [
            "envFrom"
          ],
          "digest": "sha256:cd"
        },
        {
          "kind": "ConfigMap",
          "name": "all",
          "keys": "*",
          "present": false,
          "optional": true,
          "via": [
            "envFrom"
          ],
          "digest": "sha256:cd"
        }
      ]
    }
  ],
  "changes": [
    {
      "filter": "checksum",
      "document": 2,
      "object": "Deployment/web",
      "description": "set capstan.dev/config-digest"
    }
  ],
  "findings": [
    {
      "severity": "error",
      "code": "bad-wait-for",
      "message": "bad",
      "document": 1,
      "object": "Job/j",
      "source": ""
    },
    {
      "severity": "warning",
      "code": "missing-key",
      "message": "no key \"x\"",
      "document": 2,
      "object": "Deployment/web",
      "source": "chart/templates/web.yaml"
    },
    {
      "severity": "info",
      "code": "missing-reference",
      "message": "optional",
      "document": 2,
      "object": "Deployment/web",
      "source": "chart/templates/web.yaml"
    }
  ]
}
)");
}

TEST_CASE("report: summary lines and counts by severity") {
  postrender::Report r;
  Fill(r);
  CHECK(r.Summary() ==
        "capstan-postrender: 4 documents, 2 workloads, 1 with a config digest, 1 will roll (configuration changed)\n"
        "  Deployment/web rolls: changed ConfigMap/cfg\n"
        "  error: Job/j: bad [bad-wait-for]\n"
        "  warning: Deployment/web (chart/templates/web.yaml): no key \"x\" [missing-key]\n"
        "  info: Deployment/web (chart/templates/web.yaml): optional [missing-reference]\n");
  CHECK(r.CountFindings(Severity::kError) == 1);
  CHECK(r.CountFindings(Severity::kWarning) == 1);
  CHECK(r.CountFindings(Severity::kInfo) == 1);
}

TEST_CASE("report: a previous report's digests are read back") {
  postrender::Report next;
  next.LoadPrevious(SampleJson());
  CHECK(next.PreviousDigest("ns", "Deployment", "web") == "sha256:ab");
  CHECK(next.PreviousSourceDigest("ns", "Deployment", "web", "ConfigMap/cfg") == "sha256:cd");
  CHECK(next.PreviousDigest("ns", "Deployment", "other").empty());
}

TEST_CASE("report: a workload's labels and containers (what check-upgrade --deployed reads versions from)") {
  postrender::Report r;
  r.SetRun("rel", "ns", "helm3", 1);
  postrender::WorkloadEntry w;
  w.kind = "StatefulSet";
  w.name = "cms";
  w.namespace_ = "ns";
  w.labels = {{"app.kubernetes.io/version", "1.4.0"}, {"app", "cms"}};
  w.containers = {{"cms", "reg:5000/cms:1.4.0"}};
  r.AddWorkload(w);
  std::string json = r.ToJson();
  CHECK_THAT(json, Catch::Contains(R"(      "consumes": [],
      "labels": {
        "app": "cms",
        "app.kubernetes.io/version": "1.4.0"
      },
      "containers": [
        {
          "name": "cms",
          "image": "reg:5000/cms:1.4.0"
        }
      ]
    })"));
}

TEST_CASE("report: fingerprints in the workload entries, the plan, one summary line per rolling workload") {
  plan::FingerprintOptions o;
  o.release_namespace = "ns";
  auto stream = [](const std::string& image) {
    return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n"
           "      containers: [{name: web, image: '" + image + "'}]\n---\n"
           "apiVersion: batch/v1\nkind: Job\nmetadata: {name: once}\nspec:\n  template:\n    spec:\n"
           "      containers: [{name: once, image: 'once:1'}]\n";
  };
  auto old_release = plan::FingerprintStream(stream("web:1"), o, "old");
  auto new_release = plan::FingerprintStream(stream("web:2"), o, "new");
  postrender::Report r;
  r.SetRun("rel", "ns", "helm3", 2);
  postrender::WorkloadEntry w;  // the checksum filter's entry of the Deployment; the Job has none (filter off)
  w.kind = "Deployment";
  w.name = "web";
  w.namespace_ = "ns";
  r.AddWorkload(w);
  r.SetFingerprints(new_release);
  r.SetPlan(plan::Compare(old_release, new_release));
  CHECK(r.Summary() ==
        "capstan-postrender: 2 documents, 1 workloads, 0 with a config digest; plan: 1 of 2 roll\n"
        "  Deployment/web rolls: image spec.containers[web]: web:1 -> web:2\n");
  std::string json = r.ToJson();
  CHECK_THAT(json, Catch::Contains(R"("fingerprint": {
        "digest": "sha256",
        "rollout": "rolling-update",
        "configRolls": true,
        "images": {
          "spec.containers[web].image": "web:2"
        },)"));
  CHECK_THAT(json, Catch::Contains(R"("name": "once",)"));  // an entry of its own, so the next run can compare it
  CHECK_THAT(json, Catch::Contains(R"x("skipped": "no config digest (the checksum filter is off)")x"));
  CHECK_THAT(json, Catch::Contains(R"("plan": {
    "firstDeploy": false,)"));
  // The report is what the next run reads back.
  auto back = plan::ReadReport(json, "report.json");
  REQUIRE(back.size() == 2);
  CHECK_FALSE(plan::Compare(back, new_release).Changes());
}
