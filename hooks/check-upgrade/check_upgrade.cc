// capstan check-upgrade: the first pre-upgrade hook, and a CI check. Refuses a downgrade (unless the policy allows
// it), a skipped major version, or components upgraded out of their declared order. The deployed versions come from
// the cluster, or with --deployed FILE from a post-renderer report or a small YAML file (no cluster needed).
// Exit 1 with the reasons when refused.
#include <iostream>
#include <map>

#include "hooks/command.h"
#include "kube/kube_flags.h"
#include "log/log.h"
#include "upgrade/deployed.h"
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
  std::string deployed;
  std::string output = "text";
};

// "2 order, 1 downgrade"
std::string CountByRule(const std::vector<upgrade::Finding>& findings) {
  std::map<std::string, int> n;
  std::vector<std::string> order;
  for (const auto& f : findings)
    if (n[f.rule]++ == 0) order.push_back(f.rule);
  std::vector<std::string> parts;
  for (const auto& r : order) parts.push_back(std::to_string(n[r]) + " " + r);
  return Join(parts, ", ");
}

int Run(Flags& f) {
  upgrade::Policy policy = upgrade::ParsePolicy(ReadFile(f.policy), f.policy);
  if (!f.chart_version.empty() && !upgrade::ParseSemVer(f.chart_version))
    throw UsageError("--chart-version " + Quote(f.chart_version) + " is not a semantic version");
  upgrade::UpgradeDecision d;
  std::string subject;
  if (!f.deployed.empty()) {
    upgrade::DeployedFile file = upgrade::ReadDeployed(ReadFile(f.deployed), f.deployed, policy, f.kube.ns);
    file.input.chart_new = f.chart_version;
    d = upgrade::CheckUpgrade(policy, file.input);
    subject = f.release.empty() ? f.deployed : f.release + " (deployed versions from " + f.deployed + ")";
    log::Info("deployed versions read from a file, not the cluster",
              {{"file", f.deployed}, {"format", file.format},
               {"components", static_cast<long long>(file.input.deployed.size())}});
  } else {
    if (f.release.empty())
      throw UsageError("check-upgrade needs the release name (to read the cluster), or --deployed FILE with the "
                       "versions deployed now (CI without a cluster)");
    auto client = kube::MakeClient(f.kube, "check-upgrade");
    d = upgrade::CheckUpgradeInCluster(*client, f.kube.ns, f.release, policy, f.chart_version);
    subject = f.release;
  }
  std::cout << (f.output == "json" ? upgrade::DecisionJson(d) : upgrade::DecisionText(d));
  if (!d.findings.empty()) {
    // The reasons are on stdout; the log says how many and of which kind, once.
    log::Error("upgrade of " + subject + " refused: " + std::to_string(d.findings.size()) + " problem" +
                   (d.findings.size() == 1 ? "" : "s") + " (" + CountByRule(d.findings) + "), listed on stdout",
               {{"problems", static_cast<long long>(d.findings.size())}});
    return kExitFailed;
  }
  if (f.deployed.empty()) log::Info("upgrade path allowed", {{"release", subject}, {"namespace", f.kube.ns}});
  else log::Info("upgrade path allowed", {{"deployed", f.deployed}});
  return kExitOk;
}

capstan::hooks::Registration reg(
    "check-upgrade", "Pre-upgrade gate: refuse downgrades, skipped majors and out-of-order component upgrades",
    [](CLI::App& sub) -> capstan::hooks::Runner {
      auto f = std::make_shared<Flags>();
      sub.footer("Examples:\n"
                 "  capstan check-upgrade portal --policy /etc/capstan/upgrade-policy.yaml --chart-version 2.1.0\n"
                 "      (pre-upgrade hook, weight -100: versions read from the cluster)\n"
                 "  capstan check-upgrade --policy upgrade-policy.yaml --deployed deployed.yaml --chart-version 2.1.0\n"
                 "      (CI, no cluster: versions from a file, components: {NAME: VERSION}, or a --report JSON)\n"
                 "Exit codes: 0 allowed, 1 refused (reasons on stdout), 2 usage or a bad file, 3 API unreachable.");
      sub.add_option("release", f->release, "Release name (needed to read the cluster; optional with --deployed)");
      kube::AddKubeFlags(sub, f->kube);
      sub.add_option("--policy", f->policy, "Upgrade policy file (YAML or JSON)")->required()->envname("CAPSTAN_POLICY");
      sub.add_option("--chart-version", f->chart_version, "The new chart's version ({{ .Chart.Version }})")
          ->envname("CAPSTAN_CHART_VERSION");
      sub.add_option("--deployed", f->deployed,
                     "The versions deployed now, instead of the cluster: a capstan-postrender --report JSON, or YAML "
                     "components: {NAME: VERSION} (docs/verify.md)")
          ->envname("CAPSTAN_DEPLOYED");
      sub.add_option("-o,--output", f->output, "Output: text or json")->check(CLI::IsMember({"text", "json"}));
      return [f]() { return Run(*f); };
    });

}  // namespace
