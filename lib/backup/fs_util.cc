#include "backup/fs_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "util/error.h"

namespace capstan::backup {

namespace {

void RemoveAt(int dirfd, const char* name, const std::string& shown) {
  struct stat st {};
  if (::fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return;
    throw Error("cannot remove " + shown + ": " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) {
    if ((st.st_mode & 0700) != 0700) ::fchmodat(dirfd, name, 0700, 0);
    int fd = ::openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) throw Error("cannot remove " + shown + ": " + std::strerror(errno));
    DIR* d = ::fdopendir(fd);
    if (!d) {
      ::close(fd);
      throw Error("cannot remove " + shown + ": " + std::strerror(errno));
    }
    try {
      while (dirent* ent = ::readdir(d)) {
        if (std::strcmp(ent->d_name, ".") == 0 || std::strcmp(ent->d_name, "..") == 0) continue;
        RemoveAt(::dirfd(d), ent->d_name, shown + "/" + ent->d_name);
      }
    } catch (...) {
      ::closedir(d);
      throw;
    }
    ::closedir(d);
    if (::unlinkat(dirfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
      throw Error("cannot remove " + shown + ": " + std::strerror(errno));
  } else if (::unlinkat(dirfd, name, 0) != 0 && errno != ENOENT) {
    throw Error("cannot remove " + shown + ": " + std::strerror(errno));
  }
}

}  // namespace

void RemoveTree(const std::string& path) { RemoveAt(AT_FDCWD, path.c_str(), path); }

void SyncDirectory(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw Error("cannot open directory " + path + ": " + std::strerror(errno));
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) {
    if (err == ENOSPC || err == EDQUOT) throw PreconditionError("cannot sync " + path + ": " + std::strerror(err));
    throw Error("cannot sync directory " + path + ": " + std::strerror(err));
  }
}

void MakeDirectories(const std::string& path, unsigned mode) {
  if (path.empty()) return;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) throw Error(path + " exists and is not a directory");
    return;
  }
  std::string parent = ParentPath(path);
  if (parent != path && parent != "." && parent != "/") MakeDirectories(parent, mode);
  if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) {
    int err = errno;
    if (err == ENOSPC || err == EDQUOT) throw PreconditionError("cannot create directory " + path + ": " + std::strerror(err));
    throw Error("cannot create directory " + path + ": " + std::strerror(err));
  }
}

bool IsDirectory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string AbsolutePath(const std::string& path) {
  std::string abs = path;
  if (abs.empty() || abs[0] != '/') {
    char cwd[4096];
    if (!::getcwd(cwd, sizeof cwd))
      throw Error("cannot determine the current directory: " + std::string(std::strerror(errno)));
    abs = std::string(cwd) + "/" + path;
  }
  std::string out = std::filesystem::path(abs).lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::string ParentPath(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  auto slash = p.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return p.substr(0, slash);
}

}  // namespace capstan::backup
