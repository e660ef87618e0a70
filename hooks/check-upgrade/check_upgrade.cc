// capstan check-upgrade: the first pre-upgrade hook. Refuses a downgrade (unless the policy allows it), a skipped
// major version, or components upgraded out of their declared order. Exit 1 with the reasons when refused.
#include <iostream>

#include "hooks/command.h"
#include "kube/kube_flags.h"
#include "log/log.h"
#include "upgrade/policy.h"
#include "upgrade/run.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace {

using namespace capstan;

struct Flags {
  kube::KubeFlags kube;
  std::string release;
  std::string policy;
  std::string chart_version;
  std::string output = "text";
};

int Run(Flags& f) {
  upgrade::Policy policy = upgrade::ParsePolicy(ReadFile(f.policy), f.policy);
  if (!f.chart_version.empty() && !upgrade::ParseSemVer(f.chart_version))
    throw UsageError("--chart-version " + Quote(f.chart_version) + " is not a semantic version");
  auto client = kube::MakeClient(f.kube, "check-upgrade");
  auto d = upgrade::CheckUpgradeInCluster(*client, f.kube.ns, f.release, policy, f.chart_version);
  std::cout << (f.output == "json" ? upgrade::DecisionJson(d) : upgrade::DecisionText(d));
  if (!d.findings.empty()) {
    std::vector<std::string> msgs;
    for (const auto& x : d.findings) msgs.push_back(x.message);
    log::Error("upgrade of " + f.release + " refused: " + Join(msgs, " | "));
    return kExitFailed;
  }
  log::Info("upgrade path allowed", {{"release", f.release}, {"namespace", f.kube.ns}});
  return kExitOk;
}

capstan::hooks::Registration reg(
    "check-upgrade", "Pre-upgrade gate: refuse downgrades, skipped majors and out-of-order component upgrades",
    [](CLI::App& sub) -> capstan::hooks::Runner {
      auto f = std::make_shared<Flags>();
      sub.footer("Example (pre-upgrade hook, weight -100):\n"
                 "  capstan check-upgrade portal --policy /etc/capstan/upgrade-policy.yaml --chart-version 2.1.0\n"
                 "Exit codes: 0 allowed, 1 refused (reasons on stdout and in the log), 2 usage, 3 API unreachable.");
      sub.add_option("release", f->release, "Release name")->required();
      kube::AddKubeFlags(sub, f->kube);
      sub.add_option("--policy", f->policy, "Upgrade policy file (YAML or JSON)")->required()->envname("CAPSTAN_POLICY");
      sub.add_option("--chart-version", f->chart_version, "The new chart's version ({{ .Chart.Version }})")
          ->envname("CAPSTAN_CHART_VERSION");
      sub.add_option("-o,--output", f->output, "Output: text or json")->check(CLI::IsMember({"text", "json"}));
      return [f]() { return Run(*f); };
    });

}  // namespace
