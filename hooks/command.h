// The registry of `capstan` subcommands. Each subcommand lives in its own folder under hooks/ and registers
// itself with a static Registration: its setup function adds flags to the CLI11 subcommand it is given and
// returns the function that runs it (returning the exit code). The logic itself lives in lib/.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace capstan::hooks {

using Runner = std::function<int()>;
using Setup = std::function<Runner(CLI::App& sub)>;

struct Command {
  std::string name;
  std::string summary;
  Setup setup;
};

std::vector<Command>& Registry();

struct Registration {
  Registration(std::string name, std::string summary, Setup setup) {
    Registry().push_back({std::move(name), std::move(summary), std::move(setup)});
  }
};

}  // namespace capstan::hooks
