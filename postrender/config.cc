#include "postrender/config.h"

#include <cstdlib>

#include "log/log.h"
#include "postrender/filters/check_filter.h"
#include "postrender/filters/ordered_start_filter.h"
#include "util/duration.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/redact.h"
#include "util/strings.h"

namespace capstan::postrender {

namespace {

// verbose: true/false or a count (2: debug).
int ParseVerbosity(const std::string& v) {
  std::string lv = ToLower(Trim(v));
  if (lv == "true" || lv == "yes" || lv == "on") return 1;
  if (lv == "false" || lv == "no" || lv == "off") return 0;
  if (!lv.empty() && lv.size() < 3 && lv.find_first_not_of("0123456789") == std::string::npos) return std::stoi(lv);
  throw UsageError("verbose must be true, false or a number, not " + Quote(v));
}

// The pipeline's and the run's own options (the filters declare theirs).
void DeclareRunOptions(OptionTable& t, Config& c) {
  t.Text("release", &c.pipeline.release, "Release name, for the report only (Helm does not pass it)");
  t.Text("namespace", &c.pipeline.namespace_,
         "Release namespace, for objects without one (default: HELM_NAMESPACE, else resolved from the objects)")
      .Short("n");
  t.Parsed("max-document-size", [&c](const std::string& v) { c.pipeline.max_document_size = ParseSize(v); },
           "Refuse documents larger than this (default 32Mi)")
      .Alias("maxDocumentSize");
  t.Parsed("threads", [&c](const std::string& v) {
    if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 3)
      throw UsageError("threads must be a number (0: one per core, at most 4), not " + Quote(v));
    c.pipeline.threads = static_cast<unsigned>(std::stoul(v));
  }, "Worker threads (default 0: one per core, at most 4)");
  t.Text("report", &c.report_file, "Write a JSON report of what was done and found");
  t.Text("previous-report", &c.previous_report_file,
         "A report from the last deploy (a missing file is a first deploy): the new report says which workloads roll "
         "and why");
  t.Bool("summary", &c.summary, "Human summary on stderr (default on)");
  // The common flags and their variables come from cli::AddCommonFlags; these make them file keys too.
  t.Text("log-file", &c.common.log_file, "Log file (default ~/.local/state/capstan/postrender.log)").FileOnly();
  t.Text("log-format", &c.common.log_format, "Log format").Choices({"text", "json"}).FileOnly();
  t.Parsed("verbose", [&c](const std::string& v) { c.common.verbose = ParseVerbosity(v); },
           "More detail in logs (true, or a number)").FileOnly();
  t.Bool("quiet", &c.common.quiet, "Only warnings and errors in logs").FileOnly();
}

}  // namespace

OptionTable DeclareOptions(Config& config) {
  OptionTable t;
  DeclareRunOptions(t, config);
  ChecksumFilter::DeclareOptions(t, config);
  WaitFilter::DeclareOptions(t, config);
  OrderedStartFilter::DeclareOptions(t, config);
  SafetyFilter::DeclareOptions(t, config);
  CheckFilter::DeclareOptions(t, config);
  return t;
}

std::string FlagValue(int argc, char** argv, std::string_view flag) {
  std::string eq = std::string(flag) + "=";
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") break;
    if (a == flag && i + 1 < argc) return argv[i + 1];
    if (StartsWith(a, eq)) return std::string(a.substr(eq.size()));
  }
  return "";
}

std::string ConfigPath(int argc, char** argv) {
  if (std::string flag = FlagValue(argc, argv, "--config"); !flag.empty()) return flag;
  const char* env = std::getenv("CAPSTAN_CONFIG");
  return env ? env : "";
}

void LoadConfigFile(const std::string& path, Config& config) {
  OptionTable t = DeclareOptions(config);
  t.LoadFile(path);
  for (const auto& w : t.warnings()) log::Warn(w);
}

void LoadHmacKey(Config& config) {
  if (!config.hmac_key_file.empty()) {
    std::string key = ReadFile(config.hmac_key_file);
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
    if (key.empty()) throw UsageError("the HMAC key file " + config.hmac_key_file + " is empty");
    config.checksum.hmac_key = std::move(key);
  } else if (const char* k = std::getenv("CAPSTAN_HMAC_KEY"); k && *k) {
    config.checksum.hmac_key = k;
  }
  RegisterSecret(config.checksum.hmac_key);  // never in a message, the log file included
}

manifest::WorkloadKind ParseWorkloadKind(const std::string& spec) {
  size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
    throw UsageError("invalid workload kind " + Quote(spec) + ": use GROUP/KIND=PATH, e.g. example.com/Foo=spec.template");
  std::string gk = spec.substr(0, eq);
  manifest::WorkloadKind k;
  size_t slash = gk.rfind('/');
  k.group = slash == std::string::npos ? "*" : gk.substr(0, slash);
  k.kind = slash == std::string::npos ? gk : gk.substr(slash + 1);
  for (const auto& part : Split(spec.substr(eq + 1), '.', true)) k.template_path.push_back(part);
  if (k.kind.empty()) throw UsageError("invalid workload kind " + Quote(spec) + ": the kind is empty");
  return k;
}

}  // namespace capstan::postrender
