// Where capstan-postrender's messages go, so that no failure is silent under Helm 4, which throws a post-renderer
// plugin's stderr away on success and on failure, even with --debug (Helm 4 then says only `plugin "capstan" exited
// with error`):
// - every run appends its log lines (summary, warnings, errors) to a log file: --log-file / CAPSTAN_LOG_FILE / the
//   configuration key log-file, else the default DefaultLogPath() (created with its directories). Text lines
//   "2026-12-07T03:18:47.123Z capstan-postrender[PID]: error: ..." (JSON lines with "program" and "pid" under
//   --log-format json), created 0600, rotated at kLogMaxBytes to FILE.1, redacted like every log line;
// - a failure is also written to the controlling terminal, "capstan-postrender: error: MESSAGE (log: PATH)", when
//   the run is Helm 4's plugin (IsHelm4Plugin) and stderr is not that terminal. Helm 3 shows a failed
//   post-renderer's stderr itself, so a Helm 3 user at a terminal reads the message once, not twice.
// Neither is ever a reason to fail the run; stdout (the manifests) never carries a message.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "cli/cli.h"

namespace capstan::postrender {

using Getenv = std::function<const char*(const char*)>;

inline constexpr std::uint64_t kLogMaxBytes = std::uint64_t{1} << 20;  // 1 MiB, plus one rotated file

// $XDG_STATE_HOME/capstan/postrender.log (when XDG_STATE_HOME is an absolute path, as the XDG spec asks), else
// $HOME/.local/state/capstan/postrender.log; "" when neither is set.
std::string DefaultLogPath(const Getenv& getenv);
// Whether this process is Helm 4's postrenderer/v1 plugin: HELM_PLUGIN_DIR (which Helm 4 sets for its plugins) is
// a directory that holds the running executable (symbolic links resolved).
bool IsHelm4Plugin(const Getenv& getenv, const std::string& executable = "/proc/self/exe");

class RunLog {
 public:
  // common: the common options (--log-file, --log-format, -v, -q) as far as they are known (the configuration file
  // applied, the command line perhaps not parsed yet); both must outlive the RunLog.
  RunLog(int argc, char** argv, const cli::CommonOptions& common, Getenv getenv);

  // The log file of this run: --log-file VALUE or --log-file=VALUE in argv, CAPSTAN_LOG_FILE, the file's log-file,
  // else DefaultLogPath(); "" when there is none.
  std::string Path() const;
  // Configures logging for the run (format, level, the log file); never throws. A log file that cannot be written
  // is skipped (a warning on stderr when the user named it).
  void Configure();

  // A failure before the command line is parsed (a configuration file or variable error): "error: MESSAGE" on
  // stderr as every error, then the log file and the terminal. Returns exit_code.
  int Fail(const std::string& message, int exit_code);
  // cli::RunMain's failure hook: the message is on stderr already; adds it to the log file (unless logging was
  // configured, so that it went there already) and to the terminal.
  void OnFailure(const std::string& message);
  // A failure whose explanation went to stdout (check mode's findings): the log file and the terminal only.
  void Note(const std::string& message);
  // Reports an exception that escapes everything (std::terminate) as an internal error before aborting.
  void InstallTerminateHandler();

  // What the terminal shows: "capstan-postrender: error: MESSAGE (log: PATH)".
  std::string TerminalLine(const std::string& message) const;

 private:
  void ToTerminal(const std::string& message) const;
  int argc_;
  char** argv_;
  const cli::CommonOptions& common_;
  Getenv getenv_;
  bool configured_ = false;
};

}  // namespace capstan::postrender
