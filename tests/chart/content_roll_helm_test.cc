// The upgrade rehearsal of the content platform's ordered StatefulSet (issue 13), with the chart as users render it:
// real Helm 3.17.3 (--post-renderer) and 4.1.4 (the plugin, no arguments) render charts/example-portal with the
// production overlay through capstan-postrender; the rendered StatefulSet is played by the local TLS API server's
// StatefulSet controller and kubelet (kube/cluster_sim.h), and the real `capstan roll` runs with the arguments of
// the chart's roll hook Job, under the chart's Role. Install (pods created in order, the hook waits for them),
// upgrade (a configuration change: pod 0 first, then 2, then 1), a failed pod 0 (an image that cannot be pulled:
// the roll stops at once with the reason, pods 1 and 2 keep serving the old revision), rollback (the old template's
// revision again: only pod 0 is replaced). `capstan plan` over the two renders says the set rolls only through
// `capstan roll`.
#include <catch2/catch.hpp>

#include <set>

#include "chart_testing.h"
#include "kube/yaml_json.h"
#include "manifest/stream.h"
#include "roll/roll_testing.h"
#include "yaml/tree.h"

using namespace capstan;
using namespace capstan::test;
using namespace capstan::test::chart;

namespace {

const std::string kSet = "portal-example-portal-content";

struct Rendered {
  std::string stream;
  std::string statefulset;             // the content StatefulSet, as JSON
  std::string image;                   // its first container's image
  std::vector<std::string> roll_args;  // the roll hook Job's container args
  std::set<std::string> grants;        // "group/resource:verb" of the hooks' Role
};

// helm template (production overlay, release portal in namespace shop) through capstan-postrender, and the objects
// the rehearsal plays.
Rendered RenderRelease(const HelmHome& home, const std::vector<std::string>& set) {
  RenderOptions o;
  o.values = {ValuesDir() + "/custom_values.yaml", EnvFile("production")};
  o.set = set;
  Rendered r;
  r.stream = Render(home, o);
  for (const auto& doc : manifest::Split(r.stream)) {
    if (doc.blank) continue;
    yaml::Tree tree = yaml::Tree::Parse(doc.text);
    yaml::Node root = tree.root();
    std::string kind(root.Get("kind").scalar()), name(root.Get("metadata").Get("name").scalar());
    if (kind == "StatefulSet" && name == kSet) {
      r.statefulset = kube::ToJson(kube::YamlToJson(doc.text, "StatefulSet/" + kSet));
      for (const auto& c : root.Get("spec").Get("template").Get("spec").Get("containers").Items())
        if (c.Get("name").scalar() == "content") r.image = std::string(c.Get("image").scalar());
    } else if (kind == "Job" && name == "portal-example-portal-roll") {
      r.roll_args = Strings(root.Get("spec").Get("template").Get("spec").Get("containers").Items()[0].Get("args"));
    } else if (kind == "Role" && name == "portal-example-portal-hooks") {
      r.grants = Grants(root);
    }
  }
  REQUIRE(!r.statefulset.empty());
  REQUIRE(!r.image.empty());
  REQUIRE(r.roll_args.size() >= 2);
  REQUIRE(r.roll_args[0] == "roll");
  REQUIRE(!r.grants.empty());
  return r;
}

std::string Pod(int ordinal) { return kSet + "-" + std::to_string(ordinal); }

// Runs the roll hook's command as the Job does (its args; the test's kubeconfig and a bounded timeout added).
struct HookRun {
  int code;
  std::string out, err;
  std::chrono::milliseconds elapsed;
};
HookRun RunRollHook(const TempDir& dir, const std::string& kubeconfig, const Rendered& r, const std::string& tag) {
  std::vector<std::string> args(r.roll_args.begin() + 1, r.roll_args.end());
  args.insert(args.end(), {"--timeout", "60s", "--lease-duration", "3s", "--log-format", "json"});
  RollProcess p(dir, kubeconfig, args, tag);
  int code = p.Wait(std::chrono::seconds(90));
  return {code, p.out(), p.err(), p.elapsed()};
}

void CheckAllCurrent(ClusterSim& sim, int replicas) {
  std::string revision = sim.update_revision();
  for (int i = 0; i < replicas; ++i) {
    INFO("pod " << i << " of revision " << revision);
    CHECK(sim.Revision(i) == revision);
    CHECK(sim.Ready(i));
  }
}

}  // namespace

