// A chart's declaration of renamed and deprecated values keys, read from `values.renames.yaml` in the chart
// directory (see docs/values-lint.md):
//
//   renames:
//     - from: image.name          # dotted path as in --set (a\.b for a literal dot)
//       to: image.repository
//       since: 2.0.0              # the chart version that renamed it
//   deprecated:
//     - key: metrics.legacyPort
//       since: 1.8.0
//       message: the exporter listens on metrics.port
//
// `values lint` reports uses of old and deprecated keys; `values migrate` rewrites a customer file (rename_keys.h).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "values/value.h"

namespace capstan::values::lint {

inline constexpr const char* kRenamesFile = "values.renames.yaml";

struct Rename {
  Path from, to;
  std::string since;
  int line = 0;  // in the renames file
};

struct Deprecation {
  Path key;
  std::string since;
  std::string message;
  int line = 0;
};

struct ChartRenames {
  std::string file;  // empty when the chart has no renames file
  std::vector<Rename> renames;
  std::vector<Deprecation> deprecated;

  // The rename whose `from` equals path, following chains (a->b, b->c gives a->c, with the last `since`).
  std::optional<Rename> FindRename(const Path& path) const;
  const Deprecation* FindDeprecation(const Path& path) const;
};

// Parses the renames file text; throws Error naming file:line for a malformed entry.
ChartRenames ParseRenames(const std::string& text, const std::string& file);
// Loads <chart_dir>/values.renames.yaml; an empty ChartRenames when the file does not exist.
ChartRenames LoadRenames(const std::string& chart_dir);

}  // namespace capstan::values::lint
