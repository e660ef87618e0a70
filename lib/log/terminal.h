// Messages for the person at the terminal when stderr does not reach them (Helm 4 throws a post-renderer plugin's
// stderr away): written to the process's controlling terminal, /dev/tty. The write never blocks and never stops the
// process: /dev/tty is opened O_NOCTTY | O_NONBLOCK (a terminal that is not ready loses the message), SIGTTOU is
// ignored during the write (a run in a background job writes instead of being stopped), and nothing is written
// when there is no controlling terminal (CI, cron, a pod) or when stderr already is that terminal (the message is
// shown there already: no duplicate lines).
#pragma once
#include <string_view>

namespace capstan::log {

// Writes text to the controlling terminal, as above. Returns whether all of it was written.
bool WriteToTerminal(std::string_view text);

}  // namespace capstan::log
