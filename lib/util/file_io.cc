#include "util/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "util/error.h"

namespace capstan {

namespace {
std::string Errno() { return std::strerror(errno); }

std::string SizeText(size_t bytes) {
  if (bytes >= (size_t{1} << 20) && bytes % (size_t{1} << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

const char* FileTypeName(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a named pipe (FIFO)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Reads fd to its end, refusing more than max_bytes (what: how messages name the input).
std::string ReadBounded(int fd, size_t max_bytes, const std::string& what, size_t size_hint) {
  std::string data;
  if (size_hint > 0) data.reserve(std::min(size_hint, max_bytes) + 1);
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error("cannot read " + what + ": " + Errno());
    }
    if (n == 0) break;
    if (data.size() + static_cast<size_t>(n) > max_bytes) {
      throw UsageError("cannot read " + what + ": it is larger than " + SizeText(max_bytes) +
                       ", the limit for an input; pass a smaller file");
    }
    data.append(buf, static_cast<size_t>(n));
  }
  return data;
}

}  // namespace

std::string ReadFile(const std::string& path, size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO without a writer must not block; it is refused below before anything is read.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw UsageError("cannot read " + path + ": " + Errno());
  try {
    struct stat st {};
    if (::fstat(fd, &st) != 0) throw UsageError("cannot read " + path + ": " + Errno());
    if (!S_ISREG(st.st_mode)) {
      throw UsageError("cannot read " + path + ": it is " + FileTypeName(st.st_mode) +
                       ", not a regular file; pass a regular file");
    }
    if (static_cast<unsigned long long>(st.st_size) > max_bytes) {
      throw UsageError("cannot read " + path + ": it is larger than " + SizeText(max_bytes) +
                       ", the limit for an input file; pass a smaller file");
    }
    std::string data = ReadBounded(fd, max_bytes, path, static_cast<size_t>(st.st_size));
    ::close(fd);
    return data;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

std::string ReadAllLimited(int fd, size_t max_bytes, const std::string& what) {
  struct stat st {};
  size_t hint = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 ? static_cast<size_t>(st.st_size) : 0;
  return ReadBounded(fd, max_bytes, what, hint);
}

std::string ReadAll(int fd) { return ReadAllLimited(fd, std::numeric_limits<size_t>::max(), "the input"); }

void WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error("write failed: " + Errno(), errno == ENOSPC ? kExitPrecondition : kExitFailed);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

void WriteFileAtomic(const std::string& path, std::string_view data, unsigned mode) {
  std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw Error("cannot write " + tmp + ": " + Errno(), errno == ENOSPC ? kExitPrecondition : kExitFailed);
  try {
    WriteAll(fd, data);
    if (::fsync(fd) != 0) throw Error("cannot sync " + tmp + ": " + Errno());
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string err = Errno();
    ::unlink(tmp.c_str());
    throw Error("cannot rename " + tmp + " to " + path + ": " + err);
  }
}

bool FileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace capstan
