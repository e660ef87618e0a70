// capstan-postrender: a Helm post-renderer. Reads the rendered manifests on stdin, runs the enabled filters
// (checksums, waits, safety settings), writes them to stdout. Helm 3: --post-renderer PATH; Helm 4: the
// `capstan` postrenderer/v1 plugin. This file only parses flags; the options are declared by the filters
// (postrender/config.cc), every failure also reaches the log file and the terminal (postrender/run_log.h), and the
// work is in postrender/ and lib/.
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "cli/cli.h"
#include "cli/completion.h"
#include "log/log.h"
#include "findings/format.h"
#include "postrender/check_output.h"
#include "postrender/config.h"
#include "postrender/filters/all_filters.h"
#include "postrender/namespaces.h"
#include "postrender/pipeline.h"
#include "postrender/report_file.h"
#include "postrender/report_plan.h"
#include "postrender/run_log.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"

int main(int argc, char** argv) {
  using namespace capstan;
  using namespace capstan::postrender;
  CLI::App app{"capstan-postrender: a Helm post-renderer that rolls pods exactly when their configuration "
               "changes.\nReads rendered manifests on stdin, writes them to stdout.\n"
               "Helm 3: helm upgrade REL CHART -n NS --post-renderer capstan-postrender\n"
               "Helm 4: helm plugin install <dir>; helm upgrade REL CHART -n NS --post-renderer capstan\n"
               "Helm passes neither the namespace nor the release name: --namespace (else HELM_NAMESPACE) and "
               "--release are optional (see docs/postrender.md).",
               "capstan-postrender"};
  app.set_version_flag("--version", cli::VersionString("capstan-postrender"));
  Config config;
  cli::AddCommonFlags(app, config.common);
  // Helm 4 discards this process's stderr: failures also go to the log file and the terminal.
  RunLog run_log(argc, argv, config.common, [](const char* name) { return std::getenv(name); });
  run_log.InstallTerminateHandler();

  // Every option is declared by the filter that owns it (postrender/config.cc); the file and the CAPSTAN_*
  // variables apply first, so that flags override them.
  OptionTable options = DeclareOptions(config);
  std::string config_path = ConfigPath(argc, argv);
  try {
    if (!config_path.empty()) options.LoadFile(config_path);
    options.ApplyEnvironment([](const char* name) { return std::getenv(name); });
  } catch (const Error& e) {
    return run_log.Fail(e.what(), e.exit_code());
  }
  app.add_option("--config", config_path, "Configuration file (YAML; keys are the flag names)")
      ->envname("CAPSTAN_CONFIG");
  options.AddFlags(app);
  int completion_exit = 0;  // hidden: capstan-postrender completion bash|zsh|fish (the build installs its output)
  if (cli::HandleCompletionCommand(app, "capstan-postrender", argc, argv, completion_exit)) return completion_exit;

  return cli::RunMain(app, argc, argv, [&]() -> int {
    run_log.Configure();
    for (const auto& w : options.warnings()) log::Warn(w);
    LoadHmacKey(config);
    ResolveReleaseNamespace(config.pipeline, [](const char* name) { return std::getenv(name); });
    if (::isatty(0))
      throw UsageError("capstan-postrender reads rendered manifests on stdin: run it from helm "
                       "(--post-renderer) or pipe helm template output into it");
    std::string input = ReadAll(0);
    Report report;
    PreviousReport previous = LoadPreviousReport(config.previous_report_file, report);
    if (!config.report_file.empty()) PrepareReportFile(config.report_file);
    if (config.check) config.pipeline.fail_on_error_findings = false;
    Pipeline pipeline(config.pipeline, MakeFilters(config));
    if (config.check) {
      pipeline.Run(input, [](std::string_view) {}, report);
      if (WantsPlan(config)) AddPlan(config, input, previous, report);
      findings::RenderOptions ro;
      ro.color = config.output == "text" && ::isatty(1) && std::getenv("NO_COLOR") == nullptr;
      ro.threshold = config.fail_on == "warning" ? findings::Severity::kWarning : findings::Severity::kError;
      WriteAll(1, findings::Render(findings::ParseFormat(config.output), CheckFindings(report, "<stdin>"), ro));
      if (!config.report_file.empty()) WriteReportFile(config.report_file, report.ToJson());
      int code = CheckExitCode(report, config.fail_on);
      if (code != kExitOk)
        run_log.Note("--check: findings at or above --fail-on " + config.fail_on + " (listed on stdout)");
      return code;
    }
    std::string rendered;  // kept for the plan: fingerprints are taken over what Helm applies
    size_t edited = pipeline.Run(input, [&](std::string_view s) {
      WriteAll(1, s);
      if (WantsPlan(config)) rendered += s;
    }, report);
    if (WantsPlan(config)) AddPlan(config, rendered, previous, report);
    if (!config.report_file.empty()) WriteReportFile(config.report_file, report.ToJson());
    if (config.summary) {
      log::Info(Trim(report.Summary()), {{"edited_documents", static_cast<unsigned long>(edited)}});
    }
    return kExitOk;
  }, [&](const std::string& message) { run_log.OnFailure(message); });
}
