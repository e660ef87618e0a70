// Messages to the controlling terminal: written when stderr is elsewhere (as under Helm 4, which keeps a plugin's
// stderr), not when stderr is that terminal (no duplicate lines), not without a terminal; never blocking.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "log/terminal.h"

using namespace capstan;

namespace {

enum class Stderr { kPipe, kTerminal };

struct Outcome {
  int written = -1;     // what WriteToTerminal returned in the child (0 or 1)
  std::string screen;   // what the terminal received
};

// Runs WriteToTerminal in a child process that has a pseudo-terminal as its controlling terminal (or none).
Outcome InChild(bool with_terminal, Stderr err) {
  int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  REQUIRE(master >= 0);
  REQUIRE(::grantpt(master) == 0);
  REQUIRE(::unlockpt(master) == 0);
  std::string name = ::ptsname(master);
  int errpipe[2];
  REQUIRE(::pipe(errpipe) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::setsid();  // no controlling terminal...
    if (with_terminal) {  // ...until this one is opened
      int slave = ::open(name.c_str(), O_RDWR);
      if (slave < 0) ::_exit(3);
      ::ioctl(slave, TIOCSCTTY, 0);
      if (err == Stderr::kTerminal) ::dup2(slave, 2);
    }
    if (err == Stderr::kPipe) ::dup2(errpipe[1], 2);
    bool ok = log::WriteToTerminal("capstan-postrender: error: a message\n");
    ::_exit(ok ? 1 : 0);
  }
  ::close(errpipe[1]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  Outcome o;
  if (WIFEXITED(status)) o.written = WEXITSTATUS(status);
  char buf[4096];
  ::fcntl(master, F_SETFL, O_NONBLOCK);
  for (ssize_t n; (n = ::read(master, buf, sizeof buf)) > 0;) o.screen.append(buf, static_cast<size_t>(n));
  ::close(master);
  ::close(errpipe[0]);
  return o;
}

}  // namespace

TEST_CASE("terminal: written when stderr goes elsewhere, once") {
  Outcome o = InChild(true, Stderr::kPipe);
  CHECK(o.written == 1);
  CHECK(o.screen == "capstan-postrender: error: a message\r\n");
}

TEST_CASE("terminal: not written when stderr is the terminal itself (no duplicate line)") {
  Outcome o = InChild(true, Stderr::kTerminal);
  CHECK(o.written == 0);
  CHECK(o.screen.empty());
}

TEST_CASE("terminal: nothing without a controlling terminal (CI, cron, a pod)") {
  Outcome o = InChild(false, Stderr::kPipe);
  CHECK(o.written == 0);
  CHECK(o.screen.empty());
}
