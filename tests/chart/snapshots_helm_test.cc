// hooks.backup.snapshots of charts/example-portal with the real Helm 3 and 4: off (the default), the backup Job
// archives the shared folder, calls no API and the Role has no snapshot rule; on, the backup Job takes a CSI
// VolumeSnapshot of the shared claim instead (--snapshot-pvc, the class and timeout from the values), runs with the
// hooks' ServiceAccount and no longer mounts the shared claim, and the Role grants exactly what
// `capstan rbac --hook backup --hook restore` prints on top of the base hooks' rules.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "chart_testing.h"
#include "yaml/tree.h"

using namespace capstan;
using namespace capstan::test::chart;

namespace {

const std::string kPrefix = "portal-example-portal-";

bool Has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

TEST_CASE("chart: hooks.backup.snapshots off and on") {
  HelmHome h3(3), h4(4);
  for (const HelmHome* home : {&h3, &h4}) {
    INFO("helm " << home->helm());
    for (bool on : {false, true}) {
      INFO("snapshots " << on);
      RenderOptions o;
      o.values = {ValuesDir() + "/custom_values.yaml", EnvFile("production")};
      o.post_render = home->helm() == 4;
      if (on) o.set = {"hooks.backup.snapshots.enabled=true", "hooks.backup.snapshots.className=csi-snap",
                       "hooks.backup.snapshots.timeout=20m", "contentPlatform.enabled=false"};
      else o.set = {"contentPlatform.enabled=false"};
      auto docs = yaml::Tree::ParseAll(Render(*home, o));
      yaml::Node job = FindDoc(docs, "Job", kPrefix + "backup");
      REQUIRE(job);
      yaml::Node pod = job.Get("spec").Get("template").Get("spec");
      yaml::Node c = pod.Get("containers").At(0);
      auto args = Strings(c.Get("args"));
      std::vector<std::string> volumes;
      for (const auto& v : pod.Get("volumes").Items()) volumes.emplace_back(v.Get("name").scalar());
      yaml::Node role = FindDoc(docs, "Role", kPrefix + "hooks");
      REQUIRE(role);
      if (!on) {
        CHECK(Has(args, "--dir"));
        CHECK_FALSE(Has(args, "--snapshot-pvc"));
        CHECK(pod.Get("automountServiceAccountToken").scalar() == "false");
        CHECK(Has(volumes, "shared"));
        CHECK(Grants(role) == CapstanGrants({"check-upgrade", "verify", "record"}));
        continue;
      }
      CHECK_FALSE(Has(args, "--dir"));
      auto at = std::find(args.begin(), args.end(), "--snapshot-pvc");
      REQUIRE(at != args.end());
      CHECK(*(at + 1) == "portal-shared-nfs");  // the production overlay's existing shared claim
      CHECK(*(std::find(args.begin(), args.end(), "--snapshot-class") + 1) == "csi-snap");
      CHECK(*(std::find(args.begin(), args.end(), "--snapshot-timeout") + 1) == "20m");
      CHECK(*(std::find(args.begin(), args.end(), "--namespace") + 1) == "shop");
      CHECK(pod.Get("serviceAccountName").scalar() == kPrefix + "hooks");
      CHECK(pod.Get("automountServiceAccountToken").scalar() == "true");
      CHECK_FALSE(Has(volumes, "shared"));
      CHECK(Grants(role) == CapstanGrants({"check-upgrade", "verify", "record", "backup", "restore"}));
    }
  }
}
