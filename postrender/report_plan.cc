#include "postrender/report_plan.h"

#include <filesystem>
#include <system_error>

#include "log/log.h"
#include "plan/report_json.h"
#include "util/error.h"
#include "util/file_io.h"

namespace capstan::postrender {

PreviousReport LoadPreviousReport(const std::string& path, Report& report) {
  PreviousReport p;
  p.path = path;
  if (path.empty()) return p;
  std::error_code ec;
  if (std::filesystem::status(path, ec).type() == std::filesystem::file_type::not_found) {
    p.missing = true;
    log::Info("no previous report at " + path + ": a first deploy, every workload is added (this run's --report "
              "is the previous report of the next one)");
    return p;
  }
  p.text = ReadFile(path);
  try {
    report.LoadPrevious(p.text);
  } catch (const UsageError& e) {
    throw UsageError("--previous-report " + path + ": " + e.what() +
                     ". Give the file an earlier capstan-postrender --report wrote, or remove it to start afresh "
                     "(a missing file is a first deploy)");
  }
  return p;
}

bool WantsPlan(const Config& config) { return !config.report_file.empty() || !config.previous_report_file.empty(); }

void AddPlan(const Config& config, std::string_view rendered, const PreviousReport& previous, Report& report) {
  plan::FingerprintOptions o;
  o.hmac_key = config.checksum.hmac_key;
  o.release_namespace = config.pipeline.namespace_;
  o.exclusions = manifest::CapstanWrites(config.checksum.annotation, config.waits.container_name);
  if (!config.checksum.env_name.empty()) o.ignored_env.push_back(config.checksum.env_name);
  o.checksum = config.checksum.enabled;
  o.opt_in = config.checksum.opt_in;
  o.opt_annotation = config.checksum.opt_out_annotation;
  o.extra_kinds = config.checksum.extra_kinds;
  std::vector<plan::Fingerprint> now = plan::FingerprintStream(rendered, o, "the rendered release");
  if (previous.missing) {
    report.SetPlan(plan::FirstDeploy(now));
  } else if (!previous.path.empty()) {
    try {
      report.SetPlan(plan::Compare(plan::ReadReport(previous.text, previous.path), now));
    } catch (const UsageError& e) {
      log::Warn(std::string("no plan (which workloads roll and why): ") + e.what());
    }
  }
  report.SetFingerprints(std::move(now));
}

}  // namespace capstan::postrender
