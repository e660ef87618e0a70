// Polls one workload or Job through the API until its rollout (rollout.h) is done, has failed, or the timeout
// passes. Shared by `capstan wait` conditions and `capstan verify`.
#pragma once
#include <chrono>
#include <string>

#include "kube/client.h"
#include "kube/rollout.h"

namespace capstan::kube {

struct PollOptions {
  std::chrono::milliseconds timeout{300000};
  std::chrono::milliseconds interval{2000};
};

// The last status seen: kDone, kFailed, or kProgressing when the timeout passed. A missing object counts as
// progressing ("not found yet") until the timeout.
RolloutStatus WaitForRollout(Client& client, const Kind& kind, const std::string& ns, const std::string& name,
                             const PollOptions& options);

}  // namespace capstan::kube
