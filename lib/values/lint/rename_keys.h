// Renaming keys in a values file for `capstan values migrate` (not SQL migrations: those live in lib/migrate):
// rewrites a customer values file so that keys a chart renamed (values.renames.yaml) use their new names, editing
// the YAML text in place (yaml::Edits at yaml::Tree positions) so comments, key order, quoting and formatting
// survive. A rename within the same map replaces the key token; a move to another map cuts the entry (with the
// comment lines directly above it) and re-inserts it, re-indented, under the new parent (created if missing); a map
// left empty by the move is removed, not left as a null that would delete the chart's defaults.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "values/lint/renames.h"
#include "values/lint/source_map.h"

namespace capstan::values::lint {

struct MigrateChange {
  Path from, to;
  std::string since;
  int line = 0;        // line of the old key in the original text
  bool applied = false;
  std::string reason;  // why it was not applied (conflict, flow style, ...)
};

struct MigrateResult {
  std::string text;
  std::vector<MigrateChange> changes;
};

// Applies every rename (chains included) to `text`. Never throws for YAML it cannot edit: the change is listed with
// applied=false and a reason. Throws Error when the text is not valid YAML.
MigrateResult MigrateText(std::string_view text, const ChartRenames& renames, const KeyNormalizer& normalize = {});

}  // namespace capstan::values::lint
