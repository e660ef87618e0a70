// Checking and extracting directory archives, and replacing a directory's contents through a staging directory.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "backup/archive.h"
#include "backup/archive_paths.h"
#include "backup/artifact_source.h"
#include "backup/fs_util.h"
#include "backup/tar_reader.h"
#include "util/error.h"
#include "util/strings.h"

namespace capstan::backup {

namespace {

constexpr size_t kBuffer = 1 << 20;

[[noreturn]] void Fail(const std::string& what, const std::string& path) {
  int err = errno;
  std::string msg = what + " " + path + ": " + std::strerror(err);
  if (err == ENOSPC || err == EDQUOT) throw PreconditionError(msg + ": the disk is full; free space and run again");
  throw Error(msg);
}

// Opens (creating when missing) the directory of parts[0..n) below rootfd without following symlinks.
int OpenParent(int rootfd, const std::vector<std::string>& parts, size_t n, const std::string& shown) {
  int fd = ::dup(rootfd);
  if (fd < 0) Fail("cannot open", shown);
  for (size_t i = 0; i < n; ++i) {
    if (::mkdirat(fd, parts[i].c_str(), 0700) != 0 && errno != EEXIST) {
      ::close(fd);
      Fail("cannot create a directory for", shown);
    }
    int next = ::openat(fd, parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    ::close(fd);
    if (next < 0) Fail("cannot open a parent directory of", shown);
    fd = next;
  }
  return fd;
}

}  // namespace

ArchiveCheck CheckArchive(ByteSource& in, const std::string& what) {
  GzipSource gz(in, what);
  TarReader tar(gz, what);
  ArchiveValidator validator(what);
  TarEntry e;
  while (tar.Next(e)) validator.Add(e);
  validator.Finish();
  // Read what follows the end marker (padding) so that the gzip trailer and the whole stream are checked.
  std::unique_ptr<char[]> buf(new char[kBuffer]);
  while (gz.Read(buf.get(), kBuffer) > 0) {
  }
  ArchiveCheck c;
  c.entries = validator.entries();
  c.data_bytes = validator.data_bytes();
  return c;
}

ArchiveCheck CheckArchiveFile(const std::string& path, std::atomic<uint64_t>* progress) {
  FileSource file(path, progress);
  ArchiveCheck c = CheckArchive(file, path);
  c.size = file.size();
  c.sha256 = file.sha256();
  return c;
}

namespace {
const char* EntryKind(char raw_type) {
  switch (raw_type) {
    case '3': return "character device";
    case '4': return "block device";
    case '6': return "FIFO";
    default: return "special file";
  }
}
std::string OctalMode(uint32_t mode) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04o", mode & 07777u);
  return buf;
}
}  // namespace

ArchiveStats ExtractArchiveFile(const std::string& path, const std::string& dest, const std::string& expected_sha256,
                                std::atomic<uint64_t>* progress, const ExtractOptions& options) {
  return ExtractArchive(CheckedFileOpener(path, expected_sha256), path, dest, progress, options);
}

ArchiveStats ExtractArchive(const SourceOpener& open, const std::string& path, const std::string& dest,
                            std::atomic<uint64_t>* progress, const ExtractOptions& options) {
  {  // Pass 1: the whole archive is checked before anything is written.
    std::unique_ptr<ByteSource> in = open(nullptr);
    CheckArchive(*in, path);
  }
  int rootfd = ::open(dest.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (rootfd < 0) Fail("cannot open", dest);
  struct DirMeta {
    std::string path;
    uint32_t mode;
    int64_t mtime;
    uint32_t uid, gid;
  };
  std::vector<DirMeta> dirs;
  bool as_root = ::geteuid() == 0;
  ArchiveStats stats;
  uint64_t noted = 0;
  auto note = [&](const std::string& line) {
    if (noted++ < kMaxNotes) stats.notes.push_back(line);
  };
  std::unique_ptr<char[]> buf(new char[kBuffer]);
  std::string cached_parent;
  int cached_fd = -1;  // the open directory named cached_parent, or -1
  auto close_cache = [&] {
    if (cached_fd >= 0) ::close(cached_fd);
    cached_fd = -1;
  };
  try {
    std::unique_ptr<ByteSource> in = open(progress);
    GzipSource gz(*in, path);
    TarReader tar(gz, path);
    ArchiveValidator validator(path);  // again: the file is read a second time and must still be safe
    TarEntry e;
    while (tar.Next(e)) {
      validator.Add(e);
      ++stats.entries;
      std::vector<std::string> parts;
      std::string why;
      SplitEntryName(e.name, parts, why);
      std::string rel = Join(parts, "/");
      std::string shown = dest + "/" + rel;
      if (parts.empty()) continue;  // the root: its own mode is the target's, left alone
      if (e.type == TarType::kOther) {
        ++stats.skipped;
        note(rel + ": " + EntryKind(e.raw_type) + " not restored (only files, directories and links are)");
        continue;
      }
      std::vector<std::string> parent_parts(parts.begin(), parts.end() - 1);
      std::string parent = Join(parent_parts, "/");
      if (cached_fd < 0 || parent != cached_parent) {
        close_cache();
        cached_fd = OpenParent(rootfd, parts, parts.size() - 1, shown);
        cached_parent = parent;
      }
      const char* name = parts.back().c_str();
      struct timespec times[2] = {{e.mtime, 0}, {e.mtime, 0}};
      if (e.type == TarType::kDirectory) {
        if (::mkdirat(cached_fd, name, 0700) != 0 && errno != EEXIST) Fail("cannot create directory", shown);
        dirs.push_back({rel, e.mode, e.mtime, e.uid, e.gid});
        continue;
      }
      if (::unlinkat(cached_fd, name, 0) != 0 && errno != ENOENT) Fail("cannot replace", shown);
      if (e.type == TarType::kFile) {
        int fd = ::openat(cached_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) Fail("cannot create", shown);
        try {
          size_t n;
          while ((n = tar.ReadData(buf.get(), kBuffer)) > 0) {
            const char* p = buf.get();
            while (n > 0) {
              ssize_t w = ::write(fd, p, n);
              if (w < 0) {
                if (errno == EINTR) continue;
                Fail("cannot write", shown);
              }
              p += w;
              n -= static_cast<size_t>(w);
            }
          }
          if (as_root) ::fchown(fd, e.uid, e.gid);
          uint32_t mode = e.mode;
          if ((mode & (S_ISUID | S_ISGID)) != 0 && !options.keep_setid) {
            mode &= ~static_cast<uint32_t>(S_ISUID | S_ISGID);
            note(rel + ": setuid/setgid bits dropped (mode " + OctalMode(e.mode) + " -> " + OctalMode(mode) +
                 "; restore with --keep-setid to keep them)");
          }
          if (::fchmod(fd, mode) != 0) Fail("cannot set the mode of", shown);
          ::futimens(fd, times);
        } catch (...) {
          ::close(fd);
          throw;
        }
        if (::close(fd) != 0) Fail("cannot write", shown);
        stats.data_bytes += e.size;
      } else if (e.type == TarType::kSymlink) {
        if (::symlinkat(e.link.c_str(), cached_fd, name) != 0) Fail("cannot create symlink", shown);
        if (as_root) ::fchownat(cached_fd, name, e.uid, e.gid, AT_SYMLINK_NOFOLLOW);
        ::utimensat(cached_fd, name, times, AT_SYMLINK_NOFOLLOW);
      } else if (e.type == TarType::kHardLink) {
        std::vector<std::string> target;
        SplitEntryName(e.link, target, why);
        if (::linkat(rootfd, Join(target, "/").c_str(), cached_fd, name, 0) != 0) Fail("cannot create hard link", shown);
      }
    }
    validator.Finish();
    if (noted > kMaxNotes) stats.notes.push_back("... and " + std::to_string(noted - kMaxNotes) + " more");
    while (gz.Read(buf.get(), kBuffer) > 0) {  // to the end: a checking source compares its digest there
    }
    close_cache();
    // Directories last, deepest first, so that read-only modes do not stop their own extraction.
    std::sort(dirs.begin(), dirs.end(), [](const DirMeta& a, const DirMeta& b) { return a.path > b.path; });
    for (const auto& d : dirs) {
      if (as_root) ::fchownat(rootfd, d.path.c_str(), d.uid, d.gid, AT_SYMLINK_NOFOLLOW);
      if (::fchmodat(rootfd, d.path.c_str(), d.mode, 0) != 0) Fail("cannot set the mode of", dest + "/" + d.path);
      struct timespec times[2] = {{d.mtime, 0}, {d.mtime, 0}};
      ::utimensat(rootfd, d.path.c_str(), times, AT_SYMLINK_NOFOLLOW);
    }
  } catch (...) {
    close_cache();
    ::close(rootfd);
    throw;
  }
  ::close(rootfd);
  return stats;
}

DirectoryRestore::DirectoryRestore(std::string target, SourceOpener open, std::string archive, ExtractOptions options)
    : target_(std::move(target)), open_(std::move(open)), archive_(std::move(archive)), options_(options) {
  while (target_.size() > 1 && target_.back() == '/') target_.pop_back();
  staging_ = target_ + "/" + kStagingPrefix + std::to_string(::getpid());
}

DirectoryRestore::~DirectoryRestore() {
  if (committed_) return;
  try {
    RemoveTree(staging_);
  } catch (...) {
  }
}

ArchiveStats DirectoryRestore::Stage(std::atomic<uint64_t>* progress) {
  MakeDirectories(target_);
  RemoveTree(staging_);
  if (::mkdir(staging_.c_str(), 0700) != 0) Fail("cannot create staging directory", staging_);
  if (::mkdir((staging_ + "/new").c_str(), 0700) != 0) Fail("cannot create staging directory", staging_ + "/new");
  if (::mkdir((staging_ + "/old").c_str(), 0700) != 0) Fail("cannot create staging directory", staging_ + "/old");
  return ExtractArchive(open_, archive_, staging_ + "/new", progress, options_);
}

namespace {
std::vector<std::string> ListNames(const std::string& dir, const std::string& skip) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (!d) Fail("cannot list", dir);
  while (dirent* ent = ::readdir(d)) {
    std::string n = ent->d_name;
    if (n == "." || n == ".." || n == skip) continue;
    names.push_back(n);
  }
  ::closedir(d);
  return names;
}
}  // namespace

void DirectoryRestore::Commit() {
  std::string staging_name = staging_.substr(target_.size() + 1);
  std::string old_dir = staging_ + "/old", new_dir = staging_ + "/new";
  std::vector<std::string> moved_old, moved_new;
  auto rollback = [&] {
    for (const auto& n : moved_new) ::rename((target_ + "/" + n).c_str(), (new_dir + "/" + n).c_str());
    for (const auto& n : moved_old) ::rename((old_dir + "/" + n).c_str(), (target_ + "/" + n).c_str());
  };
  try {
    for (const auto& n : ListNames(target_, staging_name)) {
      if (::rename((target_ + "/" + n).c_str(), (old_dir + "/" + n).c_str()) != 0) Fail("cannot move aside", target_ + "/" + n);
      moved_old.push_back(n);
    }
    for (const auto& n : ListNames(new_dir, "")) {
      if (::rename((new_dir + "/" + n).c_str(), (target_ + "/" + n).c_str()) != 0) Fail("cannot move into place", target_ + "/" + n);
      moved_new.push_back(n);
    }
  } catch (...) {
    rollback();
    throw;
  }
  committed_ = true;
  SyncDirectory(target_);
  RemoveTree(staging_);
}

}  // namespace capstan::backup
