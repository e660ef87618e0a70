#include "postrender/check_output.h"

#include "capstan_version.h"
#include "postrender/check_rules.h"
#include "util/error.h"

namespace capstan::postrender {

findings::Report CheckFindings(const Report& report, const std::string& input_name) {
  findings::Report out;
  out.tool = "capstan-postrender";
  out.tool_version = CAPSTAN_VERSION;
  out.title = "capstan-postrender --check";
  out.rules = CheckRules();
  out.inputs = {input_name};
  for (const auto& f : report.Findings()) {
    findings::Finding g = f;  // the object goes into the message, the document into the context
    g.message = f.object + ": " + f.message;
    if (g.file.empty()) g.file = input_name;
    g.context = "document " + std::to_string(f.document);
    out.findings.push_back(std::move(g));
  }
  findings::SortAndFold(out.findings);
  return out;
}

int CheckExitCode(const Report& report, const std::string& fail_on) {
  if (fail_on.empty()) return kExitOk;
  findings::Severity threshold = findings::ParseSeverity(fail_on);
  for (const auto& f : report.Findings())
    if (f.severity <= threshold && f.severity != findings::Severity::kInfo) return kExitFailed;
  return kExitOk;
}

}  // namespace capstan::postrender
