#include "log/log_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace capstan::log {

namespace {

std::string Reason(const std::string& what, int err) { return what + ": " + std::strerror(err); }

// mkdir -p for the directories of path, each new one 0700. Returns "" or why it failed.
std::string MakeParentDirs(const std::string& path) {
  for (size_t slash = path.find('/', 1); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    std::string dir = path.substr(0, slash);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return Reason("cannot create directory " + dir, errno);
  }
  return "";
}

}  // namespace

std::string RotatedPath(const std::string& path) { return path + ".1"; }

LogFile::~LogFile() { Close(); }

void LogFile::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool LogFile::Open(const Options& options) {
  Close();
  options_ = options;
  error_.clear();
  if (options_.path.empty()) {
    error_ = "no log file path";
    return false;
  }
  if (options_.make_dirs) {
    error_ = MakeParentDirs(options_.path);
    if (!error_.empty()) return false;
  }
  return OpenFd();
}

bool LogFile::OpenFd() {
  // O_NONBLOCK for the open only: a FIFO without a reader fails (ENXIO) instead of hanging the run.
  fd_ = ::open(options_.path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0600);
  if (fd_ < 0) {
    error_ = Reason("cannot open " + options_.path + " for appending", errno);
    return false;
  }
  int flags = ::fcntl(fd_, F_GETFL);
  if (flags >= 0) ::fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK);
  return true;
}

void LogFile::RotateIfFull(std::size_t incoming) {
  if (options_.max_bytes == 0) return;
  struct stat mine {}, named {};
  if (::fstat(fd_, &mine) != 0 || !S_ISREG(mine.st_mode)) return;  // /dev/stderr is never rotated
  if (mine.st_size == 0 || static_cast<std::uint64_t>(mine.st_size) + incoming <= options_.max_bytes) return;
  // Another run may have rotated it already: rename only the file this run writes to (the one the path names).
  if (::stat(options_.path.c_str(), &named) == 0 && named.st_ino == mine.st_ino && named.st_dev == mine.st_dev)
    ::rename(options_.path.c_str(), RotatedPath(options_.path).c_str());
  Close();
  OpenFd();
}

bool LogFile::Append(std::string_view text) {
  if (fd_ < 0) {
    if (error_.empty()) error_ = "the log file is not open";
    return false;
  }
  RotateIfFull(text.size());
  if (fd_ < 0) return false;
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = Reason("cannot write " + options_.path, n < 0 ? errno : EIO);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace capstan::log
