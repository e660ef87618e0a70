// capstan wait: block until every listed condition holds, or fail after a bounded timeout (docs/wait.md).
// Flags only: the logic is in lib/wait/command.h.
#include "hooks/command.h"
#include "wait/command.h"
#include "wait/flags.h"

namespace capstan::hooks {
namespace {

Runner SetupWait(CLI::App& sub) {
  auto cmd = std::make_shared<wait::WaitCommand>();
  wait::AddWaitFlags(sub, *cmd);
  sub.add_flag("--ordered-start", cmd->ordered_start,
               "StatefulSet pods with ordinal > 0 also wait for pod 0's marker carrying --digest");
  sub.add_option("conditions", cmd->conditions, "Conditions, one per argument (a comma-separated list works too)");
  sub.footer(wait::KindsHelp() +
             "\nExit codes: 0 every condition held, 1 timed out (or a condition cannot hold), 2 bad flag or "
             "condition, 3 interrupted by SIGTERM/SIGINT.\n\nExamples:\n"
             "  capstan wait --timeout 2m -- tcp://db:5432 'https://solr:8983/solr/admin/ping (expect=OK, "
             "ca=/etc/ca.crt)'\n"
             "  capstan wait --ordered-start --marker-dir /shared/.capstan --digest \"$CAPSTAN_DIGEST\" "
             "--pod-name \"$CAPSTAN_POD_NAME\"");
  return [cmd] { return wait::RunWaitCommand(*cmd); };
}

Registration reg("wait", "Wait until every condition holds (TCP, HTTP(S), DNS, PostgreSQL, file), bounded",
                 SetupWait);

}  // namespace
}  // namespace capstan::hooks
