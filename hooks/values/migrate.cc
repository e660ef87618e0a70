// `capstan values migrate CHART -f custom_values.yaml`: rewrites customer values files so that keys the chart
// renamed (its values.renames.yaml) use their new names, keeping comments, key order and formatting.
#include <memory>

#include "hooks/values/values_command.h"
#include "log/log.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"
#include "values/chart.h"
#include "values/lint/rename_keys.h"
#include "values/lint/renames.h"

namespace capstan::hooks::values {
namespace {

namespace lint = capstan::values::lint;

struct MigrateFlags {
  std::string chart;
  std::vector<std::string> files;
  bool to_stdout = false;
  bool check = false;
};

Runner Setup(CLI::App& app) {
  auto f = std::make_shared<MigrateFlags>();
  app.add_option("chart", f->chart, "Chart directory (with values.renames.yaml)")->required();
  app.add_option("-f,--values", f->files, "Values file to rewrite in place (repeatable, or comma-separated)")
      ->delimiter(',')
      ->required()
      ->type_name("FILE");
  app.add_flag("--stdout", f->to_stdout, "Print the migrated file instead of rewriting it (one file only)");
  app.add_flag("--check", f->check, "Change nothing; exit 1 if a file uses renamed keys");
  app.footer("Example: capstan values migrate charts/portal -f custom_values.yaml");
  return [f]() -> int {
    if (f->to_stdout && f->files.size() != 1) throw UsageError("--stdout takes exactly one -f file");
    std::string renames_path = f->chart + "/" + lint::kRenamesFile;
    if (!FileExists(renames_path)) {
      // A packaged chart or a chart without renames: nothing to migrate, but say so.
      log::Info("the chart declares no renamed keys", {{"file", renames_path}});
    }
    lint::ChartRenames renames = lint::LoadRenames(f->chart);
    int rc = kExitOk;
    for (const auto& file : f->files) {
      std::string text = ReadFile(file);
      lint::MigrateResult m;
      try {
        m = lint::MigrateText(text, renames);
      } catch (const Error& e) {
        throw Error(file + ": " + e.what());
      }
      size_t applied = 0;
      for (const auto& c : m.changes) {
        std::string from = capstan::values::FormatPath(c.from), to = capstan::values::FormatPath(c.to);
        std::string where = file + ":" + std::to_string(c.line);
        if (c.applied) {
          ++applied;
          log::Info(f->check ? "uses a renamed key" : "renamed key", {{"at", where}, {"from", from}, {"to", to}});
        } else {
          rc = kExitFailed;
          log::Error("cannot rename key automatically",
                     {{"at", where}, {"from", from}, {"to", to}, {"reason", c.reason}});
        }
      }
      if (f->check) {
        if (!m.changes.empty()) rc = kExitFailed;
        continue;
      }
      if (f->to_stdout) {
        WriteAll(1, m.text);
      } else if (applied > 0) {
        WriteFileAtomic(file, m.text);
        log::Info("file migrated", {{"file", file}, {"renamed", applied}});
      } else {
        log::Info("nothing to migrate", {{"file", file}});
      }
    }
    return rc;
  };
}

ValuesRegistration reg("migrate", "Rewrite values files to use keys the chart renamed, keeping comments and order",
                       Setup);

}  // namespace
}  // namespace capstan::hooks::values
