// The upgrade policy a chart declares for `capstan check-upgrade`: components in their upgrade order, whether
// downgrades are allowed, how many major versions may be skipped, and where each component's deployed version is
// read from in the cluster (a workload label or a container image tag). YAML or JSON, parsed strictly: unknown
// keys are errors with a did-you-mean.
//
//   allowDowngrade: false
//   maxMajorSkip: 0            # 0: 1.x -> 3.x is refused (2.x skipped)
//   components:
//     - name: auth
//       order: 1               # lower orders upgrade first; equal orders may upgrade together
//       version: 2.0.0         # the version this chart deploys
//       deployed: {kind: Deployment, name: portal-auth, label: app.kubernetes.io/version}
//     - name: controller
//       order: 2
//       version: 2.0.0
//       deployed: {kind: StatefulSet, name: portal-controller, image: {container: controller}}
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "upgrade/semver.h"

namespace capstan::upgrade {

struct VersionSource {
  std::string kind;       // Deployment, StatefulSet, DaemonSet
  std::string name;       // workload name
  std::string label;      // read metadata.labels[label] (default app.kubernetes.io/version)
  bool image = false;     // read the image tag of a container instead
  std::string container;  // the container (empty: the first)
};

struct Component {
  std::string name;
  int64_t order = 0;
  SemVer version;
  std::optional<bool> allow_downgrade;  // overrides the policy's
  VersionSource deployed;
};

struct Policy {
  bool allow_downgrade = false;
  int64_t max_major_skip = 0;
  std::vector<Component> components;
};

// Throws UsageError "<origin>: <path>: <why>" for anything it does not understand.
Policy ParsePolicy(const std::string& text, const std::string& origin);

}  // namespace capstan::upgrade
