// The lock of a backup root: flock on <root>/.lock, holding the holder's pid, so that two backups, or a backup
// and a prune or restore, never run at once on the same root. The kernel releases it when the process dies.
#pragma once
#include <string>

namespace capstan::backup {

class RootLock {
 public:
  // Takes the lock without waiting; throws Error naming the holder's pid when another process has it.
  RootLock(const std::string& root, const std::string& purpose);
  ~RootLock();
  RootLock(const RootLock&) = delete;
  RootLock& operator=(const RootLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace capstan::backup
