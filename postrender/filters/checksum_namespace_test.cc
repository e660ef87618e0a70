// The checksum filter resolves references by namespace (postrender/namespaces.h): with the release namespace known
// or unknown, whether the ConfigMap, the workload, both or neither set metadata.namespace, changing the consumed key
// changes the digest and nothing is "not in the release"; a reference that stays ambiguous is a finding naming every
// candidate (an error with --strict), and its digest covers them all.
#include <catch2/catch.hpp>

#include "postrender/postrender_testing.h"
#include "util/error.h"

using namespace capstan;

namespace {

// A ConfigMap (optionally in namespace cm_ns) holding `used` and `unused`, and a Deployment (optionally in
// deploy_ns) consuming only `used`.
std::string Release(const std::string& cm_ns, const std::string& deploy_ns, const std::string& used = "1",
                    const std::string& unused = "x") {
  auto ns = [](const std::string& n) { return n.empty() ? std::string() : "  namespace: " + n + "\n"; };
  return "---\n# Source: app/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n" + ns(cm_ns) +
         "data:\n  used: \"" + used + "\"\n  unused: \"" + unused + "\"\n" +
         "---\n# Source: app/templates/web.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n" +
         ns(deploy_ns) +
         "spec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx\n"
         "          env:\n            - name: USED\n              valueFrom: {configMapKeyRef: {name: cfg, key: used}}\n";
}

// A second ConfigMap cfg in namespace ns (source other.yaml) holding used=value.
std::string OtherCfg(const std::string& ns, const std::string& value = "1") {
  return "---\n# Source: app/templates/other-" + ns + ".yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n"
         "  namespace: " + ns + "\ndata:\n  used: \"" + value + "\"\n";
}

postrender::Config Cfg(const std::string& release_ns) {
  postrender::Config c;
  c.pipeline.namespace_ = release_ns;
  c.summary = false;
  return c;
}

std::vector<postrender::Finding> FindingsOf(const std::string& input, const postrender::Config& c) {
  postrender::Report report;
  test::PostRender(input, c, &report);
  return report.Findings();
}

}  // namespace

TEST_CASE("checksum namespaces: namespace on none, some or all objects, release namespace known or not") {
  // The chart sets namespace: {{ .Release.Namespace }} on none, one or both objects; Helm's -n was shop.
  for (const std::string cm_ns : {"", "shop"})
    for (const std::string deploy_ns : {"", "shop"})
      for (const std::string release_ns : {"", "shop"}) {
        INFO("ConfigMap ns '" << cm_ns << "', Deployment ns '" << deploy_ns << "', release ns '" << release_ns << "'");
        auto c = Cfg(release_ns);
        postrender::Report report;
        auto before = test::Digests(test::PostRender(Release(cm_ns, deploy_ns), c, &report));
        REQUIRE(before.count("Deployment/web"));
        CHECK(report.Findings().empty());
        auto changed = test::Digests(test::PostRender(Release(cm_ns, deploy_ns, "2"), c));
        CHECK(changed["Deployment/web"] != before["Deployment/web"]);
        auto unrelated = test::Digests(test::PostRender(Release(cm_ns, deploy_ns, "1", "y"), c));
        CHECK(unrelated["Deployment/web"] == before["Deployment/web"]);
      }
}

TEST_CASE("checksum namespaces: the digest of a resolved reference does not depend on how it was resolved") {
  // Same data, same digest: knowing the namespace or not must not roll anything by itself.
  std::string d = test::Digests(test::PostRender(Release("", ""), Cfg("shop")))["Deployment/web"];
  CHECK(test::Digests(test::PostRender(Release("shop", ""), Cfg("")))["Deployment/web"] == d);
  CHECK(test::Digests(test::PostRender(Release("", "shop"), Cfg("")))["Deployment/web"] == d);
  CHECK(test::Digests(test::PostRender(Release("shop", "shop"), Cfg("shop")))["Deployment/web"] == d);
}

TEST_CASE("checksum namespaces: a pod consumes only its own namespace's objects") {
  SECTION("known release namespace: the other namespace's object is not used, and the message says where it is") {
    auto c = Cfg("other");
    c.pipeline.namespace_source = "HELM_NAMESPACE";
    c.checksum.namespace_source = "HELM_NAMESPACE";
    auto f = FindingsOf(Release("shop", ""), c);
    REQUIRE(f.size() == 1);
    CHECK(f[0].rule == "missing-reference");
    CHECK_THAT(f[0].message, Catch::Contains("not in this workload's namespace other (the release namespace, from "
                                             "HELM_NAMESPACE)"));
    CHECK_THAT(f[0].message, Catch::Contains("namespace shop, document 0 (ConfigMap/cfg, # Source: app/templates/cm.yaml)"));
    CHECK_THAT(f[0].message, Catch::Contains("--namespace="));
    // The data of the other namespace's object is not in the digest.
    CHECK(test::Digests(test::PostRender(Release("shop", "", "2"), c)) ==
          test::Digests(test::PostRender(Release("shop", ""), c)));
  }
  SECTION("an unqualified object is in the release namespace: it wins over one in another namespace") {
    auto c = Cfg("");
    std::string base = Release("", "") + OtherCfg("other");
    CHECK(FindingsOf(base, c).empty());
    auto d = test::Digests(test::PostRender(base, c));
    CHECK(test::Digests(test::PostRender(Release("", "") + OtherCfg("other", "9"), c)) == d);
    CHECK(test::Digests(test::PostRender(Release("", "", "2") + OtherCfg("other"), c)) != d);
  }
  SECTION("a workload in an explicit namespace uses that namespace's object") {
    auto c = Cfg("");
    std::string base = Release("shop", "shop") + OtherCfg("other");
    CHECK(FindingsOf(base, c).empty());
    auto d = test::Digests(test::PostRender(base, c));
    CHECK(test::Digests(test::PostRender(Release("shop", "shop") + OtherCfg("other", "9"), c)) == d);
  }
}

TEST_CASE("checksum namespaces: an ambiguous reference is a finding naming the candidates, an error with --strict") {
  // The release namespace is unknown, the workload sets none, and two namespaces hold a ConfigMap cfg.
  std::string base = Release("shop", "") + OtherCfg("other");
  auto c = Cfg("");
  auto f = FindingsOf(base, c);
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule == "ambiguous-reference");
  CHECK(f[0].severity == findings::Severity::kWarning);
  CHECK(f[0].object == "Deployment/web");
  CHECK_THAT(f[0].message, Catch::Contains("namespace shop, document 0 (ConfigMap/cfg, # Source: app/templates/cm.yaml)"));
  CHECK_THAT(f[0].message,
             Catch::Contains("namespace other, document 2 (ConfigMap/cfg, # Source: app/templates/other-other.yaml)"));
  // The digest covers both: a change to either rolls the workload.
  auto d = test::Digests(test::PostRender(base, c))["Deployment/web"];
  CHECK(test::Digests(test::PostRender(Release("shop", "", "2") + OtherCfg("other"), c))["Deployment/web"] != d);
  CHECK(test::Digests(test::PostRender(Release("shop", "") + OtherCfg("other", "2"), c))["Deployment/web"] != d);

  auto strict = c;
  strict.checksum.strict = true;
  try {
    test::PostRender(base, strict);
    FAIL("--strict accepted an ambiguous reference");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Catch::Contains("ambiguous"));
    CHECK_THAT(e.what(), Catch::Contains("other-other.yaml"));
  }

  // Given the release namespace, the reference names one object and nothing is reported.
  CHECK(FindingsOf(base, Cfg("shop")).empty());
  CHECK(FindingsOf(base, Cfg("other")).empty());
}
