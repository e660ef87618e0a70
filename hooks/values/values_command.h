// `capstan values` and its nested subcommands. Each nested subcommand (merge, explain, diff, lint, migrate) lives in
// its own file in hooks/values/ and registers itself here with a static ValuesRegistration; values.cc creates the
// `values` command and adds every registered nested subcommand to it.
#pragma once
#include <string>
#include <vector>

#include "hooks/command.h"

namespace capstan::hooks::values {

std::vector<Command>& NestedRegistry();

struct ValuesRegistration {
  ValuesRegistration(std::string name, std::string summary, Setup setup) {
    NestedRegistry().push_back({std::move(name), std::move(summary), std::move(setup)});
  }
};

}  // namespace capstan::hooks::values
