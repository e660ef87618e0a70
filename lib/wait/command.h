// The logic of `capstan wait` and `capstan mark-ready` behind their flags (hooks/wait, hooks/mark-ready): turning
// arguments into conditions (errors name the argument and column), adding the ordered-start marker condition,
// running the wait and reporting its outcome (log lines, exit code).
#pragma once
#include <string>
#include <vector>

#include "wait/run.h"

namespace capstan::wait {

struct WaitCommand {
  std::vector<std::string> conditions;  // one condition (or a comma-separated list) per argument
  std::string timeout = "5m";
  std::string initial_interval = "1s";
  std::string max_interval = "10s";
  std::string attempt_timeout = "5s";
  // Ordered start (StatefulSets): pods with ordinal > 0 also wait for pod 0's marker with the current digest.
  bool ordered_start = false;
  std::string marker_dir;
  std::string digest;
  std::string pod_name;
};

// Parses every argument; throws UsageError "condition argument 2 'htp://x': condition 1 at column 1: ...".
ConditionList ParseArguments(const std::vector<std::string>& args);
// Parses the durations; throws UsageError naming the flag.
RunOptions ParseRunOptions(const WaitCommand& cmd);

// `capstan wait`: returns the exit code (0 held, 1 timed out, 2 usage, 3 interrupted; docs/wait.md).
int RunWaitCommand(const WaitCommand& cmd);

struct MarkReadyCommand {
  WaitCommand wait;           // conditions to wait for before marking (optional), marker-dir, digest, pod-name
  bool keep_running = false;  // after marking, keep running until SIGTERM (as a sidecar container)
  bool probe = false;         // readiness probe: check the marker, write nothing (MarkerMismatch)
};
// `capstan mark-ready`: pod 0 writes the marker (after its conditions hold); other pods do nothing.
// With probe: exit 0 on pods other than 0, and on pod 0 iff its marker holds this pod's digest; else exit 1 with a
// one-line reason. Fast, writes nothing, no network: the exec readinessProbe of the injected capstan-mark-ready
// container, so pod 0 is Ready only once it has initialised for the current digest.
int RunMarkReadyCommand(const MarkReadyCommand& cmd);

}  // namespace capstan::wait
