// The check mode's filter: changes nothing, reports upgrade risks, one finding per object and risk:
//   single-replica        a Deployment/StatefulSet with fewer than 2 replicas (every upgrade or drain interrupts it)
//   pdb-blocks-drain      a PodDisruptionBudget that allows no disruption (minAvailable >= replicas, maxUnavailable 0)
//   no-readiness-probe    containers of a Deployment/StatefulSet/DaemonSet without a readiness probe
//   wait-deadlock         a workload waits for an object that only a post-install/post-upgrade hook creates, while
//                         helm --wait waits for the workload: neither finishes
//   hook-wait-deadlock    a pre-install/pre-upgrade hook waits for an object of the release, which Helm creates
//                         only after the pre hooks succeed
//   wait-without-timeout  an init container's shell loop (until/while ... sleep) with no timeout
//   recreate-strategy     a Deployment with 2+ replicas and strategy Recreate (an outage on every rollout)
//   no-pdb                2+ replicas and no PodDisruptionBudget of the namespace selects their pod template
//   no-prestop-delay      serving containers without a preStop hook, in pods a Service (or an Ingress through it)
//                         selects
//   grace-period-too-short  terminationGracePeriodSeconds (default 30) < preStop delay + shutdown time (annotation
//                         capstan.dev/shutdown-seconds, else 10 s assumed)
//   prestop-sleep-unsupported  the lifecycle sleep action on a Kubernetes version without it (--kube-version:
//                         alpha 1.29, on by default from 1.30, seconds 0 from 1.33; info when the version is unknown)
//   max-unavailable-all   a RollingUpdate maxUnavailable (percent rounded down) that reaches the replica count
// Rules, their help and their default severities are in postrender/check_rules.*; --rule / --skip-rule select them.
// Each finding carries its document, kind/name, '# Source:' file (rewritten under --chart-dir) and a line: with a
// '# Source:' comment, the line in that template's rendered output (the template's own line while no multi-line
// action precedes it); without one, the line of the post-renderer's input.
// A risk that is intended is accepted on the object with capstan.dev/accept-risk: "single-replica, ..." (on the
// workload or its pod template): the finding is then reported as info, saying so.
#pragma once
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "manifest/selector.h"
#include "postrender/filter.h"

namespace capstan::postrender {

class OptionTable;
struct Config;

struct CheckOptions {
  std::vector<std::string> rules;       // --rule: report only these (empty: every rule)
  std::vector<std::string> skip_rules;  // --skip-rule: never these
  int kube_minor = 0;                   // --kube-version 1.N (major 1); 0: not known
  std::string chart_dir;                // --chart-dir: the chart's directory in the repository, for findings' paths
  bool Enabled(const std::string& rule) const;
};

// "1.30", "v1.30.2", "v1.29.3-eks-1234" -> 30; throws UsageError on anything else.
int ParseKubeMinor(const std::string& version);

class CheckFilter : public Filter {
 public:
  CheckFilter() = default;
  explicit CheckFilter(CheckOptions options) : options_(std::move(options)) {}
  // Declares this filter's options (flag, CAPSTAN_* variable, configuration key): docs/postrender.md.
  static void DeclareOptions(OptionTable& table, Config& config);
  const char* name() const override { return "check"; }
  bool Observes(const DocInfo& info) const override { return info.object.is_object; }
  void Observe(const DocInfo& info, const yaml::Node& root) override;
  void Prepare(Report& report) override;
  bool Wants(const DocInfo&) const override { return false; }
  void Apply(const DocInfo&, const yaml::Node&, yaml::Editor&, Report&) override {}

 private:
  struct Container {
    std::string name;
    int line = 0;               // of the container's entry (lines: 0-based in the document, see Object::Line)
    bool init = false;          // an init container (only the sleep-action rule looks at these)
    bool serves = false;        // declares ports
    bool has_prestop = false;
    long long prestop_seconds = 0;  // a sleep action's or an exec `sleep N`'s seconds; 0 when none is known
    std::vector<std::pair<std::string, long long>> sleep_actions;  // "preStop"/"postStart" -> seconds
    int sleep_line = -1;
  };
  struct Object {
    size_t document;
    std::string kind, name, namespace_, source;
    uint32_t first_line = 0;  // the document's first line in the input (0-based)
    int base_line = -1;       // the '# Source:' line (else the '---' line, else -1) in the document
    int body_lines = 0;       // lines after base_line
    int line = 0;             // metadata.name
    std::vector<std::string> hook_events;
    std::set<std::string> accepted;  // capstan.dev/accept-risk
    bool replicated = false, probed_kind = false;
    long long replicas = 1;
    int replicas_line = -1;  // -1: not written (findings point at the name)
    manifest::Labels template_labels;
    std::vector<std::string> containers_without_readiness;
    std::string wait_text;                  // capstan.dev/wait-for and init containers' command lines
    std::vector<std::string> unbounded_loops;  // init containers looping without a timeout
    // Rollout and shutdown (workloads)
    std::string strategy_type, max_unavailable_rollout, max_surge;
    int strategy_line = -1, max_unavailable_line = -1;
    long long grace = -1, shutdown_seconds = -1;  // -1: not set
    int grace_line = -1;
    std::vector<Container> containers;
    // PodDisruptionBudget
    manifest::Selector selector;
    bool selector_present = false;
    std::string min_available, max_unavailable;
    // Service (selector) and Ingress (backend Services)
    manifest::Labels service_selector;
    std::vector<std::string> backends;
  };
  // Adds a finding about o (unless its rule is not selected) at line (0-based in o's document; -1: o's name).
  using Add = std::function<void(const Object& o, findings::Severity severity, const char* rule,
                                 const std::string& message, int line)>;
  // check_rollout.cc: recreate-strategy, no-pdb, max-unavailable-all, no-prestop-delay, grace-period-too-short,
  // prestop-sleep-unsupported.
  static void ObserveRollout(const yaml::Node& root, const yaml::Node& pod_template, Object& o);
  void Rollout(const Object& o, const Add& add) const;
  void Shutdown(const Object& o, const Add& add) const;
  CheckOptions options_;
  std::mutex mu_;
  std::vector<Object> objects_;
};

}  // namespace capstan::postrender
