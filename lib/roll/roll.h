// `capstan roll`: the rollout driver for StatefulSets with updateStrategy OnDelete (the ordered-start ones the
// post-renderer makes): holds the set's Lease, watches the set, its pods and their Events, and deletes the pods
// that are not on status.updateRevision in the order next_step.h decides, one change per log line (progress.h), until
// every pod is current and Ready. Fails fast (exit 1) on a pod that cannot become Ready (kube::FatalPodProblem),
// at --timeout, or when the lease is lost; SIGTERM/SIGINT stop it (exit 3); a second run continues where it stands.
#pragma once
#include <chrono>
#include <string>
#include <vector>

#include "kube/client.h"

namespace capstan::roll {

struct RollOptions {
  std::string ns;
  std::string statefulset;
  std::chrono::milliseconds timeout{30 * 60 * 1000};
  int max_unavailable = 0;  // 0: the set's capstan.dev/roll-max-unavailable annotation, else 1
  int crashloop_restarts = 3;
  std::chrono::milliseconds unschedulable_grace{2 * 60 * 1000};
  std::string lease_name;  // default capstan-roll-<statefulset>
  std::chrono::seconds lease_duration{30};
  std::string holder;      // default DefaultHolderIdentity()
  std::chrono::seconds watch_timeout{300};
  bool handle_signals = true;
};

struct RollReport {
  int exit_code = 0;        // 0 done, 1 failed / timed out / lease lost, 3 interrupted or API unreachable
  std::string message;      // one line: the summary, or what failed, where and what to do
  std::string statefulset, ns, revision;
  int replicas = 0, current = 0;
  std::vector<std::string> replaced;  // pods deleted by this run, in order
  std::chrono::milliseconds elapsed{0};
  std::string failed_pod, failed_container, failed_reason;
  std::string ToJson() const;
};

RollReport RunRoll(kube::Client& client, const RollOptions& options);

}  // namespace capstan::roll
