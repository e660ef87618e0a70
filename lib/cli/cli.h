// Command-line conventions shared by both binaries: the common flags (--log-format, --log-file, -v, -q), their
// CAPSTAN_* environment variables, --version, and the mapping of errors to exit codes (0 ok, 1 failed, 2 usage,
// 3 precondition). Every main() is: build a CLI::App, add flags, call RunMain.
#pragma once
#include <functional>
#include <string>

#include <CLI/CLI.hpp>

namespace capstan::cli {

struct CommonOptions {
  std::string log_format;  // empty: json in a pod, text elsewhere
  std::string log_file;
  int verbose = 0;
  bool quiet = false;
};

// Adds --log-format, --log-file, -v/--verbose, -q/--quiet (with CAPSTAN_LOG_FORMAT, CAPSTAN_LOG_FILE env vars).
void AddCommonFlags(CLI::App& app, CommonOptions& options);
// Configures logging from the parsed flags.
void ApplyCommonFlags(const CommonOptions& options);
// "capstan 0.1.0 (commit abc123)"
std::string VersionString(const std::string& binary);
// For a command line that named an unknown flag or subcommand: "unknown flag --vaules (did you mean --values?);
// run 'capstan values lint --help' for its flags", or "unknown command 'migrat' for capstan (did you mean
// 'migrate'?); commands: ...". Empty for any other parse error (CLI11's own message then applies). args, the
// command line as typed (without the program), finds a typo at the top that a later word hides: in `capstan migrat
// plan`, CLI11 selects the command `plan` and leaves 'migrat' over.
std::string ExplainParseError(CLI::App& app, const CLI::ParseError& error, const std::vector<std::string>& args = {});
// Called once when RunMain fails, after the message was printed on stderr: the message, on one line, redacted.
using FailureHook = std::function<void(const std::string& message)>;
// Parses argv with app, then runs body; maps CLI11 errors to exit 2 (unknown flags and subcommands with a
// did-you-mean: ExplainParseError) and capstan::Error to its exit code, logging the message once (and passing it
// to on_failure when given). Returns the process exit code.
int RunMain(CLI::App& app, int argc, char** argv, const std::function<int()>& body,
            const FailureHook& on_failure = {});

}  // namespace capstan::cli
