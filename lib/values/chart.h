// A chart as the values engine sees it: its name, its values.yaml (with provenance), the `dependencies:` of its
// Chart.yaml (condition, tags, alias, import-values), the text of its values.schema.json and values.renames.yaml
// (for the linter, so nothing re-opens the chart) and its subcharts from charts/ (directories and .tgz archives),
// loaded recursively. Files are loaded as Helm loads them: an irregular file (FIFO, device, link to one) is refused
// with Helm's "cannot load irregular file", and a file over Helm's 5 MiB limit with its "larger than the maximum".
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "values/value.h"

namespace capstan::values {

struct Dependency {
  std::string name;
  std::string version;
  std::string alias;
  std::string condition;
  std::vector<std::string> tags;
  Value import_values;  // the raw `import-values:` list (strings or {child, parent} maps); null when absent
  // The dependency pre-pass rewrote import_values to Helm's normalised form ({child, parent} maps that Helm stores
  // as map[string]string, which its import pass then no longer recognises: see engine.cc AliasCopy).
  bool import_values_normalized = false;
  bool enabled = true;
};

// Helm's limit for one file of a chart (pkg/chart/loader: MaxDecompressedFileSize).
inline constexpr size_t kMaxChartFileBytes = size_t{5} << 20;

struct Chart {
  std::string name;       // metadata.name (or the alias, once the dependency pre-pass applied it)
  std::string version;    // metadata.version
  std::string path;       // directory or archive path as loaded, for messages
  std::string display;    // chart path from the top, e.g. "portal/db"
  Value values;           // values.yaml parsed (a map), with origins pointing into values.yaml
  std::string values_file;  // path of values.yaml (empty if the chart has none)
  std::string schema_file;  // path of values.schema.json as loaded ("x.tgz/values.schema.json" in an archive)
  std::string schema_text;  // its bytes (empty, as schema_file, when the chart has none)
  std::string renames_file;  // path of values.renames.yaml (renamed and deprecated keys), empty when none
  std::string renames_text;
  bool has_dependencies = false;  // Chart.yaml has a `dependencies:` key (Helm runs the pre-pass only then)
  std::vector<Dependency> dependencies;
  std::vector<std::shared_ptr<Chart>> subcharts;  // from charts/, in directory order

  std::shared_ptr<Chart> Clone() const;  // deep copy (subcharts too)
};

// Loads a chart directory or a packaged .tgz, with its subcharts. helm_major (3 or 4) selects multi-document
// values.yaml handling. Throws UsageError when the path is missing or Chart.yaml/values.yaml cannot be parsed.
std::shared_ptr<Chart> LoadChart(const std::string& path, int helm_major, std::vector<Warning>* warnings = nullptr);

}  // namespace capstan::values
