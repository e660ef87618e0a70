// The real `helm template` for the values tests that compare with Helm: run in a private Helm home, and the line a
// test chart's template prints after a marker (templates print "#P {{ toJson .Values }}").
#pragma once
#include <string>
#include <vector>

namespace capstan::test {

struct HelmTemplateRun {
  bool ok = false;    // helm exited 0 and printed the marker
  std::string line;   // what follows the marker, up to the end of its line
  std::string error;  // otherwise: Helm's "Error: ..." message (or what went wrong), without the "Error: "
  std::string out, err;
};

// `helm template r CHART ARGS...` with Helm `major` (3 or 4), HELM_*_HOME below `home`.
HelmTemplateRun HelmTemplate(int major, const std::string& home, const std::string& chart,
                             const std::vector<std::string>& args, const std::string& marker = "#P ");

}  // namespace capstan::test
