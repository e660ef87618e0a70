// capstan-postrender's settings: defaults, then the configuration file (--config), then CAPSTAN_* environment
// variables, then flags. The file is YAML; unknown keys are errors with a did-you-mean suggestion.
#pragma once
#include <string>

#include "postrender/filters/checksum_filter.h"
#include "postrender/pipeline.h"

namespace capstan::postrender {

struct Config {
  PipelineOptions pipeline;
  ChecksumOptions checksum;
  std::string hmac_key_file;
  std::string report_file;
  std::string previous_report_file;
  bool summary = true;  // human summary on stderr
};

// Loads a configuration file into config (fields it sets override the defaults already there).
void LoadConfigFile(const std::string& path, Config& config);
// "group/Kind=spec.template" (group may be empty or "*"), for --workload-kind.
manifest::WorkloadKind ParseWorkloadKind(const std::string& spec);

}  // namespace capstan::postrender
