// The check filter alone: one finding per object and risk, each rule fires on its own example and stays quiet on
// the safe variant; accepted risks become info findings; nothing is ever edited.
#include <catch2/catch.hpp>

#include <set>

#include "postrender/filters/check_filter.h"
#include "postrender/pipeline.h"

using namespace capstan;
using capstan::findings::Severity;

namespace {

// Runs the check filter alone over docs; returns "Kind/name rule severity" for every finding.
std::multiset<std::string> Check(const std::string& docs, std::string* out = nullptr) {
  std::vector<std::unique_ptr<postrender::Filter>> filters;
  filters.push_back(std::make_unique<postrender::CheckFilter>());
  postrender::PipelineOptions po;
  po.fail_on_error_findings = false;
  postrender::Pipeline p(po, std::move(filters));
  postrender::Report report;
  std::string written;
  p.Run(docs, [&](std::string_view s) { written.append(s); }, report);
  if (out) *out = written;
  std::multiset<std::string> got;
  for (const auto& f : report.Findings())
    got.insert(f.object + " " + f.rule + " " + std::string(findings::SeverityName(f.severity)));
  return got;
}

std::string Deployment(const std::string& name, int replicas, bool probe, const std::string& extra_metadata = "") {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\n" + extra_metadata +
         "spec:\n  replicas: " + std::to_string(replicas) + "\n  template:\n    metadata: {labels: {app: " + name +
         "}}\n    spec:\n      containers:\n        - name: c\n          image: c\n" +
         (probe ? "          readinessProbe: {httpGet: {path: /, port: 80}}\n" : "");
}

// A PodDisruptionBudget that lets one pod of app=name go at a time (keeps no-pdb quiet on the safe variants).
std::string Pdb(const std::string& name) {
  return "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: " + name +
         "}\nspec: {maxUnavailable: 1, selector: {matchLabels: {app: " + name + "}}}\n";
}

}  // namespace

TEST_CASE("check filter: single-replica and no-readiness-probe, and not on the safe variant") {
  CHECK(Check(Deployment("web", 1, false)) ==
        std::multiset<std::string>{"Deployment/web single-replica warning", "Deployment/web no-readiness-probe warning"});
  CHECK(Check(Deployment("web", 2, true) + Pdb("web")).empty());
}

TEST_CASE("check filter: a PodDisruptionBudget that allows no disruption blocks drains") {
  std::string pdb = "---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\n"
                    "spec: {minAvailable: MIN, selector: {matchLabels: {app: web}}}\n";
  std::string two = Deployment("web", 2, true);
  std::string blocking = pdb;
  blocking.replace(blocking.find("MIN"), 3, "2");
  CHECK(Check(two + blocking) == std::multiset<std::string>{"PodDisruptionBudget/web pdb-blocks-drain warning"});
  std::string fine = pdb;
  fine.replace(fine.find("MIN"), 3, "1");
  CHECK(Check(two + fine).empty());
}

TEST_CASE("check filter: waits on hook-created objects deadlock, shell loops without a timeout") {
  std::string hook_svc = "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: search\n  annotations:\n"
                         "    helm.sh/hook: post-install\nspec: {ports: [{port: 80}]}\n";
  std::string waiter = Deployment("web", 2, true, "  annotations:\n    capstan.dev/wait-for: tcp://search:80\n");
  CHECK(Check(waiter + hook_svc + Pdb("web")) == std::multiset<std::string>{"Deployment/web wait-deadlock error"});

  std::string loop = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec:\n  replicas: 2\n"
                     "  template:\n    metadata: {labels: {app: w}}\n    spec:\n      initContainers:\n"
                     "        - name: wait-db\n          image: b\n"
                     "          command: [sh, -c, 'until nc -z db 5432; do sleep 1; done']\n      containers:\n"
                     "        - {name: c, image: c, readinessProbe: {exec: {command: [true]}}}\n";
  loop += Pdb("w");
  CHECK(Check(loop) == std::multiset<std::string>{"Deployment/w wait-without-timeout warning"});
  std::string bounded = loop;
  bounded.replace(bounded.find("'until"), 1, "'timeout 60 sh -c \"");
  bounded.replace(bounded.find("done'"), 5, "done\"'");
  CHECK(Check(bounded).empty());
}

TEST_CASE("check filter: capstan.dev/accept-risk on the workload or its pod template, nothing is edited") {
  std::string accepted = Deployment("web", 1, false, "  annotations:\n    capstan.dev/accept-risk: single-replica\n");
  std::string out;
  CHECK(Check(accepted, &out) == std::multiset<std::string>{"Deployment/web single-replica info",
                                                            "Deployment/web no-readiness-probe warning"});
  CHECK(out == accepted);
  std::string on_template = Deployment("web", 1, false);
  on_template.replace(on_template.find("metadata: {labels: {app: web}}"), 30,
                      "metadata: {labels: {app: web}, annotations: {capstan.dev/accept-risk: no-readiness-probe}}");
  CHECK(Check(on_template) == std::multiset<std::string>{"Deployment/web single-replica warning",
                                                         "Deployment/web no-readiness-probe info"});
}
