// Shell completion scripts (bash, zsh, fish) generated from a CLI11 app: its subcommands (at any depth) and the
// flags of each, so the scripts never go stale. Both binaries answer `<binary> completion bash|zsh|fish` (hidden;
// the build writes the files that `cmake --install` puts where bash-completion, zsh and fish look).
#pragma once
#include <string>

#include <CLI/CLI.hpp>

namespace capstan::cli {

// The completion script for `shell` ("bash", "zsh" or "fish") of the fully built app, named by its program name
// `program`. Throws capstan::UsageError for another shell.
std::string CompletionScript(const CLI::App& app, const std::string& program, const std::string& shell);

// For `<program> completion SHELL`: prints the script to stdout and returns true (exit 0), or prints the usage error
// to stderr and returns true with exit_code 2; false for any other command line (nothing printed).
bool HandleCompletionCommand(const CLI::App& app, const std::string& program, int argc, char** argv,
                             int& exit_code);

}  // namespace capstan::cli
