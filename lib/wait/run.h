// Running a wait: every condition is checked concurrently (one thread each) with jittered exponential backoff,
// one log line per attempt, until all hold, one of them runs out of time (its own timeout= or the overall
// timeout), one fails permanently, or SIGTERM/SIGINT arrives. Used by `capstan wait` and `capstan mark-ready`.
#pragma once
#include <chrono>
#include <string>
#include <vector>

#include "wait/condition.h"

namespace capstan::wait {

// Exit codes of `capstan wait` (docs/wait.md, "Exit codes").
enum WaitExit : int {
  kWaitHeld = 0,         // every condition held
  kWaitTimedOut = 1,     // a condition did not hold within its timeout (or a permanent failure, see below)
  kWaitUsage = 2,        // bad flag or bad condition text
  kWaitInterrupted = 3,  // SIGTERM or SIGINT arrived before every condition held
};

struct RunOptions {
  Millis timeout{std::chrono::minutes(5)};    // overall bound (conditions' own timeout= may be shorter)
  Millis initial_interval{std::chrono::seconds(1)};
  Millis max_interval{std::chrono::seconds(10)};
  Millis attempt_timeout{std::chrono::seconds(5)};  // default bound of one attempt (attempt-timeout= overrides)
  bool handle_signals = true;  // SIGTERM/SIGINT end the wait (they are blocked in the calling thread meanwhile)
  Millis stop_grace{std::chrono::milliseconds(500)};  // how long to let in-flight attempts finish after a stop
};

enum class WaitStatus { kAllHeld, kTimedOut, kFailed, kInterrupted };

struct ConditionOutcome {
  std::string condition;  // Describe()
  bool held = false;
  bool timed_out = false;
  bool failed = false;    // a permanent failure (Check threw an Error)
  int attempts = 0;
  std::string last_detail;  // last error (or the note of the attempt that held)
  bool attempt_running = false;  // an attempt had started and not returned when the wait ended
  Millis elapsed{0};        // until it held or gave up
  Millis limit{0};          // its effective timeout
  bool own_timeout = false; // limit comes from the condition's timeout= (shorter than --timeout)
};

struct WaitResult {
  WaitStatus status = WaitStatus::kAllHeld;
  std::vector<ConditionOutcome> outcomes;  // in the order given
  Millis elapsed{0};
  int signal = 0;              // the signal that interrupted the wait
  int failure_exit_code = 1;   // for kFailed: the thrown Error's exit code
  bool workers_left_running = false;  // an attempt was still blocked after stop_grace (exit without cleanup)
  int ExitCode() const;
  // One line naming every condition that did not hold and its last error, e.g.
  // "timed out after 5m: 1 of 2 conditions did not hold: tcp://db:5432 (12 attempts; last: connection refused)"
  std::string Summary() const;
};

// Takes ownership of the conditions (in-flight attempts may outlive a stop). An empty list holds at once.
WaitResult RunWait(ConditionList conditions, const RunOptions& options);

}  // namespace capstan::wait
