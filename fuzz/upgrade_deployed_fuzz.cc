// Fuzzes `check-upgrade --deployed FILE` (upgrade/deployed.h): a versions file or a post-renderer report read
// against a fixed policy, then the decision over what it gave: bad input must give a UsageError, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "upgrade/check.h"
#include "upgrade/deployed.h"
#include "upgrade/policy.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capstan;
  static const upgrade::Policy policy = upgrade::ParsePolicy(
      "components:\n"
      "  - {name: cms, order: 1, version: '2.0.0', deployed: {kind: StatefulSet, name: cms, image: {container: cms}}}\n"
      "  - {name: aas, order: 1, version: '2.0.0', deployed: {kind: Deployment, name: aas}}\n"
      "  - {name: scs, order: 2, version: '2.0.0', deployed: {kind: Deployment, name: scs, image: {}}}\n"
      "  - {name: portal, order: 3, version: '2.0.0', deployed: {kind: StatefulSet, name: portal}}\n",
      "policy.yaml");
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    upgrade::DeployedFile f = upgrade::ReadDeployed(text, "fuzz.yaml", policy, size % 2 ? "shop" : "");
    f.input.chart_new = "2.0.0";
    (void)upgrade::CheckUpgrade(policy, f.input);
  } catch (const UsageError&) {
  }
  return 0;
}
