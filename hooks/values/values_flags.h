// The flags every `capstan values` subcommand shares, spelled as Helm spells them: -f/--values (repeatable and
// comma-separated), --set, --set-string, --set-json, --set-file, --set-literal (repeatable), --helm 3|4.
#pragma once
#include <CLI/CLI.hpp>

#include "values/engine.h"

namespace capstan::hooks::values {

struct ValuesFlags {
  capstan::values::UserInput input;
  int helm = 4;
  capstan::values::Options options() const {
    capstan::values::Options o;
    o.helm_major = helm;
    return o;
  }
};

void AddValuesFlags(CLI::App& app, ValuesFlags& flags);

// Logs Helm's coalesce warnings once each (Helm prints many twice), with their file:line.
void LogWarnings(const std::vector<capstan::values::Warning>& warnings);

}  // namespace capstan::hooks::values
