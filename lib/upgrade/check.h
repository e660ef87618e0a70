// The decision of `capstan check-upgrade`: given the policy, the deployed versions (from the cluster and the
// release record) and the new versions, list every reason to refuse the upgrade: a downgrade (unless allowed), a
// skipped major version, or a component upgraded before an earlier-ordered component has reached its version.
// CheckUpgrade is a pure function (table-tested); ReadDeployedVersion reads one component's version from the API.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kube/client.h"
#include "upgrade/policy.h"

namespace capstan::upgrade {

struct Finding {
  std::string subject;  // component name, "chart", or for "order" the components of one order group ("scs, shvs")
  std::string rule;     // "downgrade", "major-skip", "order", "unreadable"
  std::string message;
};

struct UpgradeInput {
  std::string chart_deployed;  // chartVersion of the record's deployed entry ("" when no record)
  std::string chart_new;       // the new chart's version ("" when not given)
  // Component name -> deployed version text; absent: the workload does not exist (a new component).
  std::map<std::string, std::string> deployed;
};

struct ComponentPlan {
  std::string name;
  int64_t order = 0;
  std::string deployed;  // "" when new
  std::string target;
  std::string action;  // "install", "upgrade", "unchanged", "downgrade"
};

struct UpgradeDecision {
  std::vector<ComponentPlan> plan;
  std::vector<Finding> findings;  // empty: the upgrade may proceed
  // When components are out of order: the upgrades the policy needs, one per order group ("" otherwise).
  std::string summary;
};

UpgradeDecision CheckUpgrade(const Policy& policy, const UpgradeInput& input);

// Image tag of an image reference: "reg:5000/org/app:1.2.3@sha256:..." -> "1.2.3" ("" when untagged).
std::string ImageTag(const std::string& image);
// The version text of a component in the cluster; nullopt when its workload does not exist. Throws Error naming
// the workload when the label or container is missing.
std::optional<std::string> ReadDeployedVersion(kube::Client& client, const std::string& ns, const Component& c);

}  // namespace capstan::upgrade
