// `values lint --matrix`: one lint run per environment combination (the base -f files plus each entry's files),
// sharing one loaded chart and one set of input files, every finding tagged with its combination.
#include <algorithm>

#include "log/log.h"
#include "util/error.h"
#include "util/strings.h"
#include "values/lint/linter.h"

namespace capstan::values::lint {

LintResult LintMatrix(const std::string& chart_path, const UserInput& input, const std::vector<std::string>& matrix,
                      const LintOptions& options) {
  std::vector<std::vector<std::string>> combos;
  std::vector<std::string> labels;
  if (matrix.empty()) {
    combos.push_back({});
    labels.push_back("");
  }
  for (const auto& m : matrix) {
    std::vector<std::string> files = Split(m, '+', true);
    if (files.empty()) throw UsageError("--matrix '" + m + "' names no file: pass --matrix env/dev.yaml");
    combos.push_back(files);
    labels.push_back(m);
  }
  std::shared_ptr<Chart> chart;
  LintResult all;
  try {
    chart = LoadChart(chart_path, options.helm_major);
  } catch (const ValuesParseError& e) {  // a values.yaml of the chart or a subchart Helm cannot read
    findings::Finding f = UnreadableValuesFinding(e, options.helm_major);
    f.context = options.context;
    all.findings.push_back(std::move(f));
    all.inputs.push_back(e.file());
    return all;
  }
  InputFiles inputs;
  for (size_t i = 0; i < combos.size(); ++i) {
    UserInput combined = input;
    combined.value_files.insert(combined.value_files.end(), combos[i].begin(), combos[i].end());
    LintOptions o = options;
    o.context = labels[i].empty() ? options.context : labels[i];
    LintResult r = LintChart(*chart, combined, o, inputs);
    all.findings.insert(all.findings.end(), r.findings.begin(), r.findings.end());
    all.inputs.insert(all.inputs.end(), r.inputs.begin(), r.inputs.end());
    if (!labels[i].empty()) {
      auto n = findings::Count(r.findings);
      log::Debug("matrix combination linted",
                 {{"combination", labels[i]}, {"errors", n.errors}, {"warnings", n.warnings}});
    }
  }
  findings::SortAndFold(all.findings);
  std::sort(all.inputs.begin(), all.inputs.end());
  all.inputs.erase(std::unique(all.inputs.begin(), all.inputs.end()), all.inputs.end());
  return all;
}

}  // namespace capstan::values::lint
