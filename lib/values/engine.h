// The values engine: computes a chart's `.Values` exactly as Helm 3.17 / 4.1 do (MergeValues of the user's -f and
// --set* flags, the dependency pre-pass with conditions, tags and import-values, CoalesceValues with subcharts and
// globals), keeping the provenance of every node, and answers "which layers set path P".
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "values/chart.h"
#include "values/input_files.h"
#include "values/value.h"

namespace capstan::values {

// The user's values, as given on the command line (each list in command-line order).
struct UserInput {
  std::vector<std::string> value_files;  // -f/--values (comma-separated entries already split or not: both work)
  std::vector<std::string> set_json;
  std::vector<std::string> set;
  std::vector<std::string> set_string;
  std::vector<std::string> set_file;
  std::vector<std::string> set_literal;
};

struct Options {
  int helm_major = 4;  // 3 or 4
  // Where -f and --set-file inputs are read from; each file is read once per InputFiles. nullptr: a fresh one per
  // call (every file read from disk, "-" from standard input).
  InputFiles* inputs = nullptr;
};

// One user layer after parsing: its description and the values it contributes alone.
struct ParsedLayer {
  LayerPtr layer;
  Value values;  // a map
};

// MergeValues (pkg/cli/values/options.go): the user values U with provenance. Also returns each layer parsed on its
// own (for explain/lint). Throws UsageError for unreadable files, Error for unparsable YAML or flags.
Value MergeUserValues(const UserInput& input, const Options& options, std::vector<ParsedLayer>* layers = nullptr);

// What one import-values entry of a Chart.yaml dependency copied into a chart's defaults.
struct ImportedValues {
  Path into;          // where the importing chart's values are in the top chart's .Values (empty: the top chart)
  Value values;       // the imported table at the importing chart's level (`parent` applied), with the child's origins
  std::string via;    // "import-values <dependency>.<child> -> <parent>" or "import-values <dependency>.exports.<x>"
};

struct MergeResult {
  Value values;                       // the top chart's .Values
  std::shared_ptr<Chart> chart;       // the chart after the dependency pre-pass (disabled subcharts removed)
  Value user;                         // U (after MergeValues)
  std::vector<ParsedLayer> layers;    // user layers, lowest precedence first
  std::vector<Warning> warnings;      // Helm's coalesce warnings, with origins
  std::vector<ImportedValues> imports;  // import-values that took effect, in the order Helm applied them
};

// The whole pipeline of `helm template`: MergeValues, ProcessDependenciesWithMerge, CoalesceValues.
MergeResult ComputeValues(const Chart& chart, const UserInput& input, const Options& options);
// Same, for user values already merged.
MergeResult ComputeValuesFrom(const Chart& chart, Value user, const Options& options);

// One layer's say about a path, for `explain`.
struct Contribution {
  enum class Action { kSet, kDelete, kShadowed };  // set a value, null that deletes, scalar set on a parent path
  Action action = Action::kSet;
  Origin origin;       // where (file:line or --set #n)
  Value value;         // the value this layer gives (null for kDelete)
  std::string via;     // how it reaches the path: "" (directly), "global", "subchart ...", "import-values ..."
};

// Every layer that sets or deletes `path` of the top chart's values, lowest precedence first: chart defaults
// (parent and subchart values.yaml, globals), -f files and --set* flags.
std::vector<Contribution> Explain(const MergeResult& result, const Chart& original_chart, const Path& path);

}  // namespace capstan::values
