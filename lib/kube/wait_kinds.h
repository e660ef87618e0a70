// The `capstan wait` condition kinds that need the Kubernetes API, registered into lib/wait's registry:
//   job:NAME (namespace=NS)                   the Job completed (a failed Job fails the wait at once)
//   rollout:KIND/NAME (namespace=NS)          a Deployment, StatefulSet or DaemonSet rolled out (rollout.h)
// The API configuration comes from the environment (in-cluster service account, else $KUBECONFIG or
// ~/.kube/config); the namespace defaults to the configuration's.
#pragma once
#include <functional>
#include <memory>

#include "kube/client.h"

namespace capstan::kube {

using ClientMaker = std::function<std::unique_ptr<Client>()>;

// Registers job: and rollout:. make_client: how conditions get their client (default: Load({}) from the
// environment, one request attempt per check: the wait runner does the retrying). Idempotent.
void RegisterWaitKinds(ClientMaker make_client = nullptr);

}  // namespace capstan::kube
