// Fuzzes the upgrade policy parser (YAML/JSON through libfyaml) and the decision over what it parsed: bad input
// must give a UsageError, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "upgrade/check.h"
#include "upgrade/policy.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capstan;
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    upgrade::Policy p = upgrade::ParsePolicy(text, "fuzz.yaml");
    upgrade::UpgradeInput in;
    in.chart_deployed = "1.0.0";
    in.chart_new = "3.0.0-rc.1";
    size_t i = 0;
    for (const auto& c : p.components) in.deployed[c.name] = (i++ % 2 == 0) ? "0.9.0" : c.version.text;
    (void)upgrade::CheckUpgrade(p, in);
  } catch (const UsageError&) {
  }
  return 0;
}
