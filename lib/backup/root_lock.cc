#include "backup/root_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/error.h"
#include "util/strings.h"

namespace capstan::backup {

RootLock::RootLock(const std::string& root, const std::string& purpose) {
  std::string path = root + "/.lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    int err = errno;
    if (err == ENOSPC || err == EDQUOT) throw PreconditionError("cannot create " + path + ": " + std::strerror(err));
    throw Error("cannot open the lock " + path + ": " + std::strerror(err) + ": check the backup root's permissions");
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    char buf[128] = {};
    ssize_t n = ::pread(fd_, buf, sizeof buf - 1, 0);
    std::string holder = n > 0 ? std::string(Trim(std::string(buf, static_cast<size_t>(n)))) : "";
    ::close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK)
      throw Error("cannot " + purpose + ": another capstan process" + (holder.empty() ? "" : " (" + holder + ")") +
                  " holds the lock " + path + "; wait for it to finish and run again");
    throw Error("cannot lock " + path + ": " + std::strerror(err));
  }
  std::string me = "pid " + std::to_string(::getpid()) + ", " + purpose + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    ssize_t ignored = ::pwrite(fd_, me.data(), me.size(), 0);
    (void)ignored;
  }
}

RootLock::~RootLock() {
  if (fd_ >= 0) {
    if (::ftruncate(fd_, 0) != 0) {
    }
    ::close(fd_);
  }
}

}  // namespace capstan::backup
