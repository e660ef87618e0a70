// capstan roll: the rollout driver for ordered (OnDelete) StatefulSets, run as a post-install/post-upgrade/
// post-rollback hook Job or from a terminal. Thin CLI over lib/roll (roll.h).
#include <iostream>

#include "hooks/command.h"
#include "kube/kube_flags.h"
#include "log/log.h"
#include "roll/roll.h"
#include "util/duration.h"
#include "util/error.h"

namespace {

using namespace capstan;

struct Flags {
  kube::KubeFlags kube;
  std::string statefulset;
  std::string timeout = "30m";
  int max_unavailable = 0;
  int crashloop_restarts = 3;
  std::string unschedulable_grace = "2m";
  std::string lease;
  std::string lease_duration = "30s";
  std::string output = "text";
};

int Run(Flags& f) {
  roll::RollOptions o;
  o.statefulset = f.statefulset;
  o.timeout = ParseDuration(f.timeout);
  o.max_unavailable = f.max_unavailable;
  o.crashloop_restarts = f.crashloop_restarts;
  o.unschedulable_grace = ParseDuration(f.unschedulable_grace);
  o.lease_name = f.lease;
  auto ld = std::chrono::duration_cast<std::chrono::seconds>(ParseDuration(f.lease_duration));
  if (ld.count() < 1) throw UsageError("--lease-duration " + f.lease_duration + ": must be at least 1s");
  o.lease_duration = ld;
  auto client = kube::MakeClient(f.kube, "roll");
  o.ns = f.kube.ns;
  roll::RollReport r = roll::RunRoll(*client, o);
  if (f.output == "json")
    std::cout << r.ToJson() << "\n";
  else
    std::cout << (r.exit_code == 0 ? "rolled out: " : "NOT rolled out: ") << r.message << "\n";
  if (r.exit_code == 0)
    log::Info("rollout complete", {{"statefulset", r.statefulset}, {"replaced", static_cast<long long>(r.replaced.size())},
                                   {"elapsed_seconds", static_cast<long long>(r.elapsed.count() / 1000)}});
  else
    log::Error(r.message, {{"statefulset", r.statefulset}, {"pod", r.failed_pod}, {"container", r.failed_container},
                           {"reason", r.failed_reason}});
  return r.exit_code;
}

capstan::hooks::Registration reg(
    "roll", "Roll out an OnDelete (ordered-start) StatefulSet: replace its old pods in order, fail fast",
    [](CLI::App& sub) -> capstan::hooks::Runner {
      auto f = std::make_shared<Flags>();
      sub.footer(
          "Pod 0 first when the set is ordered-start (capstan.dev/ordered-start), then the others highest ordinal\n"
          "first, at most --max-unavailable at a time. Safe to run again: current pods are never touched.\n"
          "Example (post-upgrade hook):\n"
          "  capstan roll portal-content -n shop --timeout 30m\n"
          "Exit codes: 0 every pod current and Ready, 1 a pod failed / timed out / lease lost, 2 usage,\n"
          "3 API unreachable or interrupted by SIGTERM/SIGINT (run again to continue).");
      sub.add_option("statefulset", f->statefulset, "StatefulSet name")->required();
      kube::AddKubeFlags(sub, f->kube);
      sub.add_option("--timeout", f->timeout, "How long the whole rollout may take")->capture_default_str()
          ->envname("CAPSTAN_TIMEOUT");
      sub.add_option("--max-unavailable", f->max_unavailable,
                     "Pods not Ready or deleted at a time (default: annotation capstan.dev/roll-max-unavailable, "
                     "else 1)")
          ->check(CLI::Range(1, 10000))
          ->envname("CAPSTAN_MAX_UNAVAILABLE");
      sub.add_option("--crashloop-restarts", f->crashloop_restarts,
                     "Fail once a new pod's container in CrashLoopBackOff restarted this often")
          ->capture_default_str()
          ->check(CLI::Range(1, 1000));
      sub.add_option("--unschedulable-grace", f->unschedulable_grace,
                     "How long a new pod may stay Unschedulable (autoscalers add nodes)")
          ->capture_default_str();
      sub.add_option("--lease", f->lease, "Lease name (default capstan-roll-STATEFULSET)");
      sub.add_option("--lease-duration", f->lease_duration, "Lease duration; renewed every third of it")
          ->capture_default_str();
      sub.add_option("-o,--output", f->output, "Output: text or json")->check(CLI::IsMember({"text", "json"}));
      return [f]() { return Run(*f); };
    });

}  // namespace
