#include "log/terminal.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

namespace capstan::log {

namespace {

// Whether fd 2 is this session's controlling terminal (tcgetsid answers only for the controlling terminal; fstat of
// a /dev/tty descriptor names /dev/tty, not the terminal behind it, so devices cannot be compared).
bool StderrIsControllingTerminal() { return ::isatty(2) && ::tcgetsid(2) == ::getsid(0); }

}  // namespace

bool WriteToTerminal(std::string_view text) {
  int fd = ::open("/dev/tty", O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;  // no controlling terminal
  if (StderrIsControllingTerminal()) {
    ::close(fd);
    return false;
  }
  struct sigaction ignore {}, previous {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  bool restore = ::sigaction(SIGTTOU, &ignore, &previous) == 0;
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EAGAIN (output suspended, full buffer), EIO (hung up): give up, never wait
    done += static_cast<size_t>(n);
  }
  if (restore) ::sigaction(SIGTTOU, &previous, nullptr);
  ::close(fd);
  return done == text.size();
}

}  // namespace capstan::log
