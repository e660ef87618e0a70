// capstan-postrender's settings. Every option is declared once, by the filter that owns it (its DeclareOptions)
// or here (the pipeline's and the run's), in an OptionTable: the option's name is its flag, its configuration-file
// key and its CAPSTAN_* environment variable. Precedence: flag > environment > file (--config) > default.
#pragma once
#include <string>
#include <string_view>

#include "cli/cli.h"
#include "postrender/filters/check_filter.h"
#include "postrender/filters/checksum_filter.h"
#include "postrender/filters/safety_filter.h"
#include "postrender/filters/wait_filter.h"
#include "postrender/option_table.h"
#include "postrender/pipeline.h"

namespace capstan::postrender {

struct Config {
  cli::CommonOptions common;  // --log-file, --log-format, -v, -q (flags from cli::AddCommonFlags; file keys here)
  PipelineOptions pipeline;
  ChecksumOptions checksum;
  SafetyOptions safety;
  WaitOptions waits;
  std::string ordered_start_timeout = "30m";  // how long pods > 0 wait for pod 0 (capstan.dev/ordered-start)
  bool check = false;           // check mode: change nothing, report risks
  std::string output = "text";  // check mode output: text | json | sarif | github | junit
  std::string fail_on;          // check mode: exit 1 at findings of this severity or worse (warning | error)
  CheckOptions check_options;   // check mode: --rule, --skip-rule, --kube-version, --chart-dir
  std::string hmac_key_file;
  std::string report_file;
  std::string previous_report_file;
  bool summary = true;  // human summary on stderr
};

// Every option of capstan-postrender, bound to config (which must outlive the table).
OptionTable DeclareOptions(Config& config);
// The value of a flag on a command line not parsed yet: "--flag VALUE" or "--flag=VALUE" (before a "--"); "" when
// absent.
std::string FlagValue(int argc, char** argv, std::string_view flag);
// The configuration file named by --config / --config=FILE in argv, else by CAPSTAN_CONFIG; "" when none.
std::string ConfigPath(int argc, char** argv);
// Applies a configuration file to config (keys it sets override what config holds); deprecated keys are logged
// as warnings.
void LoadConfigFile(const std::string& path, Config& config);
// Loads the HMAC key of the digests from hmac_key_file (trailing newlines dropped; an empty file is an error),
// else from the CAPSTAN_HMAC_KEY variable. The key is never logged.
void LoadHmacKey(Config& config);
// "group/Kind=spec.template" (group may be empty or "*"), for --workload-kind.
manifest::WorkloadKind ParseWorkloadKind(const std::string& spec);

}  // namespace capstan::postrender
