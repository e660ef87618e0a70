// `capstan values lint`: every problem with a chart's values at once, each at the file:line that caused it.
// Rules: yaml (unparsable overlay), merge (Helm would refuse to merge), schema (values.schema.json of the chart and
// of every enabled subchart, against the coalesced values, as Helm validates them), unknown-key (set by an overlay
// but neither in the chart's defaults nor in its schema; did-you-mean), renamed-key and deprecated-key (the chart's
// values.renames.yaml and schema `deprecated: true`), type-surprise (YAML 1.1 readings the author likely did not
// mean: unquoted NO, 0755, 1.10, floats for integers, integers beyond float64 precision, yes/no/on/off keys),
// duplicate-key (a key written twice in one map of an overlay: Helm keeps the last value without a word).
#pragma once
#include <string>
#include <vector>

#include "findings/finding.h"
#include "values/engine.h"
#include "values/yaml_load.h"

namespace capstan::values::lint {

struct LintOptions {
  int helm_major = 4;        // 3: read schemas as Helm 3.17 does (gojsonschema: draft-07 rules, no meta-schema check)
  std::string schema_file;   // --schema: use this schema for the top chart instead of its values.schema.json
  std::string context;       // set on every finding (matrix runs: the environment file)
};

struct LintResult {
  std::vector<findings::Finding> findings;  // sorted (findings::SortAndFold)
  std::vector<std::string> inputs;          // every file read: values files, overlays, schemas, renames files
};

// Lints the chart at `chart_path` with the user's values. Throws UsageError when the chart or a named file cannot be
// read (exit 2); everything wrong with their contents is a finding (a values.yaml Helm cannot read included).
LintResult Lint(const std::string& chart_path, const UserInput& input, const LintOptions& options);
// The same for a chart already loaded (LoadChart), reading -f files and --schema through `inputs` (each read once).
LintResult LintChart(const Chart& chart, const UserInput& input, const LintOptions& options, InputFiles& inputs);

// The `yaml` finding for a values file Helm cannot read (an overlay, or a chart's or subchart's values.yaml): at
// the file and line, what is wrong in plain words, then Helm's own message.
findings::Finding UnreadableValuesFinding(const ValuesParseError& e, int helm_major);

// `--matrix`: lints one combination per entry, the user's input plus the entry's files (several joined with '+',
// e.g. "env/prod.yaml+region/eu.yaml"), each finding's context set to its entry; with no entries, the user's input
// alone. The chart is loaded once and every file read once. Findings are sorted and folded, inputs sorted and
// unique. Throws UsageError for an entry that names no file, or as Lint does.
LintResult LintMatrix(const std::string& chart_path, const UserInput& input, const std::vector<std::string>& matrix,
                      const LintOptions& options);

// The rules above, for SARIF's tool.driver.rules and JUnit.
std::vector<findings::Rule> Rules();

}  // namespace capstan::values::lint
