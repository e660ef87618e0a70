// The plan step of capstan-postrender: --previous-report (a missing file is a first deploy, not an error), and,
// with --report or --previous-report, the fingerprints of the rendered release and the plan against the previous
// report (lib/plan), stored in the report and summarised on stderr.
#pragma once
#include <string>
#include <string_view>

#include "postrender/config.h"
#include "postrender/report.h"

namespace capstan::postrender {

struct PreviousReport {
  std::string path;     // --previous-report; "" when not given
  bool missing = false;  // the file does not exist: a first deploy
  std::string text;
};

// Reads --previous-report into report (its config digests). A file that does not exist is a first deploy (an info
// line); one that cannot be read or is not a report is a UsageError naming it.
PreviousReport LoadPreviousReport(const std::string& path, Report& report);

// Whether the run computes fingerprints and a plan (--report or --previous-report given).
bool WantsPlan(const Config& config);

// Fingerprints the rendered release (the post-renderer's output: what Capstan wrote is left out) and, with a
// previous report, adds the plan to report. A previous report without fingerprints (an older capstan-postrender)
// gives a warning and no plan.
void AddPlan(const Config& config, std::string_view rendered, const PreviousReport& previous, Report& report);

}  // namespace capstan::postrender
