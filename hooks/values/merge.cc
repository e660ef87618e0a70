// `capstan values merge CHART`: the chart's .Values exactly as Helm computes them.
#include <memory>
#include <utility>

#include "hooks/values/values_command.h"
#include "hooks/values/values_flags.h"
#include "util/error.h"
#include "util/file_io.h"
#include "values/output.h"

namespace capstan::hooks::values {
namespace {

struct MergeFlags {
  ValuesFlags values;
  std::string chart;
  std::string output = "yaml";
};

Runner Setup(CLI::App& app) {
  auto f = std::make_shared<MergeFlags>();
  app.add_option("chart", f->chart, "Chart directory or packaged chart (.tgz)")->required();
  AddValuesFlags(app, f->values);
  app.add_option("-o,--output", f->output, "Output format: yaml (like toYaml) or json (like toJson)")
      ->check(CLI::IsMember({"yaml", "json"}));
  app.footer(
      "Example: capstan values merge charts/portal -f custom_values.yaml -f prod.yaml --set image.tag=2.1 -o json");
  return [f]() -> int {
    auto opts = f->values.options();
    auto chart = capstan::values::LoadChart(f->chart, opts.helm_major);
    // Without the per-layer copies ComputeValues keeps for explain and lint: one copy of a large -f file fewer.
    auto user = capstan::values::MergeUserValues(f->values.input, opts);
    auto result = capstan::values::ComputeValuesFrom(*chart, std::move(user), opts);
    LogWarnings(result.warnings);
    std::string out = f->output == "json" ? capstan::values::ToJson(result.values) + "\n"
                                          : capstan::values::ToYaml(result.values);
    WriteAll(1, out);
    return kExitOk;
  };
}

ValuesRegistration reg("merge", "Print the merged values of a chart plus -f files and --set flags, as Helm merges them",
                       Setup);

}  // namespace
}  // namespace capstan::hooks::values
