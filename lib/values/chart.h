// A chart as the values engine sees it: its name, its values.yaml (with provenance), the `dependencies:` of its
// Chart.yaml (condition, tags, alias, import-values) and its subcharts from charts/ (directories and .tgz
// archives), loaded recursively.
#pragma once
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
  bool enabled = true;
};

struct Chart {
  std::string name;       // metadata.name (or the alias, once the dependency pre-pass applied it)
  std::string version;    // metadata.version
  std::string path;       // directory or archive path as loaded, for messages
  std::string display;    // chart path from the top, e.g. "portal/db"
  Value values;           // values.yaml parsed (a map), with origins pointing into values.yaml
  std::string values_file;  // path of values.yaml (empty if the chart has none)
  bool has_dependencies = false;  // Chart.yaml has a `dependencies:` key (Helm runs the pre-pass only then)
  std::vector<Dependency> dependencies;
  std::vector<std::shared_ptr<Chart>> subcharts;  // from charts/, in directory order

  std::shared_ptr<Chart> Clone() const;  // deep copy (subcharts too)
};

// Loads a chart directory or a packaged .tgz, with its subcharts. helm_major (3 or 4) selects multi-document
// values.yaml handling. Throws UsageError when the path is missing or Chart.yaml/values.yaml cannot be parsed.
std::shared_ptr<Chart> LoadChart(const std::string& path, int helm_major, std::vector<Warning>* warnings = nullptr);

}  // namespace capstan::values