TEST_CASE("rehearsal, ordered StatefulSet: install, upgrade pod 0 first, a failed pod 0 stops the roll, rollback") {
  for (int helm : {3, 4}) {
    INFO("helm " << helm);
    HelmHome home(helm);
    Rendered v1 = RenderRelease(home, {});
    // Version 2 changes the content platform's configuration; version 3 also its image, to one that cannot be pulled.
    Rendered v2 = RenderRelease(home, {"contentPlatform.config.profile\\.locale=de_DE"});
    Rendered v3 = RenderRelease(home, {"contentPlatform.config.profile\\.locale=de_DE",
                                       "contentPlatform.image.tag=23.10.1-missing"});
    REQUIRE(v1.statefulset != v2.statefulset);
    REQUIRE(v3.image != v2.image);
    CHECK(v1.roll_args == std::vector<std::string>{"roll", kSet, "--namespace", "shop"});

    KubeTestServer server;
    SimOptions so;
    so.statefulset = v1.statefulset;
    so.install = true;
    ClusterSim sim(server, so);
    TempDir dir;
    std::string kc = WriteKubeconfig(dir, server);

    // Install: the controller creates the pods in order (OrderedReady); the post-install hook waits for them all.
    HookRun install = RunRollHook(dir, kc, v1, "install");
    INFO(install.err);
    REQUIRE(install.code == 0);
    CHECK(sim.Creations() == std::vector<std::string>{Pod(0), Pod(1), Pod(2)});
    CHECK(sim.Deletions().empty());
    CheckAllCurrent(sim, 3);
    const std::string r1 = sim.update_revision();

    // Upgrade: a new template; the post-upgrade hook replaces pod 0 first, then the others highest ordinal first.
    server.ClearRequests();
    sim.Apply(v2.statefulset);
    HookRun upgrade = RunRollHook(dir, kc, v2, "upgrade");
    INFO(upgrade.err);
    REQUIRE(upgrade.code == 0);
    CHECK(sim.Deletions() == std::vector<std::string>{Pod(0), Pod(2), Pod(1)});
    CheckAllCurrent(sim, 3);
    const std::string r2 = sim.update_revision();
    CHECK(r2 != r1);

    // A failed upgrade: pod 0's new image cannot be pulled. The roll stops at once with the reason; pods 1 and 2 are
    // not touched and keep serving revision 2.
    server.ClearRequests();
    sim.ScriptImage(v3.image, PodOutcome::kImagePull);
    sim.Apply(v3.statefulset);
    HookRun failed = RunRollHook(dir, kc, v3, "failed");
    INFO(failed.err);
    CHECK(failed.code == 1);
    CHECK(failed.elapsed < std::chrono::seconds(45));  // well before the 60 s timeout
    CHECK(failed.err.find(Pod(0)) != std::string::npos);
    CHECK((failed.err.find("ErrImagePull") != std::string::npos ||
           failed.err.find("ImagePullBackOff") != std::string::npos));
    CHECK(failed.err.find(v3.image) != std::string::npos);
    CHECK(sim.Deletions() == std::vector<std::string>{Pod(0)});
    CHECK(sim.Revision(1) == r2);
    CHECK(sim.Revision(2) == r2);
    CHECK(sim.Ready(1));
    CHECK(sim.Ready(2));

    // Rollback to version 2: the controller's revision of that template again, so only pod 0 is replaced.
    server.ClearRequests();
    sim.Apply(v2.statefulset);
    HookRun rollback = RunRollHook(dir, kc, v2, "rollback");
    INFO(rollback.err);
    REQUIRE(rollback.code == 0);
    CHECK(sim.update_revision() == r2);
    CHECK(sim.Deletions() == std::vector<std::string>{Pod(0)});
    CheckAllCurrent(sim, 3);

    // Every request of the last run is one the chart's Role allows (the install and upgrade runs made the same kinds).
    for (const auto& req : server.Requests()) {
      INFO(req.method << " " << req.path << "?" << req.query);
      CHECK(v1.grants.count(req.group + "/" + req.resource + ":" + req.verb) == 1);
    }

    // The plan of the upgrade names the set and says it rolls only through capstan roll.
    std::string old_file = dir.Write("v1.yaml", v1.stream), new_file = dir.Write("v2.yaml", v2.stream);
    auto plan = Run({Binary("capstan"), "plan", old_file, new_file});
    INFO(plan.out << plan.err);
    REQUIRE(plan.exit_code == 0);
    CHECK(plan.out.find("StatefulSet/" + kSet) != std::string::npos);
    CHECK(plan.out.find("capstan roll") != std::string::npos);
  }
}
