#include "values/helm_template.h"

#include <chrono>

#include "support/test_support.h"

namespace capstan::test {

HelmTemplateRun HelmTemplate(int major, const std::string& home, const std::string& chart,
                             const std::vector<std::string>& args, const std::string& marker) {
  std::vector<std::string> argv = {Helm(major), "template", "r", chart};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions opt;
  opt.env = {{"HELM_CONFIG_HOME", home + "/config"}, {"HELM_DATA_HOME", home + "/data"},
             {"HELM_CACHE_HOME", home + "/cache"}};
  opt.timeout = std::chrono::milliseconds(120000);
  ProcessResult r = Run(argv, opt);
  if (r.timed_out || r.exit_code < 0) r = Run(argv, opt);  // killed or stuck on a loaded machine: once more
  HelmTemplateRun run;
  if (r.timed_out || r.exit_code < 0) {
    run.error = "helm did not finish (" + std::string(r.timed_out ? "timed out" : "killed by a signal") + ")";
    return run;
  }
  run.out = r.out;
  run.err = r.err;
  if (r.exit_code != 0) {
    size_t p = r.err.find("Error: ");
    run.error = p == std::string::npos ? r.err : r.err.substr(p + 7);
    size_t blank = run.error.find("\n\n");  // Helm adds a blank line and "Use --debug..." to some errors
    if (blank != std::string::npos) run.error.resize(blank);
    while (!run.error.empty() && run.error.back() == '\n') run.error.pop_back();
    return run;
  }
  size_t pos = r.out.find(marker);
  while (pos != std::string::npos && pos > 0 && r.out[pos - 1] != '\n') pos = r.out.find(marker, pos + 1);
  if (pos == std::string::npos) {
    run.error = "no " + marker + "line in helm's output:\n" + r.out;
    return run;
  }
  size_t start = pos + marker.size(), end = r.out.find('\n', start);
  run.line = r.out.substr(start, end == std::string::npos ? std::string::npos : end - start);
  run.ok = true;
  return run;
}

}  // namespace capstan::test
