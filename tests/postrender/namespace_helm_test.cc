// The post-renderer resolves namespaces under the real Helm 3.17 (--post-renderer PATH) and Helm 4.1 (the capstan
// plugin found through HELM_PLUGINS, not installed), neither given any --post-renderer-args: Helm passes no
// namespace. Over every combination of namespace set on none / the ConfigMap / the Deployment / both, `-n` given or
// not, HELM_NAMESPACE exported or not, changing the consumed key changes the Deployment's digest, changing another
// key does not, and nothing is reported "not in the release". The report is written through CAPSTAN_REPORT.
#include <catch2/catch.hpp>

#include <rapidjson/document.h>

#include "postrender_testing.h"
#include "support/test_support.h"

using namespace capstan;

namespace {

std::string Chart() { return test::SourceDir() + "/tests/postrender/data/nschart"; }

struct Case {
  int helm = 3;
  bool cm_ns = false, deploy_ns = false;  // the object sets namespace: {{ .Release.Namespace }}
  std::string dash_n;                     // helm -n; "" : not given
  std::string helm_namespace;             // exported HELM_NAMESPACE; "" : not exported
};

struct Rendered {
  std::string digest;
  rapidjson::Document report;
};

Rendered Render(const Case& c, const std::vector<std::string>& set) {
  test::TempDir t;
  std::vector<std::string> argv = {test::Helm(c.helm), "template", "rel", Chart(),
                                   "--set", std::string("cmNamespace=") + (c.cm_ns ? "true" : "false"),
                                   "--set", std::string("deployNamespace=") + (c.deploy_ns ? "true" : "false"),
                                   "--post-renderer",
                                   c.helm == 3 ? test::Binary("capstan-postrender") : std::string("capstan")};
  if (!c.dash_n.empty()) argv.insert(argv.end(), {"-n", c.dash_n});
  for (const auto& s : set) argv.insert(argv.end(), {"--set", s});
  test::ProcessOptions o;
  o.env = {{"HELM_CONFIG_HOME", t.path() + "/config"},
           {"HELM_DATA_HOME", t.path() + "/data"},
           {"HELM_CACHE_HOME", t.path() + "/cache"},
           {"HELM_PLUGINS", test::BinaryDir() + "/helm-plugin"},
           {"KUBECONFIG", t.path() + "/no-kubeconfig"},  // no context namespace: Helm's default is "default"
           {"CAPSTAN_REPORT", t.path() + "/report.json"}};
  o.unset_env = {"CAPSTAN_NAMESPACE", "CAPSTAN_RELEASE", "CAPSTAN_CONFIG", "HELM_KUBECONTEXT"};
  if (c.helm_namespace.empty()) o.unset_env.push_back("HELM_NAMESPACE");
  else o.env["HELM_NAMESPACE"] = c.helm_namespace;
  auto r = test::Run(argv, o);
  INFO("helm " << c.helm << " exit " << r.exit_code << ", stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  Rendered out;
  out.digest = test::Digests(r.out)["Deployment/rel-web"];
  out.report.Parse(test::Slurp(t.path() + "/report.json").c_str());
  REQUIRE_FALSE(out.report.HasParseError());
  return out;
}

std::vector<std::string> Findings(const rapidjson::Document& report) {
  std::vector<std::string> out;
  for (const auto& f : report["findings"].GetArray())
    out.push_back(std::string(f["code"].GetString()) + ": " + f["message"].GetString());
  return out;
}

}  // namespace

TEST_CASE("helm 3 and 4 without --post-renderer-args: every namespace layout rolls on a change of the consumed key") {
  for (int helm : {3, 4})
    for (bool cm_ns : {false, true})
      for (bool deploy_ns : {false, true})
        for (const std::string dash_n : {"", "shop"})
          for (const std::string helm_namespace : {"", "shop"}) {
            Case c{helm, cm_ns, deploy_ns, dash_n, helm_namespace};
            INFO("helm " << helm << ", namespace set on" << (cm_ns ? " the ConfigMap" : "")
                         << (deploy_ns ? " the Deployment" : "") << (!cm_ns && !deploy_ns ? " none" : "") << ", -n "
                         << (dash_n.empty() ? "not given" : dash_n) << ", HELM_NAMESPACE "
                         << (helm_namespace.empty() ? "not exported" : helm_namespace));
            Rendered base = Render(c, {});
            REQUIRE(base.digest.rfind("sha256:", 0) == 0);
            std::vector<std::string> findings = Findings(base.report);
            CHECK(findings.empty());
            for (const auto& f : findings) CHECK(f.find("not in the release") == std::string::npos);
            // The release namespace is known only when exported: Helm passes -n to no post-renderer.
            CHECK(std::string(base.report["namespace"].GetString()) == helm_namespace);
            CHECK(Render(c, {"greeting=changed"}).digest != base.digest);
            CHECK(Render(c, {"other=changed"}).digest == base.digest);
          }
}

TEST_CASE("helm 3 and 4: an exported HELM_NAMESPACE that -n overrides is named in the finding, with the fix") {
  for (int helm : {3, 4}) {
    INFO("helm " << helm);
    // -n shop wins in Helm; the post-renderer sees HELM_NAMESPACE=elsewhere. The ConfigMap says shop, the Deployment
    // nothing: the finding says where the ConfigMap is and what to pass.
    Case c{helm, true, false, "shop", "elsewhere"};
    Rendered r = Render(c, {});
    std::vector<std::string> findings = Findings(r.report);
    REQUIRE(findings.size() == 1);
    CHECK_THAT(findings[0], Catch::StartsWith("missing-reference: ConfigMap/rel-cfg"));
    CHECK_THAT(findings[0], Catch::Contains("namespace elsewhere (the release namespace, from HELM_NAMESPACE)"));
    CHECK_THAT(findings[0], Catch::Contains("namespace shop, document 0 (ConfigMap/rel-cfg, # Source: "
                                            "nschart/templates/configmap.yaml)"));
    CHECK_THAT(findings[0], Catch::Contains("--post-renderer-args --namespace="));
  }
}
