// `capstan values lint CHART`: schema, unknown keys, renamed/deprecated keys and type surprises, every finding at
// once at its file:line, in text, JSON, SARIF, GitHub annotations or JUnit. --matrix lints one combination per
// environment file (base -f files + that file) and reports every failure before exiting.
#include <unistd.h>

#include <cstdlib>
#include <memory>

#include "capstan_version.h"
#include "findings/format.h"
#include "hooks/values/values_command.h"
#include "hooks/values/values_flags.h"
#include "log/log.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"
#include "values/lint/linter.h"

namespace capstan::hooks::values {
namespace {

namespace lint = capstan::values::lint;
namespace fnd = capstan::findings;

struct LintFlags {
  ValuesFlags values;
  std::string chart;
  std::string schema;
  std::vector<std::string> matrix;
  bool strict = false;
  std::string output;
};

Runner Setup(CLI::App& app) {
  auto f = std::make_shared<LintFlags>();
  app.add_option("chart", f->chart, "Chart directory or packaged chart (.tgz)")->required();
  AddValuesFlags(app, f->values);
  app.add_option("--schema", f->schema, "Validate the top chart against this JSON Schema instead of its "
                                        "values.schema.json")
      ->type_name("FILE");
  app.add_option("--matrix", f->matrix,
                 "Lint one combination per entry: the -f files plus this file (join several with '+', e.g. "
                 "env/prod.yaml+region/eu.yaml); repeatable")
      ->type_name("FILE[+FILE]")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_flag("--strict", f->strict, "Fail on warnings too (exit 1)");
  app.add_option("-o,--output", f->output, "Output: text (default), json, sarif, github or junit")
      ->check(CLI::IsMember({"text", "json", "sarif", "github", "junit"}));
  app.footer(
      "Exit codes: 0 clean (warnings allowed unless --strict), 1 findings, 2 usage or unreadable input.\n"
      "Examples:\n"
      "  capstan values lint charts/portal -f custom_values.yaml\n"
      "  capstan values lint charts/portal -f base.yaml --matrix env/dev.yaml --matrix env/prod.yaml -o sarif");
  return [f]() -> int {
    lint::LintOptions options;
    options.helm_major = f->values.helm;
    options.schema_file = f->schema;
    fnd::Report report;
    report.tool = "capstan";
    report.tool_version = CAPSTAN_VERSION;
    report.title = "capstan values lint " + f->chart;
    report.rules = lint::Rules();
    std::vector<std::vector<std::string>> combos;
    std::vector<std::string> labels;
    if (f->matrix.empty()) {
      combos.push_back({});
      labels.push_back("");
    }
    for (const auto& m : f->matrix) {
      std::vector<std::string> files = Split(m, '+', true);
      if (files.empty()) throw UsageError("--matrix '" + m + "' names no file: pass --matrix env/dev.yaml");
      combos.push_back(files);
      labels.push_back(m);
    }
    for (size_t i = 0; i < combos.size(); ++i) {
      capstan::values::UserInput input = f->values.input;
      input.value_files.insert(input.value_files.end(), combos[i].begin(), combos[i].end());
      options.context = labels[i];
      lint::LintResult r = lint::Lint(f->chart, input, options);
      report.findings.insert(report.findings.end(), r.findings.begin(), r.findings.end());
      report.inputs.insert(report.inputs.end(), r.inputs.begin(), r.inputs.end());
      if (!labels[i].empty()) {
        auto n = fnd::Count(r.findings);
        log::Debug("matrix combination linted", {{"combination", labels[i]}, {"errors", n.errors},
                                                 {"warnings", n.warnings}});
      }
    }
    fnd::SortAndFold(report.findings);
    std::sort(report.inputs.begin(), report.inputs.end());
    report.inputs.erase(std::unique(report.inputs.begin(), report.inputs.end()), report.inputs.end());
    fnd::RenderOptions ro;
    ro.threshold = f->strict ? fnd::Severity::kWarning : fnd::Severity::kError;
    ro.color = ::isatty(1) && std::getenv("NO_COLOR") == nullptr;
    fnd::Format format = fnd::ParseFormat(f->output.empty() ? "text" : f->output);
    WriteAll(1, fnd::Render(format, report, ro));
    return fnd::AnyAtOrAbove(report.findings, ro.threshold) ? kExitFailed : kExitOk;
  };
}

ValuesRegistration reg("lint",
                       "Lint values: schema, unknown keys, renamed/deprecated keys, type surprises, at file:line",
                       Setup);

}  // namespace
}  // namespace capstan::hooks::values
