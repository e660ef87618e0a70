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
#include "util/error.h"
#include "util/file_io.h"
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
    lint::LintResult r = lint::LintMatrix(f->chart, f->values.input, f->matrix, options);
    report.findings = std::move(r.findings);
    report.inputs = std::move(r.inputs);
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
