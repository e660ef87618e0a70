#include "postrender/check_output.h"

#include "capstan_version.h"

namespace capstan::postrender {

findings::Report CheckFindings(const Report& report, const std::string& input_name) {
  findings::Report out;
  out.tool = "capstan-postrender";
  out.tool_version = CAPSTAN_VERSION;
  out.title = "capstan-postrender --check";
  using findings::Severity;
  out.rules = {
      {"single-replica", "A Deployment or StatefulSet runs fewer than 2 replicas", Severity::kWarning},
      {"pdb-blocks-drain", "A PodDisruptionBudget allows no voluntary disruption", Severity::kWarning},
      {"no-readiness-probe", "Containers without a readiness probe", Severity::kWarning},
      {"wait-deadlock", "A workload waits for an object that only a post-install/post-upgrade hook creates",
       Severity::kError},
      {"hook-wait-deadlock", "A pre-install/pre-upgrade hook waits for an object of the release", Severity::kError},
      {"wait-without-timeout", "An init container waits in a shell loop without a timeout", Severity::kWarning},
  };
  out.inputs = {input_name};
  for (const auto& f : report.Findings()) {
    findings::Finding g;
    g.severity = findings::ParseSeverity(f.severity);
    g.rule = f.code;
    g.message = f.object + ": " + f.message;
    g.file = f.source.empty() ? input_name : f.source;
    g.context = "document " + std::to_string(f.document);
    out.findings.push_back(std::move(g));
  }
  findings::SortAndFold(out.findings);
  return out;
}

}  // namespace capstan::postrender
