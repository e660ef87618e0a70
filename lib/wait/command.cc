#include "wait/command.h"

#include <signal.h>

#include <cstdlib>
#include <cstring>

#include "log/log.h"
#include "util/redact.h"
#include "util/duration.h"
#include "util/strings.h"
#include "wait/ordered_start.h"

namespace capstan::wait {

namespace {

Millis FlagDuration(const std::string& flag, const std::string& value) {
  Millis d{0};
  try {
    d = ParseDuration(value);
  } catch (const UsageError&) {
    throw UsageError("invalid " + flag + " " + Quote(value) + ": use a duration such as 500ms, 30s, 5m or 1h");
  }
  if (d.count() <= 0) throw UsageError(flag + " must be more than 0, got " + Quote(value));
  return d;
}

// Logs the outcome and returns the exit code. When an attempt is still blocked in a system call after the stop
// grace, exits at once (no static destructors while that thread runs).
int Report(const WaitResult& r) {
  int code = r.ExitCode();
  if (r.status == WaitStatus::kAllHeld) {
    log::Info("all conditions hold", {{"conditions", static_cast<long long>(r.outcomes.size())},
                                      {"elapsed", static_cast<double>(r.elapsed.count()) / 1000.0}});
  } else {
    for (const auto& o : r.outcomes) {
      if (o.held) continue;
      log::Error("condition did not hold", {{"condition", o.condition},
                                             {"attempts", o.attempts},
                                             {"error", o.last_detail}});
    }
    log::Error(r.Summary(), {{"exit_code", code}});
  }
  if (r.workers_left_running) std::_Exit(code);
  return code;
}

void AddMarkerCondition(const WaitCommand& cmd, ConditionList& conditions) {
  if (cmd.marker_dir.empty())
    throw UsageError("--ordered-start needs --marker-dir (a directory on the volume all pods share, e.g. "
                     "/shared/.capstan)");
  PodIdentity id = ParsePodName(cmd.pod_name);
  ValidateDigest(cmd.digest);
  if (id.ordinal == 0) {
    log::Info("ordered start: pod 0 does not wait for its own marker",
              {{"pod", cmd.pod_name}, {"marker", MarkerPath(cmd.marker_dir, id.set)}});
    return;
  }
  log::Info("ordered start: waiting for pod 0's marker with the current digest",
            {{"pod", cmd.pod_name}, {"marker", MarkerPath(cmd.marker_dir, id.set)}, {"digest", cmd.digest}});
  conditions.push_back(MarkerCondition(cmd.marker_dir, id.set, cmd.digest));
}

}  // namespace

ConditionList ParseArguments(const std::vector<std::string>& args) {
  ConditionList out;
  for (size_t i = 0; i < args.size(); ++i) {
    try {
      for (auto& c : ParseConditionList(args[i])) out.push_back(std::move(c));
    } catch (const ConditionError& e) {
      throw UsageError("condition argument " + std::to_string(i + 1) + " " + Quote(RedactSecrets(args[i])) + ": " + e.what() +
                       " (syntax: docs/wait.md)");
    }
  }
  return out;
}

RunOptions ParseRunOptions(const WaitCommand& cmd) {
  RunOptions o;
  o.timeout = FlagDuration("--timeout", cmd.timeout);
  o.initial_interval = FlagDuration("--initial-interval", cmd.initial_interval);
  o.max_interval = FlagDuration("--max-interval", cmd.max_interval);
  o.attempt_timeout = FlagDuration("--attempt-timeout", cmd.attempt_timeout);
  if (o.max_interval < o.initial_interval)
    throw UsageError("--max-interval (" + cmd.max_interval + ") is shorter than --initial-interval (" +
                     cmd.initial_interval + ")");
  return o;
}

int RunWaitCommand(const WaitCommand& cmd) {
  RunOptions options = ParseRunOptions(cmd);
  ConditionList conditions = ParseArguments(cmd.conditions);
  if (cmd.ordered_start) AddMarkerCondition(cmd, conditions);
  if (conditions.empty()) {
    if (cmd.ordered_start) return kWaitHeld;  // pod 0 with nothing else to wait for
    throw UsageError("nothing to wait for: give at least one condition, e.g. capstan wait tcp://db:5432");
  }
  log::Info("waiting", {{"conditions", ToListString(conditions)},
                        {"timeout", FormatDurationExact(options.timeout)}});
  return Report(RunWait(std::move(conditions), options));
}

int RunMarkReadyCommand(const MarkReadyCommand& cmd) {
  const WaitCommand& w = cmd.wait;
  if (w.marker_dir.empty())
    throw UsageError("mark-ready needs --marker-dir (a directory on the volume all pods share, e.g. /shared/.capstan)");
  PodIdentity id = ParsePodName(w.pod_name);
  ValidateDigest(w.digest);
  if (cmd.probe) {
    if (!w.conditions.empty() || cmd.keep_running)
      throw UsageError("mark-ready --probe takes no conditions and no --keep-running: it only checks the marker "
                       "(run it as the readiness probe of the container that runs mark-ready --keep-running)");
    if (id.ordinal != 0) return kWaitHeld;  // only pod 0 writes a marker; pods > 0 are ready on their own terms
    std::string reason = MarkerMismatch(w.marker_dir, id.set, w.digest);
    if (reason.empty()) return kWaitHeld;
    log::Warn("ordered start: pod 0 is not ready: " + reason, {{"pod", w.pod_name}});
    return 1;  // not ready (the kubelet counts any non-zero exit as a failed probe)
  }
  RunOptions options = ParseRunOptions(w);
  ConditionList conditions = ParseArguments(w.conditions);
  if (!conditions.empty()) {
    log::Info("waiting before marking ready", {{"conditions", ToListString(conditions)}});
    int code = Report(RunWait(std::move(conditions), options));
    if (code != kWaitHeld) return code;
  }
  std::string marker = MarkerPath(w.marker_dir, id.set);
  if (id.ordinal == 0) {
    WriteMarker(w.marker_dir, id.set, w.digest);
    log::Info("ordered start: marker written; pods 1..n may start", {{"marker", marker}, {"digest", w.digest}});
  } else {
    log::Info("ordered start: only pod 0 writes the marker; nothing to do", {{"pod", w.pod_name}});
  }
  if (cmd.keep_running) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    int sig = 0;
    sigwait(&set, &sig);
    log::Info("stopping", {{"signal", std::string(::strsignal(sig))}});
  }
  return kWaitHeld;
}

}  // namespace capstan::wait
