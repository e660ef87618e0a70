// `capstan values`: the parent command; nested subcommands register through hooks/values/values_command.h.
#include <algorithm>
#include <map>
#include <memory>

#include "hooks/values/values_command.h"
#include "util/error.h"

namespace capstan::hooks::values {

std::vector<Command>& NestedRegistry() {
  static std::vector<Command> commands;
  return commands;
}

namespace {

Runner Setup(CLI::App& app) {
  app.require_subcommand(1);
  auto& nested = NestedRegistry();
  std::sort(nested.begin(), nested.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  auto runners = std::make_shared<std::map<CLI::App*, Runner>>();
  for (auto& cmd : nested) {
    CLI::App* sub = app.add_subcommand(cmd.name, cmd.summary);
    (*runners)[sub] = cmd.setup(*sub);
  }
  return [runners]() -> int {
    for (auto& [sub, run] : *runners)
      if (sub->parsed()) return run();
    return kExitUsage;
  };
}

Registration reg("values",
                 "merge, explain, diff and lint Helm values (exactly as Helm merges them)\n"
                 "Example: capstan values merge charts/portal -f custom_values.yaml --set image.tag=2.1",
                 Setup);

}  // namespace
}  // namespace capstan::hooks::values
