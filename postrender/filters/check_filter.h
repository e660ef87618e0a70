// The check mode's filter: changes nothing, reports upgrade risks, one finding per object and risk:
//   single-replica        a Deployment/StatefulSet with fewer than 2 replicas (every upgrade or drain interrupts it)
//   pdb-blocks-drain      a PodDisruptionBudget that allows no disruption (minAvailable >= replicas, maxUnavailable 0)
//   no-readiness-probe    containers of a Deployment/StatefulSet/DaemonSet without a readiness probe
//   wait-deadlock         a workload waits for an object that only a post-install/post-upgrade hook creates, while
//                         helm --wait waits for the workload: neither finishes
//   hook-wait-deadlock    a pre-install/pre-upgrade hook waits for an object of the release, which Helm creates
//                         only after the pre hooks succeed
//   wait-without-timeout  an init container's shell loop (until/while ... sleep) with no timeout
// A risk that is intended is accepted on the object with capstan.dev/accept-risk: "single-replica, ..." (on the
// workload or its pod template): the finding is then reported as info, saying so.
#pragma once
#include <set>
#include <mutex>
#include <string>
#include <vector>

#include "manifest/selector.h"
#include "postrender/filter.h"

namespace capstan::postrender {

class OptionTable;
struct Config;

class CheckFilter : public Filter {
 public:
  // Declares this filter's options (flag, CAPSTAN_* variable, configuration key): docs/postrender.md.
  static void DeclareOptions(OptionTable& table, Config& config);
  const char* name() const override { return "check"; }
  bool Observes(const DocInfo& info) const override { return info.object.is_object; }
  void Observe(const DocInfo& info, const yaml::Node& root) override;
  void Prepare(Report& report) override;
  bool Wants(const DocInfo&) const override { return false; }
  void Apply(const DocInfo&, const yaml::Node&, yaml::Editor&, Report&) override {}

 private:
  struct Object {
    size_t document;
    std::string kind, name, namespace_, source;
    std::vector<std::string> hook_events;
    std::set<std::string> accepted;  // capstan.dev/accept-risk
    bool replicated = false, probed_kind = false;
    long long replicas = 1;
    manifest::Labels template_labels;
    std::vector<std::string> containers_without_readiness;
    std::string wait_text;                  // capstan.dev/wait-for and init containers' command lines
    std::vector<std::string> unbounded_loops;  // init containers looping without a timeout
    // PodDisruptionBudget
    manifest::Selector selector;
    std::string min_available, max_unavailable;
  };
  std::mutex mu_;
  std::vector<Object> objects_;
};

}  // namespace capstan::postrender
