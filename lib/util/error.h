// Errors and exit codes shared by every Capstan command (see docs in README, "Exit codes").
// An Error carries a message that already says what failed, where, why and what to do, plus the exit code.
#pragma once
#include <stdexcept>
#include <string>

namespace capstan {

enum ExitCode : int {
  kExitOk = 0,            // success; for checks: nothing at or above the failure threshold
  kExitFailed = 1,        // the work failed or findings at or above the threshold
  kExitUsage = 2,         // unknown flag, missing argument, unreadable input file
  kExitPrecondition = 3,  // database or API unreachable after retries, disk full
};

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, int exit_code = kExitFailed)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// Bad invocation or unreadable input named on the command line (exit 2).
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(message, kExitUsage) {}
};

// Something outside our control: unreachable database or API, full disk (exit 3).
class PreconditionError : public Error {
 public:
  explicit PreconditionError(const std::string& message) : Error(message, kExitPrecondition) {}
};

}  // namespace capstan
