// Cancellation of a running backup or restore by SIGINT/SIGTERM (a Job's deadline, Ctrl-C): the handlers set a
// flag that the streaming loops check, so that the partial restore point is removed before exiting.
#pragma once

namespace capstan::backup {

// Installs SIGINT/SIGTERM handlers that set the flag (idempotent), and ignores SIGPIPE and SIGXFSZ so that they
// surface as write errors.
void InstallCancelHandlers();
bool Cancelled();
// Stops the other workers of the same operation after one of them failed (not a signal).
void RequestCancel();
// Clears the flag (tests run several operations in one process).
void ResetCancel();
void ThrowIfCancelled();

}  // namespace capstan::backup
