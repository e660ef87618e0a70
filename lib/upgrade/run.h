// Runs `capstan check-upgrade` against the cluster: reads the release record (deployed chart version) and each
// component's deployed version, then applies CheckUpgrade. Formats the decision as text or JSON.
#pragma once
#include <string>

#include "kube/client.h"
#include "upgrade/check.h"

namespace capstan::upgrade {

UpgradeDecision CheckUpgradeInCluster(kube::Client& client, const std::string& ns, const std::string& release,
                                      const Policy& policy, const std::string& new_chart_version);
std::string DecisionText(const UpgradeDecision& d);
std::string DecisionJson(const UpgradeDecision& d);

}  // namespace capstan::upgrade
