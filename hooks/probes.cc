#include "hooks/probes.h"

#include "kube/wait_probes.h"
#include "probe/probes.h"

namespace capstan::hooks {

void AttachProbes() {
  probe::AttachProbes();    // tcp:, dns:, http:, https:, file:, postgres:
  kube::AttachWaitProbes();  // job:, rollout: (the Kubernetes API)
}

}  // namespace capstan::hooks
