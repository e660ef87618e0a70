// capstan-postrender: a Helm post-renderer. Reads the rendered manifests on stdin, runs the enabled filters
// (checksums, waits, safety settings), writes them to stdout. Helm 3: --post-renderer PATH; Helm 4: the
// `capstan` postrenderer/v1 plugin. This file only parses flags; the work is in postrender/ and lib/.
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "cli/cli.h"
#include "log/log.h"
#include "findings/format.h"
#include "postrender/check_output.h"
#include "postrender/config.h"
#include "postrender/filters/all_filters.h"
#include "postrender/pipeline.h"
#include "util/duration.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace {

// The configuration file is read before the flags, so that flags (and CAPSTAN_* variables) override it.
std::string ConfigPathFromArgs(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--config" && i + 1 < argc) return argv[i + 1];
    if (capstan::StartsWith(a, "--config=")) return a.substr(9);
  }
  const char* env = std::getenv("CAPSTAN_CONFIG");
  return env ? env : "";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace capstan;
  using namespace capstan::postrender;
  CLI::App app{"capstan-postrender: a Helm post-renderer that rolls pods exactly when their configuration "
               "changes.\nReads rendered manifests on stdin, writes them to stdout.\n"
               "Helm 3: helm upgrade REL CHART --post-renderer capstan-postrender "
               "--post-renderer-args --release=REL --post-renderer-args --namespace=NS\n"
               "Helm 4: helm plugin install <dir>; helm upgrade REL CHART --post-renderer capstan "
               "--post-renderer-args --release=REL ...",
               "capstan-postrender"};
  app.set_version_flag("--version", cli::VersionString("capstan-postrender"));
  cli::CommonOptions common;
  cli::AddCommonFlags(app, common);

  Config config;
  std::string config_path = ConfigPathFromArgs(argc, argv);
  std::string max_doc;
  std::vector<std::string> kinds;
  try {
    if (!config_path.empty()) LoadConfigFile(config_path, config);
  } catch (const Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return e.exit_code();
  }
  app.add_option("--config", config_path, "Configuration file (YAML)")->envname("CAPSTAN_CONFIG");
  app.add_option("--release", config.pipeline.release, "Release name (Helm does not pass it: give it here)")
      ->envname("CAPSTAN_RELEASE");
  app.add_option("-n,--namespace", config.pipeline.namespace_, "Release namespace (for objects without one)")
      ->envname("CAPSTAN_NAMESPACE");
  app.add_option("--report", config.report_file, "Write a JSON report of what was done and found")
      ->envname("CAPSTAN_REPORT");
  app.add_option("--previous-report", config.previous_report_file,
                 "A report from the last deploy: the new report says which workloads roll and why");
  app.add_option("--max-document-size", max_doc, "Refuse documents larger than this (default 32Mi)");
  app.add_flag("--summary,!--no-summary", config.summary, "Human summary on stderr (default on)");
  app.add_flag("--checksum,!--no-checksum", config.checksum.enabled, "Config digest annotations (default on)");
  app.add_option("--annotation", config.checksum.annotation, "Digest annotation name")
      ->envname("CAPSTAN_ANNOTATION");
  app.add_flag("--opt-in", config.checksum.opt_in,
               "Only workloads annotated capstan.dev/checksum: \"true\" get a digest");
  app.add_option("--digest-env", config.checksum.env_name,
                 "Also set this environment variable to the digest in every container");
  app.add_option("--hmac-key-file", config.hmac_key_file,
                 "Key for HMAC digests (or CAPSTAN_HMAC_KEY): secrets cannot be brute-forced from the annotation")
      ->envname("CAPSTAN_HMAC_KEY_FILE");
  app.add_flag("--strict", config.checksum.strict, "Fail when a workload references an object not in the release");
  std::string prestop;
  app.add_flag("--pdb", config.safety.pdb,
               "Add a PodDisruptionBudget (maxUnavailable 1) for Deployments/StatefulSets with 2+ replicas and none");
  app.add_option("--prestop-delay", prestop, "Add a preStop sleep of this duration (e.g. 5s) where none is set");
  app.add_flag("--keep-pvcs", config.safety.keep_pvcs, "Annotate PersistentVolumeClaims helm.sh/resource-policy: keep");
  app.add_flag("--safe-rolling-update", config.safety.rolling_update,
               "Deployments without a strategy roll with maxUnavailable 0, maxSurge 1");
  app.add_flag("--waits", config.waits.enabled,
               "Inject a capstan wait init container into workloads annotated capstan.dev/wait-for");
  app.add_option("--wait-image", config.waits.image, "Image of the injected capstan wait container")
      ->envname("CAPSTAN_WAIT_IMAGE");
  app.add_option("--wait-timeout", config.waits.timeout, "--timeout of the injected capstan wait (default 5m)");
  app.add_flag("--check", config.check, "Change nothing: report upgrade risks instead of manifests");
  app.add_option("-o,--output", config.output, "Check mode output: text, json, sarif, github or junit")
      ->check(CLI::IsMember({"text", "json", "sarif", "github", "junit"}));
  app.add_option("--fail-on", config.fail_on, "Check mode: exit 1 on findings of this severity or worse")
      ->check(CLI::IsMember({"warning", "error"}));
  app.add_option("--workload-kind", kinds, "Extra workload kind: GROUP/KIND=PATH (e.g. example.com/Foo=spec.template)");

  return cli::RunMain(app, argc, argv, [&]() -> int {
    cli::ApplyCommonFlags(common);
    if (!max_doc.empty()) config.pipeline.max_document_size = ParseSize(max_doc);
    if (!prestop.empty()) config.safety.prestop_seconds = static_cast<int>(ParseDuration(prestop).count() / 1000);
    for (const auto& k : kinds) config.checksum.extra_kinds.push_back(ParseWorkloadKind(k));
    if (!config.hmac_key_file.empty()) {
      config.checksum.hmac_key = ReadFile(config.hmac_key_file);
      while (!config.checksum.hmac_key.empty() &&
             (config.checksum.hmac_key.back() == '\n' || config.checksum.hmac_key.back() == '\r'))
        config.checksum.hmac_key.pop_back();
      if (config.checksum.hmac_key.empty()) throw UsageError("the HMAC key file " + config.hmac_key_file + " is empty");
    } else if (const char* k = std::getenv("CAPSTAN_HMAC_KEY"); k && *k) {
      config.checksum.hmac_key = k;
    }
    if (::isatty(0))
      throw UsageError("capstan-postrender reads rendered manifests on stdin: run it from helm "
                       "(--post-renderer) or pipe helm template output into it");
    std::string input = ReadAll(0);
    Report report;
    if (!config.previous_report_file.empty()) report.LoadPrevious(ReadFile(config.previous_report_file));
    if (config.check) config.pipeline.fail_on_error_findings = false;
    Pipeline pipeline(config.pipeline, MakeFilters(config));
    if (config.check) {
      pipeline.Run(input, [](std::string_view) {}, report);
      findings::RenderOptions ro;
      ro.color = config.output == "text" && ::isatty(1) && std::getenv("NO_COLOR") == nullptr;
      ro.threshold = config.fail_on == "warning" ? findings::Severity::kWarning : findings::Severity::kError;
      WriteAll(1, findings::Render(findings::ParseFormat(config.output), CheckFindings(report, "<stdin>"), ro));
      if (!config.report_file.empty()) WriteFileAtomic(config.report_file, report.ToJson());
      size_t errors = report.CountFindings("error"), warnings = report.CountFindings("warning");
      if ((config.fail_on == "error" && errors) || (config.fail_on == "warning" && (errors || warnings)))
        return kExitFailed;
      return kExitOk;
    }
    size_t edited = pipeline.Run(input, [](std::string_view s) { WriteAll(1, s); }, report);
    if (!config.report_file.empty()) WriteFileAtomic(config.report_file, report.ToJson());
    if (config.summary) {
      log::Info(Trim(report.Summary()), {{"edited_documents", static_cast<unsigned long>(edited)}});
    }
    return kExitOk;
  });
}
