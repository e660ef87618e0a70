// capstan mark-ready: the ordered start of StatefulSets; pod 0 writes the marker carrying the configuration
// digest once its initialisation is done (docs/wait.md, "Ordered start"). Flags only: logic in lib/wait/command.h.
#include "hooks/command.h"
#include "wait/command.h"
#include "wait/flags.h"

namespace capstan::hooks {
namespace {

Runner SetupMarkReady(CLI::App& sub) {
  auto cmd = std::make_shared<wait::MarkReadyCommand>();
  wait::AddWaitFlags(sub, cmd->wait);
  sub.add_flag("--keep-running", cmd->keep_running, "After marking, keep running until SIGTERM (as a sidecar)");
  sub.add_flag("--probe", cmd->probe,
               "Readiness probe: exit 0 on pods other than 0, on pod 0 only once the marker holds its digest "
               "(else exit 1 with the reason); writes nothing");
  sub.add_option("conditions", cmd->wait.conditions, "Conditions that must hold before the marker is written");
  sub.footer("\nPod 0 of a StatefulSet writes <marker-dir>/<statefulset>.ready carrying the digest (atomically), "
             "which releases pods 1..n waiting with `capstan wait --ordered-start`; other pods do nothing.\n\n"
             "Example:\n  capstan mark-ready --marker-dir /shared/.capstan --digest \"$CAPSTAN_DIGEST\" "
             "--pod-name \"$CAPSTAN_POD_NAME\" -- 'http://127.0.0.1:8080/health (expect=UP)'\n"
             "  capstan mark-ready --probe --marker-dir /shared/.capstan   # readinessProbe of that container");
  return [cmd] { return wait::RunMarkReadyCommand(*cmd); };
}

Registration reg("mark-ready", "Ordered start: pod 0 marks its initialisation done for the current digest",
                 SetupMarkReady);

}  // namespace
}  // namespace capstan::hooks
