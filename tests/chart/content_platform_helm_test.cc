// The content platform of charts/example-portal (issue 13) with the real Helm 3.17.3 and 4.1.4: post-rendered, its
// StatefulSet has the ordered-start containers (pods > 0 wait for pod 0's marker; pod 0's capstan-mark-ready
// container is Ready only once `mark-ready --probe` finds its digest in the marker), OnDelete and OrderedReady; the
// roll hook Job `capstan roll <fullname>-content` runs after install, upgrade and rollback, before verify, and may
// retry; the hooks' Role grants exactly the rules of check-upgrade, verify and record plus those of roll, and no roll
// rule when the content platform or its roll is off.
#include <catch2/catch.hpp>

#include <set>

#include "chart_testing.h"
#include "yaml/tree.h"

using namespace capstan;
using namespace capstan::test::chart;

namespace {

const std::string kPrefix = "portal-example-portal-";

std::vector<std::string> Overlay(const std::string& env) { return {ValuesDir() + "/custom_values.yaml", EnvFile(env)}; }

struct Stream {
  std::vector<yaml::Tree> docs;
  // The document of kind/name; invalid when absent.
  yaml::Node Find(const std::string& kind, const std::string& name) const { return FindDoc(docs, kind, name); }
};

Stream Parse(const std::string& text) { return {yaml::Tree::ParseAll(text)}; }

const std::vector<std::string> kBaseHooks = {"check-upgrade", "verify", "record"};

void CheckRestricted(const yaml::Node& c) {
  yaml::Node sc = c.Get("securityContext");
  CHECK(sc.Get("runAsNonRoot").scalar() == "true");
  CHECK(sc.Get("readOnlyRootFilesystem").scalar() == "true");
  CHECK(sc.Get("allowPrivilegeEscalation").scalar() == "false");
  CHECK(Strings(sc.Get("capabilities").Get("drop")) == std::vector<std::string>{"ALL"});
}

}  // namespace

