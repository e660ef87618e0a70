// The offline input of `capstan check-upgrade --deployed FILE` (docs/verify.md): the versions deployed now, for CI
// without a cluster. FILE is either
//   - a capstan-postrender report (--report JSON) of the release as deployed: each policy component's version is
//     read from the workload the policy names, as in the cluster (its label, or its container's image tag); or
//   - a small YAML (or JSON) file mapping the policy's component names to versions:
//         chartVersion: 1.4.0      # optional: the deployed chart's version, compared with --chart-version
//         components:
//           cms: 1.4.0
//           aas: 1.4.0
//           solr: ~                # not deployed (as is a component the file does not list)
// Errors are UsageErrors "FILE:LINE: what; what to do", with a did-you-mean for unknown keys and components.
#pragma once
#include <string>

#include "upgrade/check.h"
#include "upgrade/policy.h"

namespace capstan::upgrade {

struct DeployedFile {
  std::string format;  // "report" or "versions"
  UpgradeInput input;  // chart_deployed and deployed filled (chart_new is the caller's)
};

// Reads the file's text (origin names it in errors). ns selects among report workloads of the same kind and name
// in several namespaces (empty: they must be unique).
DeployedFile ReadDeployed(const std::string& text, const std::string& origin, const Policy& policy,
                          const std::string& ns);

}  // namespace capstan::upgrade
