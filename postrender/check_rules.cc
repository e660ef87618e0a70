#include "postrender/check_rules.h"

#include "util/error.h"
#include "util/strings.h"
#include "util/suggest.h"

namespace capstan::postrender {

namespace {

using findings::Severity;

const char* kAccept =
    "If the risk is intended, accept it on the workload or its pod template with the annotation "
    "capstan.dev/accept-risk: \"RULE\" (a comma-separated list): the finding is then reported as info.";

// One rule: the summary, why it matters, how to fix it and a YAML example of the fix, as text and as Markdown.
findings::Rule Make(const std::string& id, Severity severity, const std::string& summary, const std::string& why,
                    const std::string& fix, const std::string& yaml) {
  std::string accept = kAccept;
  accept.replace(accept.find("RULE"), 4, id);
  findings::Rule r;
  r.id = id;
  r.summary = summary;
  r.default_severity = severity;
  r.description = summary + ". " + why;
  r.help = summary + ".\n\nWhy: " + why + "\n\nHow to fix: " + fix + "\n\nExample:\n" + yaml + "\n" + accept;
  r.help_markdown = "**" + summary + ".**\n\n" + why + "\n\n**How to fix:** " + fix + "\n\n```yaml\n" + yaml +
                    "```\n\n" + accept + "\n";
  return r;
}

std::vector<findings::Rule> Build() {
  return {
      Make("single-replica", Severity::kWarning, "A Deployment or StatefulSet runs fewer than 2 replicas",
           "With one pod, every rollout, node drain and crash interrupts the service.",
           "Run 2 or more replicas and give them a PodDisruptionBudget.",
           "spec:\n  replicas: 2\n"),
      Make("pdb-blocks-drain", Severity::kWarning, "A PodDisruptionBudget allows no voluntary disruption",
           "With maxUnavailable 0, or minAvailable equal to the replicas (or 100%), no pod may ever be evicted: "
           "kubectl drain and node upgrades hang until someone deletes the budget. Kubernetes rounds a percentage "
           "up for both fields.",
           "Allow one pod at a time to go.",
           "apiVersion: policy/v1\nkind: PodDisruptionBudget\nspec:\n  maxUnavailable: 1\n"
           "  unhealthyPodEvictionPolicy: AlwaysAllow\n  selector:\n    matchLabels: {app: web}\n"),
      Make("no-readiness-probe", Severity::kWarning, "Containers without a readiness probe",
           "Without a readiness probe, a Service sends traffic to a pod as soon as its containers start, before "
           "the application serves, and a rollout cannot tell a broken pod from a working one.",
           "Give every serving container a readiness probe.",
           "containers:\n  - name: web\n    readinessProbe:\n      httpGet: {path: /ready, port: http}\n"),
      Make("wait-deadlock", Severity::kError,
           "A workload waits for an object that only a post-install/post-upgrade hook creates",
           "Helm runs post-install and post-upgrade hooks after the release's resources are ready (with --wait), "
           "while the workload waits for what the hook creates: neither ever finishes.",
           "Create the object as a regular resource of the release (not a hook), or wait for something else.",
           "metadata:\n  annotations:\n    capstan.dev/wait-for: tcp://db:5432   # db is a regular Service\n"),
      Make("hook-wait-deadlock", Severity::kError, "A pre-install/pre-upgrade hook waits for an object of the release",
           "Helm creates the release's resources only after the pre hooks succeed; on install the object never "
           "exists while the hook waits for it.",
           "Let the hook wait only for what exists before the release (an external database), or make it a "
           "post-install/post-upgrade hook.",
           "metadata:\n  annotations:\n    helm.sh/hook: post-install,post-upgrade\n"),
      Make("wait-without-timeout", Severity::kWarning, "An init container waits in a shell loop without a timeout",
           "A missing dependency hangs the rollout silently: the pod stays in Init until Helm's own timeout, with "
           "no message saying what is missing.",
           "Use capstan wait with a timeout (or wrap the loop in timeout).",
           "initContainers:\n  - name: wait-db\n    command: [capstan, wait, --timeout, 5m, tcp://db:5432]\n"),
      Make("recreate-strategy", Severity::kWarning, "A Deployment with more than one replica uses strategy Recreate",
           "Recreate stops every old pod before it starts a new one: each rollout is a full outage, however many "
           "replicas run.",
           "Roll the pods one by one with RollingUpdate (keep Recreate only where two versions must never run "
           "together, and accept the risk there).",
           "spec:\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 0\n"
           "      maxSurge: 1\n"),
      Make("no-pdb", Severity::kWarning,
           "Two or more replicas and no PodDisruptionBudget selects their pods",
           "Without a budget, a node drain or cluster upgrade may evict all replicas at once. The budget must be "
           "in the workload's namespace and its selector must match the pod template's labels.",
           "Add a PodDisruptionBudget that lets one pod go at a time (or run capstan-postrender --pdb).",
           "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  maxUnavailable: 1\n"
           "  selector:\n    matchLabels: {app: web}\n"),
      Make("no-prestop-delay", Severity::kWarning, "Pods behind a Service or Ingress stop without a preStop delay",
           "When a pod is deleted, the kubelet sends SIGTERM at once while Service endpoints, kube-proxy and "
           "Ingress controllers take a few seconds to stop routing to it: requests in that window are dropped.",
           "Add a preStop delay of a few seconds to the serving containers (or run capstan-postrender "
           "--prestop-delay 5s).",
           "containers:\n  - name: web\n    lifecycle:\n      preStop:\n        sleep: {seconds: 5}   # Kubernetes "
           "1.30+; else exec: {command: [sleep, \"5\"]}\n"),
      Make("grace-period-too-short", Severity::kWarning,
           "terminationGracePeriodSeconds is shorter than the preStop delay plus the application's shutdown",
           "The grace period (default 30 s) counts from the start of preStop: when it ends, the kubelet kills the "
           "container, cutting the requests it was still finishing. The shutdown time is read from the annotation "
           "capstan.dev/shutdown-seconds on the workload or pod template; without it Capstan assumes 10 s.",
           "Raise terminationGracePeriodSeconds to at least the preStop delay plus the shutdown time, and state "
           "the shutdown time.",
           "metadata:\n  annotations:\n    capstan.dev/shutdown-seconds: \"20\"\nspec:\n  template:\n    spec:\n"
           "      terminationGracePeriodSeconds: 30   # 5 s preStop + 20 s shutdown + margin\n"),
      Make("prestop-sleep-unsupported", Severity::kError,
           "A preStop sleep action on a Kubernetes version that lacks it",
           "The lifecycle sleep action (KEP-3960) is alpha in Kubernetes 1.29 (off by default), beta and on by "
           "default from 1.30; seconds: 0 needs 1.33 (KEP-4818). An API server without it refuses or drops the "
           "hook, so the upgrade fails or the pods stop without the delay. Give the cluster's version with "
           "--kube-version; without it the finding is info.",
           "Use an exec sleep (the image needs a sleep binary) on older clusters, or upgrade the cluster.",
           "lifecycle:\n  preStop:\n    exec:\n      command: [sleep, \"5\"]\n"),
      Make("max-unavailable-all", Severity::kWarning,
           "A rolling update's maxUnavailable can take every replica down",
           "Kubernetes rounds a maxUnavailable percentage down and a maxSurge percentage up; when maxUnavailable "
           "reaches the replica count, a rollout may stop every old pod before a new one is ready: an outage.",
           "Keep maxUnavailable below the replica count; maxUnavailable 0 with maxSurge 1 never drops capacity.",
           "spec:\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 0\n"
           "      maxSurge: 1\n"),
  };
}

}  // namespace

const std::vector<findings::Rule>& CheckRules() {
  static const std::vector<findings::Rule> rules = Build();
  return rules;
}

void RequireCheckRule(const std::string& id, const std::string& option) {
  std::vector<std::string> ids;
  for (const auto& r : CheckRules()) {
    if (r.id == id) return;
    ids.push_back(r.id);
  }
  std::string best = SuggestClosest(id, ids);
  throw UsageError("unknown rule " + Quote(id) + " for " + option +
                   (best.empty() ? "" : " (did you mean " + Quote(best) + "?)") + "; the rules are " +
                   Join(ids, ", "));
}

}  // namespace capstan::postrender
