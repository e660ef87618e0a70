// The check mode's output: the post-renderer's findings as a findings::Report, rendered by the same formatters as
// `capstan values lint` (text, JSON, SARIF 2.1.0, GitHub annotations, JUnit).
#pragma once
#include <string>

#include "findings/finding.h"
#include "postrender/report.h"

namespace capstan::postrender {

findings::Report CheckFindings(const Report& report, const std::string& input_name);
// The check mode's exit code: 1 (kExitFailed) when fail_on is "error" and there is an error finding, or
// "warning" and there is a warning or error finding; else 0. An empty fail_on never fails.
int CheckExitCode(const Report& report, const std::string& fail_on);

}  // namespace capstan::postrender
