// The flags `capstan wait` and `capstan mark-ready` share (timeouts, intervals, ordered-start identity), with their
// CAPSTAN_* environment variables, and the list of condition kinds for --help.
#pragma once
#include <string>

#include <CLI/CLI.hpp>

#include "wait/command.h"

namespace capstan::wait {

void AddWaitFlags(CLI::App& sub, WaitCommand& cmd);
// "Condition kinds: ..." for a --help footer, from the registry.
std::string KindsHelp();

}  // namespace capstan::wait
