// Running a command as a person at a terminal runs it: in a new session whose controlling terminal is a
// pseudo-terminal, with stdin, stdout and stderr on it; the test reads what the screen shows. For the tests that
// messages reach the user when stderr does not (Helm 4 discards a post-renderer plugin's stderr).
#pragma once
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace capstan::test {

struct TerminalResult {
  int exit_code = -1;  // -1 when killed by a signal or timed out
  bool timed_out = false;
  std::string screen;  // everything written to the terminal, "\r\n" turned back into "\n"
};

struct TerminalOptions {
  std::map<std::string, std::string> env;  // added to (or overriding) the inherited environment
  std::vector<std::string> unset_env;
  std::string cwd;
  std::chrono::milliseconds timeout{120000};
};

TerminalResult RunAtTerminal(const std::vector<std::string>& argv, const TerminalOptions& options = {});

// How many times needle occurs in haystack (for "the message is shown once").
size_t CountOf(const std::string& haystack, const std::string& needle);

}  // namespace capstan::test
