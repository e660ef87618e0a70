#include "backup/cancel.h"

#include <signal.h>

#include <atomic>

#include "util/error.h"

namespace capstan::backup {

namespace {
std::atomic<int> g_signal{0};
extern "C" void OnSignal(int sig) { g_signal.store(sig); }
}  // namespace

void InstallCancelHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGXFSZ, SIG_IGN);
}

bool Cancelled() { return g_signal.load() != 0; }
void RequestCancel() {
  int expected = 0;
  g_signal.compare_exchange_strong(expected, -1);
}
void ResetCancel() { g_signal.store(0); }

void ThrowIfCancelled() {
  int sig = g_signal.load();
  if (sig < 0) throw Error("stopped because another part of the same operation failed");
  if (sig > 0)
    throw Error("interrupted by signal " + std::to_string(sig) + ": the partial work was removed");
}

}  // namespace capstan::backup
