// The probes of the `capstan wait` condition kinds that need the Kubernetes API (their grammar is lib/wait's,
// wait/kinds.h):
//   job:NAME (namespace=NS)                   the Job completed (a failed Job fails the wait at once)
//   rollout:KIND/NAME (namespace=NS)          a Deployment, StatefulSet or DaemonSet rolled out (rollout.h)
// The API configuration comes from the environment (in-cluster service account, else $KUBECONFIG or
// ~/.kube/config); the namespace defaults to the configuration's. Only the `capstan` binary attaches them.
#pragma once
#include <functional>
#include <memory>

#include "kube/client.h"

namespace capstan::kube {

using ClientMaker = std::function<std::unique_ptr<Client>()>;

// Attaches the job: and rollout: probes (wait::AttachProbe). make_client: how a condition's probe gets its client
// (default: Load({}) from the environment, one request attempt per check: the wait runner does the retrying).
// Calling it again replaces the probes.
void AttachWaitProbes(ClientMaker make_client = nullptr);

}  // namespace capstan::kube
