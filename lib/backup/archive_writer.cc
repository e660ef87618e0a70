// Writing a directory tree as a tar stream.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include "backup/archive.h"
#include "backup/tar_format.h"
#include "log/log.h"
#include "util/error.h"

namespace capstan::backup {

namespace {

constexpr size_t kReadBuffer = 1 << 20;

struct Walker {
  ByteSink& out;
  const WriteArchiveOptions& options;
  std::string root;
  ArchiveStats stats;
  std::map<std::pair<dev_t, ino_t>, std::string> hardlinks;  // files with st_nlink > 1: first name seen
  std::unique_ptr<char[]> buf{new char[kReadBuffer]};

  [[noreturn]] void Fail(const std::string& rel, const std::string& what) {
    int err = errno;
    std::string msg = "cannot archive " + root + (rel.empty() ? "" : "/" + rel) + ": " + what + ": " + std::strerror(err);
    throw Error(msg);
  }

  void Header(const TarEntry& e) {
    std::string h = EncodeTarHeader(e);
    out.Write(h.data(), h.size());
    ++stats.entries;
  }

  void File(int fd, const std::string& rel, const struct stat& st) {
    TarEntry e;
    e.name = rel;
    e.type = TarType::kFile;
    e.mode = st.st_mode & 07777;
    e.size = static_cast<uint64_t>(st.st_size);
    e.mtime = st.st_mtim.tv_sec;
    e.uid = st.st_uid;
    e.gid = st.st_gid;
    Header(e);
    uint64_t left = e.size;
    bool changed = false;
    while (left > 0) {
      size_t want = left > kReadBuffer ? kReadBuffer : static_cast<size_t>(left);
      ssize_t n = ::read(fd, buf.get(), want);
      if (n < 0) {
        if (errno == EINTR) continue;
        Fail(rel, "read failed");
      }
      if (n == 0) {  // the file shrank while we read it: pad to the size in the header
        changed = true;
        std::memset(buf.get(), 0, want);
        n = static_cast<ssize_t>(want);
      }
      out.Write(buf.get(), static_cast<size_t>(n));
      left -= static_cast<uint64_t>(n);
      stats.data_bytes += static_cast<uint64_t>(n);
      if (options.progress) options.progress->fetch_add(static_cast<uint64_t>(n), std::memory_order_relaxed);
    }
    char extra;
    if (!changed && ::read(fd, &extra, 1) > 0) changed = true;
    if (changed) {
      ++stats.changed;
      log::Warn("file changed while it was archived; its archived copy may be inconsistent",
                {{"path", root + "/" + rel}});
    }
    size_t pad = (kTarBlock - e.size % kTarBlock) % kTarBlock;
    if (pad) {
      static const char zeros[kTarBlock] = {};
      out.Write(zeros, pad);
    }
  }

  void Directory(int dirfd, const std::string& rel) {
    DIR* d = ::fdopendir(dirfd);
    if (!d) {
      ::close(dirfd);
      Fail(rel, "cannot list the directory");
    }
    std::vector<std::string> names;
    errno = 0;
    while (dirent* ent = ::readdir(d)) {
      if (std::strcmp(ent->d_name, ".") == 0 || std::strcmp(ent->d_name, "..") == 0) continue;
      if (rel.empty() && std::strncmp(ent->d_name, kStagingPrefix, std::strlen(kStagingPrefix)) == 0) continue;
      names.emplace_back(ent->d_name);
    }
    std::sort(names.begin(), names.end());
    try {
      for (const auto& name : names) Entry(::dirfd(d), name, rel.empty() ? name : rel + "/" + name);
    } catch (...) {
      ::closedir(d);
      throw;
    }
    ::closedir(d);
  }

  void Entry(int parent, const std::string& name, const std::string& rel) {
    struct stat st {};
    if (::fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) return;  // removed since it was listed
      Fail(rel, "stat failed");
    }
    TarEntry e;
    e.name = rel;
    e.mode = st.st_mode & 07777;
    e.mtime = st.st_mtim.tv_sec;
    e.uid = st.st_uid;
    e.gid = st.st_gid;
    if (S_ISDIR(st.st_mode)) {
      if (options.exclude.count({st.st_dev, st.st_ino})) {
        ++stats.skipped;
        return;
      }
      e.type = TarType::kDirectory;
      Header(e);
      int fd = ::openat(parent, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) Fail(rel, "cannot open the directory");
      Directory(fd, rel);
    } else if (S_ISLNK(st.st_mode)) {
      std::string target(static_cast<size_t>(st.st_size > 0 ? st.st_size : 4096) + 1, '\0');
      ssize_t n = ::readlinkat(parent, name.c_str(), target.data(), target.size());
      if (n < 0) Fail(rel, "readlink failed");
      target.resize(static_cast<size_t>(n));
      e.type = TarType::kSymlink;
      e.link = target;
      Header(e);
    } else if (S_ISREG(st.st_mode)) {
      if (st.st_nlink > 1) {
        auto key = std::make_pair(st.st_dev, st.st_ino);
        auto it = hardlinks.find(key);
        if (it != hardlinks.end()) {
          e.type = TarType::kHardLink;
          e.link = it->second;
          Header(e);
          return;
        }
        hardlinks[key] = rel;
      }
      int fd = ::openat(parent, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) {
        if (errno == ENOENT) return;
        Fail(rel, "cannot open");
      }
      struct stat fst {};
      if (::fstat(fd, &fst) != 0) {
        ::close(fd);
        Fail(rel, "stat failed");
      }
      try {
        File(fd, rel, fst);
      } catch (...) {
        ::close(fd);
        throw;
      }
      ::close(fd);
    } else {
      ++stats.skipped;
      log::Warn("skipping a special file (socket, FIFO or device)", {{"path", root + "/" + rel}});
    }
  }
};

}  // namespace

ArchiveStats WriteDirectoryArchive(const std::string& dir, ByteSink& out, const WriteArchiveOptions& options) {
  Walker w{out, options, dir, {}, {}};
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    throw UsageError("cannot archive " + dir + ": " + std::strerror(errno) + ": pass an existing directory with --dir");
  struct stat st {};
  ::fstat(fd, &st);
  TarEntry root;
  root.name = ".";
  root.type = TarType::kDirectory;
  root.mode = st.st_mode & 07777;
  root.mtime = st.st_mtim.tv_sec;
  root.uid = st.st_uid;
  root.gid = st.st_gid;
  w.Header(root);
  w.Directory(fd, "");
  // End of archive: two zero blocks.
  static const char zeros[kTarBlock * 2] = {};
  out.Write(zeros, sizeof zeros);
  return w.stats;
}

uint64_t DirectoryDataBytes(const std::string& dir, const std::set<std::pair<dev_t, ino_t>>& exclude) {
  namespace fs = std::filesystem;
  std::error_code ec;
  uint64_t total = 0;
  std::set<std::pair<dev_t, ino_t>> linked;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  while (!ec && it != end) {
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode) && exclude.count({st.st_dev, st.st_ino})) it.disable_recursion_pending();
      if (S_ISREG(st.st_mode) && (st.st_nlink < 2 || linked.insert({st.st_dev, st.st_ino}).second))
        total += static_cast<uint64_t>(st.st_size);
    }
    it.increment(ec);  // an error (a directory that vanished): the total so far is the estimate
  }
  return total;
}

}  // namespace capstan::backup
