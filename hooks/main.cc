// capstan: the hooks binary. Subcommands (values, migrate, backup, restore, wait, verify, check-upgrade) register
// themselves in hooks/<name>/; this file only builds the command line and dispatches.
#include <algorithm>
#include <map>

#include "cli/cli.h"
#include "cli/completion.h"
#include "hooks/command.h"
#include "hooks/probes.h"
#include "util/error.h"

namespace capstan::hooks {
std::vector<Command>& Registry() {
  static std::vector<Command> commands;
  return commands;
}
}  // namespace capstan::hooks

int main(int argc, char** argv) {
  using namespace capstan;
  hooks::AttachProbes();  // wait conditions are checked only here (capstan wait, mark-ready)
  CLI::App app{"capstan: safe helm upgrades of stateful applications (hook Jobs, values, waits)\n"
               "Example: capstan values lint charts/example-portal -f values/custom_values.yaml",
               "capstan"};
  app.set_version_flag("--version", cli::VersionString("capstan"));
  app.require_subcommand(1);
  app.fallthrough();  // common flags may follow the subcommand: capstan migrate apply --log-format json
  cli::CommonOptions common;
  cli::AddCommonFlags(app, common);
  auto& registry = hooks::Registry();
  std::sort(registry.begin(), registry.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  std::map<CLI::App*, hooks::Runner> runners;
  for (auto& cmd : registry) {
    CLI::App* sub = app.add_subcommand(cmd.name, cmd.summary);
    runners[sub] = cmd.setup(*sub);
  }
  int completion_exit = 0;  // hidden: capstan completion bash|zsh|fish (the build installs its output)
  if (cli::HandleCompletionCommand(app, "capstan", argc, argv, completion_exit)) return completion_exit;
  return cli::RunMain(app, argc, argv, [&]() -> int {
    cli::ApplyCommonFlags(common);
    for (auto& [sub, run] : runners)
      if (sub->parsed()) return run();
    return kExitUsage;
  });
}