TEST_CASE("content platform: ordered start post-rendered, pod 0 Ready once marked, rolled after it by the roll hook") {
  HelmHome h3(3), h4(4);
  for (const HelmHome* home : {&h3, &h4}) {
    INFO("helm " << home->helm());
    RenderOptions o;
    o.values = Overlay("production");
    Stream s = Parse(Render(*home, o));

    yaml::Node sts = s.Find("StatefulSet", kPrefix + "content");
    REQUIRE(sts);
    CHECK(sts.Get("spec").Get("replicas").scalar() == "3");
    CHECK(sts.Get("spec").Get("updateStrategy").Get("type").scalar() == "OnDelete");
    CHECK(sts.Get("spec").Get("podManagementPolicy").scalar() == "OrderedReady");
    yaml::Node tmpl = sts.Get("spec").Get("template");
    yaml::Node annotations = tmpl.Get("metadata").Get("annotations");
    CHECK_FALSE(annotations.Get("capstan.dev/ordered-start-digest").scalar().empty());
    CHECK_FALSE(annotations.Get("capstan.dev/config-digest").scalar().empty());  // its ConfigMap is in the digest
    CHECK(annotations.Get("kubectl.kubernetes.io/default-container").scalar() == "content");
    // The profile volume is the existing claim of the production overlay.
    yaml::Node volumes = tmpl.Get("spec").Get("volumes");
    CHECK(volumes.At(0).Get("name").scalar() == "profile");
    CHECK(volumes.At(0).Get("persistentVolumeClaim").Get("claimName").scalar() == "content-profile-nfs");

    yaml::Node waiter = tmpl.Get("spec").Get("initContainers").At(0);
    REQUIRE(waiter.Get("name").scalar() == "capstan-ordered-start");
    CHECK(waiter.Get("image").scalar() == "acme/capstan:0.1.0");  // the chart's hook image (capstan.dev/wait-image)
    const std::string marker_dir = "/opt/content/profile/.capstan";
    CHECK(Strings(waiter.Get("args")) ==
          std::vector<std::string>{"wait", "--ordered-start", "--marker-dir", marker_dir, "--timeout", "30m"});
    CheckRestricted(waiter);

    yaml::Node marker = tmpl.Get("spec").Get("containers").At(0);
    REQUIRE(marker.Get("name").scalar() == "capstan-mark-ready");
    CHECK(Strings(marker.Get("args")) ==
          std::vector<std::string>{"mark-ready", "--marker-dir", marker_dir, "--keep-running", "--",
                                   "http://127.0.0.1:8080/health"});
    yaml::Node probe = marker.Get("readinessProbe");
    CHECK(Strings(probe.Get("exec").Get("command")) ==
          std::vector<std::string>{"/capstan", "mark-ready", "--probe", "--marker-dir", marker_dir});
    CHECK(probe.Get("failureThreshold").scalar() == "1");
    CHECK_FALSE(probe.Get("periodSeconds").scalar().empty());
    std::set<std::string> env;
    for (const auto& e : marker.Get("env").Items()) env.insert(std::string(e.Get("name").scalar()));
    CHECK(env.count("CAPSTAN_POD_NAME") == 1);  // what the probe reads, from the container's own env
    CHECK(env.count("CAPSTAN_DIGEST") == 1);
    CheckRestricted(marker);
    yaml::Node content = tmpl.Get("spec").Get("containers").At(1);
    CHECK(content.Get("name").scalar() == "content");
    CHECK(content.Get("readinessProbe").Get("httpGet").Get("path").scalar() == "/health");

    // The roll hook: after install, upgrade and rollback, before verify, on the content StatefulSet.
    yaml::Node roll = s.Find("Job", kPrefix + "roll");
    REQUIRE(roll);
    yaml::Node hook = roll.Get("metadata").Get("annotations");
    CHECK(hook.Get("helm.sh/hook").scalar() == "post-install,post-upgrade,post-rollback");
    CHECK(hook.Get("helm.sh/hook-delete-policy").scalar() == "before-hook-creation,hook-succeeded");
    yaml::Node verify = s.Find("Job", kPrefix + "verify");
    REQUIRE(verify);
    CHECK(std::stoi(std::string(hook.Get("helm.sh/hook-weight").scalar())) <
          std::stoi(std::string(verify.Get("metadata").Get("annotations").Get("helm.sh/hook-weight").scalar())));
    CHECK(std::stoi(std::string(roll.Get("spec").Get("backoffLimit").scalar())) > 0);  // a retry continues the roll
    CHECK(std::stoi(std::string(roll.Get("spec").Get("activeDeadlineSeconds").scalar())) >= 600);
    yaml::Node pod = roll.Get("spec").Get("template").Get("spec");
    CHECK(pod.Get("serviceAccountName").scalar() == kPrefix + "hooks");
    CHECK(pod.Get("automountServiceAccountToken").scalar() == "true");
    yaml::Node job = pod.Get("containers").At(0);
    CHECK(Strings(job.Get("args")) ==
          std::vector<std::string>{"roll", std::string(sts.Get("metadata").Get("name").scalar()), "--namespace", "shop"});
    CHECK(job.Get("env").At(0).Get("name").scalar() == "CAPSTAN_LOG_FORMAT");
    CHECK(job.Get("env").At(0).Get("value").scalar() == "json");
    CheckRestricted(job);

    // The Role: check-upgrade, verify and record, plus exactly the roll rules.
    yaml::Node role = s.Find("Role", kPrefix + "hooks");
    REQUIRE(role);
    std::vector<std::string> hooks = kBaseHooks;
    hooks.push_back("roll");
    std::set<std::string> want = CapstanGrants(hooks);
    CHECK(Grants(role) == want);
  }
}

TEST_CASE("content platform: off, or its roll off, means no roll Job and no roll rule in the Role") {
  HelmHome h3(3);
  for (const std::string off : {"contentPlatform.enabled=false", "hooks.roll.enabled=false"}) {
    INFO(off);
    RenderOptions o;
    o.values = Overlay("dev");
    o.set = {off};
    o.post_render = false;
    Stream s = Parse(Render(h3, o));
    CHECK(bool(s.Find("StatefulSet", kPrefix + "content")) == (off == "hooks.roll.enabled=false"));
    CHECK_FALSE(s.Find("Job", kPrefix + "roll"));
    yaml::Node role = s.Find("Role", kPrefix + "hooks");
    REQUIRE(role);
    CHECK(Grants(role) == CapstanGrants(kBaseHooks));
  }
  // Dev: two pods, and the chart creates the profile claim (ReadWriteMany).
  RenderOptions dev;
  dev.values = Overlay("dev");
  dev.post_render = false;
  Stream s = Parse(Render(h3, dev));
  yaml::Node sts = s.Find("StatefulSet", kPrefix + "content");
  REQUIRE(sts);
  CHECK(sts.Get("spec").Get("replicas").scalar() == "2");
  yaml::Node claim = s.Find("PersistentVolumeClaim", kPrefix + "content-profile");
  REQUIRE(claim);
  CHECK(Strings(claim.Get("spec").Get("accessModes")) == std::vector<std::string>{"ReadWriteMany"});
  CHECK(sts.Get("spec").Get("template").Get("spec").Get("volumes").At(0).Get("persistentVolumeClaim")
            .Get("claimName").scalar() == kPrefix + "content-profile");
}
