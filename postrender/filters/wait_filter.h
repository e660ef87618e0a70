// Injects `capstan wait` as the first init container of every workload that declares what it waits for in the
// capstan.dev/wait-for annotation (on the workload or its pod template; grammar in docs/wait.md). The annotation is
// the request: waits are on by default, and the image is --wait-image (or CAPSTAN_WAIT_IMAGE, `wait-image:`), else
// the workload's capstan.dev/wait-image, else the Capstan hook image of this version (kit/injected_container.h).
// Switched off (--waits=false), the filter injects nothing and reports each workload whose wait-for or
// ordered-start annotation it ignored (wait-ignored). The conditions
// are parsed and validated here (a bad annotation is an error naming the document and column) and written back in
// canonical form as the container's arguments. Hook-aware: a pre-install/pre-upgrade/pre-rollback/pre-delete hook
// that would wait for a Service this release creates is not injected (Helm creates those Services only after the
// pre-hooks finished: a deadlock); a finding says so. Idempotent: a workload that already has the container is
// left alone.
#pragma once
#include <map>
#include <mutex>
#include <vector>
#include <set>
#include <string>
#include <utility>

#include "postrender/filter.h"

namespace capstan::postrender {

class OptionTable;
struct Config;

// A configuration-file rule: workloads it selects (every given field must match) wait for wait_for.
struct WaitRule {
  std::string kind;                           // empty: any kind
  std::string name;                           // empty: any name
  std::map<std::string, std::string> labels;  // all must be labels of the workload or of its pod template
  std::string wait_for;                       // the same condition text as the annotation
};

struct WaitOptions {
  std::vector<WaitRule> rules;                    // applied to workloads without the annotation
  bool enabled = true;                            // off only when the user says so: then annotations are reported
  std::string image;                              // "" : the annotation capstan.dev/wait-image, else DefaultHookImage()
  std::string annotation = "capstan.dev/wait-for";
  std::string timeout = "5m";                     // --timeout of the injected command (when no timeout= says less)
  std::string container_name = "capstan-wait";
  std::string cpu_request = "10m";
  std::string memory_request = "16Mi";
  std::string memory_limit = "64Mi";
};

class WaitFilter : public Filter {
 public:
  explicit WaitFilter(WaitOptions options);
  // Declares this filter's options (flag, CAPSTAN_* variable, configuration key): docs/postrender.md.
  static void DeclareOptions(OptionTable& table, Config& config);
  const char* name() const override { return "wait"; }
  bool Observes(const DocInfo& info) const override;
  void Observe(const DocInfo& info, const yaml::Node& root) override;
  bool Wants(const DocInfo& info) const override;
  void Apply(const DocInfo& info, const yaml::Node& root, yaml::Editor& editor, Report& report) override;

 private:
  // A Service this release creates outside hooks (namespace, name).
  bool ReleaseService(const std::string& ns, const std::string& host) const;
  WaitOptions options_;
  long long timeout_ms_ = 0;
  mutable std::mutex mu_;
  std::set<std::pair<std::string, std::string>> services_;
};

}  // namespace capstan::postrender
