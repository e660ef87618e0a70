// The plan under the real Helm 3 (--post-renderer PATH) and Helm 4 (the postrenderer/v1 plugin in a private
// HELM_DATA_HOME), on charts/example-portal with tests/plan/data/v1.yaml then v2.yaml (an image bump, a config key
// change, an env change; the app servers are a StatefulSet): the first deploy has no previous report (exit 0, every
// workload added); the upgrade's report says what rolls and why; `capstan plan` over the two rendered streams, over
// the two raw `helm template` streams and over the two reports gives the same answer.
#include <catch2/catch.hpp>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>

#include "chart/chart_testing.h"
#include "support/test_support.h"

using namespace capstan;

namespace {

std::string Chart() { return test::SourceDir() + "/charts/example-portal"; }
std::string Values(const std::string& v) { return test::SourceDir() + "/tests/plan/data/" + v + ".yaml"; }

// A private Helm home; for Helm 4 with the capstan plugin installed (tests/chart/chart_testing.h).
using HelmEnv = test::chart::HelmHome;

// helm template with the post-renderer (post_render) or without; returns stdout, the test fails on an error.
test::ProcessResult Template(int helm, const HelmEnv& h, const std::string& values, bool post_render,
                             std::vector<std::string> pr_args = {}) {
  std::vector<std::string> argv = {test::Helm(helm), "template", "portal", Chart(), "-n", "ns", "-f", Values(values)};
  if (post_render) {
    argv.insert(argv.end(), {"--post-renderer", helm == 3 ? test::Binary("capstan-postrender") : "capstan"});
    pr_args.insert(pr_args.begin(), {"--release=portal", "--namespace=ns"});
    for (const auto& a : pr_args) argv.insert(argv.end(), {"--post-renderer-args", a});
  }
  test::ProcessOptions o;
  o.env = h.env();
  auto r = test::Run(argv, o);
  INFO("helm " << helm << " stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return r;
}

rapidjson::Document Json(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  REQUIRE_FALSE(d.HasParseError());
  REQUIRE(d.IsObject());
  return d;
}

std::string Serialize(const rapidjson::Value& v) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  v.Accept(w);
  return b.GetString();
}

// A plan's workloads, "ns/Kind/name" -> that entry's JSON (order-independent comparison).
std::map<std::string, std::string> Entries(const rapidjson::Value& plan) {
  std::map<std::string, std::string> out;
  for (const auto& w : plan["workloads"].GetArray())
    out[std::string(w["namespace"].GetString()) + "/" + w["kind"].GetString() + "/" + w["name"].GetString()] =
        Serialize(w);
  return out;
}

std::string CapstanPlan(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {test::Binary("capstan"), "plan"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = test::Run(argv);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

}  // namespace

TEST_CASE("helm 3 and helm 4: first deploy, upgrade report and capstan plan agree") {
  int helm = GENERATE(3, 4);
  INFO("helm " << helm);
  HelmEnv h(helm);
  test::TempDir t;
  std::string r1 = t.path() + "/r1.json", r2 = t.path() + "/r2.json";

  // First deploy: the previous report does not exist yet.
  auto first = Template(helm, h, "v1", true, {"--report=" + r1, "--previous-report=" + t.path() + "/none.json"});
  rapidjson::Document d1 = Json(test::Slurp(r1));
  REQUIRE(d1.HasMember("plan"));
  CHECK(d1["plan"]["firstDeploy"].GetBool());
  CHECK(d1["plan"]["summary"]["rolls"].GetUint() == 0);
  CHECK(d1["plan"]["summary"]["added"].GetUint() == d1["plan"]["summary"]["workloads"].GetUint());
  CHECK(d1["plan"]["summary"]["added"].GetUint() >= 5);
  for (const auto& w : d1["workloads"].GetArray()) CHECK(w.HasMember("fingerprint"));

  // The upgrade.
  auto second = Template(helm, h, "v2", true, {"--report=" + r2, "--previous-report=" + r1});
  std::string r2_text = test::Slurp(r2);
  CHECK(r2_text.find("example-password-not-secret") == std::string::npos);
  rapidjson::Document d2 = Json(r2_text);
  REQUIRE(d2.HasMember("plan"));
  CHECK_FALSE(d2["plan"]["firstDeploy"].GetBool());
  auto plan = Entries(d2["plan"]);
  REQUIRE(plan.count("ns/StatefulSet/portal-example-portal-app"));
  std::string app = plan.at("ns/StatefulSet/portal-example-portal-app");
  INFO(app);
  CHECK(app.find("\"status\":\"rolls\"") != std::string::npos);
  CHECK(app.find(R"({"type":"image","container":"spec.containers[portal]","old":"example/portal:7.4.0",)"
                 R"("new":"example/portal:7.4.1"})") != std::string::npos);
  CHECK(app.find(R"("object":"ConfigMap/portal-example-portal-config","change":"changed",)"
                 R"("keys":["portal.properties"])") != std::string::npos);
  CHECK(app.find("\"spec.containers[portal].env[PGSSLMODE].value\"") != std::string::npos);
  CHECK(app.find("capstan-wait") == std::string::npos);  // what Capstan injects is not a change
  CHECK(d2["plan"]["summary"]["added"].GetUint() == 0);
  CHECK(d2["plan"]["summary"]["removed"].GetUint() == 0);

  // capstan plan over the two post-rendered streams, the two raw streams and the two reports.
  test::TempDir s;
  std::string old_pr = s.Write("old-pr.yaml", first.out), new_pr = s.Write("new-pr.yaml", second.out);
  std::string old_raw = s.Write("old.yaml", Template(helm, h, "v1", false).out);
  std::string new_raw = s.Write("new.yaml", Template(helm, h, "v2", false).out);
  auto from_reports = Entries(Json(CapstanPlan({r1, r2, "-o", "json"})));
  auto from_pr = Entries(Json(CapstanPlan({old_pr, new_pr, "-o", "json", "-n", "ns"})));
  auto from_raw = Entries(Json(CapstanPlan({old_raw, new_raw, "-o", "json", "-n", "ns"})));
  CHECK(from_reports == plan);
  CHECK(from_pr == from_raw);
  // Helm 3 gives no hooks to a post-renderer, so its reports lack the hook Jobs that its stdout holds.
  for (const auto& [key, entry] : from_reports) {
    INFO(key);
    REQUIRE(from_pr.count(key));
    CHECK(from_pr.at(key) == entry);
  }
  if (helm == 4) CHECK(from_pr == from_reports);

  // The Markdown view, for a pull-request comment.
  std::string md = CapstanPlan({r1, r2, "-o", "markdown"});
  CHECK(md.rfind("### This upgrade rolls ", 0) == 0);
  CHECK(md.find("| `StatefulSet/portal-example-portal-app` | ") != std::string::npos);
  CHECK(md.find("key `portal.properties`") != std::string::npos);
  CHECK(md.find("<details>") != std::string::npos);
}
