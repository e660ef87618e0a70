#include "backup/local_store.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "backup/fs_util.h"
#include "backup/manifest.h"
#include "backup/manifest_seal.h"
#include "backup/root_lock.h"
#include "log/log.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace capstan::backup {

namespace {

constexpr const char* kTmpPrefix = ".tmp-";
constexpr const char* kDeletingPrefix = ".deleting-";

std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return names;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  ::closedir(d);
  return names;
}

class FileArtifact : public ArtifactWriter {
 public:
  explicit FileArtifact(const std::string& path) : file_(path, 0600) {}
  void Write(const char* data, size_t n) override { file_.Write(data, n); }
  void Finish() override { file_.Finish(); }
  uint64_t size() const override { return file_.size(); }
  std::string sha256() override { return file_.sha256(); }

 private:
  FileSink file_;
};

class LocalLock : public StoreLock {
 public:
  LocalLock(const std::string& root, const std::string& purpose) : lock_(root, purpose) {}

 private:
  RootLock lock_;
};

void WriteDurable(const std::string& path, const std::string& text) {
  FileSink sink(path, 0644);
  sink.Write(text.data(), text.size());
  sink.Finish();
}

}  // namespace

LocalStore::LocalStore(const std::string& root) : root_(AbsolutePath(root)) {}

std::string LocalStore::Where(const std::string& id, const std::string& name) const {
  return name.empty() ? root_ + "/" + id : root_ + "/" + id + "/" + name;
}

std::string LocalStore::Dir(const std::string& id) const {
  std::string final_dir = root_ + "/" + id;
  return IsDirectory(final_dir) ? final_dir : root_ + "/" + kTmpPrefix + id;
}

void LocalStore::Prepare(bool create) {
  if (create) {
    MakeDirectories(root_, 0755);
    return;
  }
  if (!IsDirectory(root_)) throw UsageError("backup root " + root_ + " does not exist: pass the --backup-root of your backups");
}

std::unique_ptr<StoreLock> LocalStore::Lock(const std::string& purpose) {
  return std::make_unique<LocalLock>(root_, purpose);
}

void LocalStore::RemoveLeftovers() {
  for (const auto& n : ListDir(root_)) {
    if (StartsWith(n, kTmpPrefix) || StartsWith(n, kDeletingPrefix)) {
      log::Info("removing the leftover of an interrupted run", {{"path", root_ + "/" + n}});
      RemoveTree(root_ + "/" + n);
    }
  }
}

std::vector<StoredPoint> LocalStore::List() {
  std::vector<StoredPoint> out;
  for (const auto& n : ListDir(root_)) {
    if (!IsDirectory(root_ + "/" + n)) continue;
    StoredPoint p;
    if (StartsWith(n, kTmpPrefix)) {
      p.id = n.substr(std::strlen(kTmpPrefix));
      p.problem = "incomplete: in progress or interrupted (removed by the next backup or prune)";
    } else if (StartsWith(n, kDeletingPrefix)) {
      p.id = n.substr(std::strlen(kDeletingPrefix));
      p.problem = "being deleted";
    } else if (ValidId(n)) {
      p.id = n;
      p.published = true;
    } else {
      continue;
    }
    out.push_back(std::move(p));
  }
  return out;
}

bool LocalStore::Taken(const std::string& id) {
  return IsDirectory(root_ + "/" + id) || IsDirectory(root_ + "/" + kTmpPrefix + id);
}

void LocalStore::Begin(const std::string& id) {
  std::string tmp = root_ + "/" + kTmpPrefix + id;
  if (::mkdir(tmp.c_str(), 0700) != 0) {
    int err = errno;
    if (err == ENOSPC || err == EDQUOT) throw PreconditionError("cannot create " + tmp + ": " + std::strerror(err));
    throw Error("cannot create " + tmp + ": " + std::strerror(err));
  }
}

std::unique_ptr<ArtifactWriter> LocalStore::Create(const std::string& id, const std::string& name) {
  return std::make_unique<FileArtifact>(root_ + "/" + kTmpPrefix + id + "/" + name);
}

std::unique_ptr<ByteSource> LocalStore::Open(const std::string& id, const std::string& name) {
  return std::make_unique<FileSource>(Dir(id) + "/" + name);
}

std::optional<std::string> LocalStore::ReadSmall(const std::string& id, const std::string& name) {
  std::string path = Dir(id) + "/" + name;
  if (!FileExists(path)) return std::nullopt;
  return ReadFile(path);
}

std::vector<std::string> LocalStore::Files(const std::string& id) { return ListDir(Dir(id)); }

void LocalStore::Publish(const std::string& id, const std::string& manifest_json, const std::string& seal) {
  std::string tmp = root_ + "/" + kTmpPrefix + id, final_dir = root_ + "/" + id;
  WriteDurable(tmp + "/" + kManifestSealFile, seal);
  WriteDurable(tmp + "/" + kManifestFile, manifest_json);
  SyncDirectory(tmp);
  if (::rename(tmp.c_str(), final_dir.c_str()) != 0)
    throw Error("cannot rename " + tmp + " to " + final_dir + ": " + std::strerror(errno));
  SyncDirectory(root_);
}

void LocalStore::Discard(const std::string& id) { RemoveTree(root_ + "/" + kTmpPrefix + id); }

void LocalStore::Delete(const std::string& id) {
  std::string gone = root_ + "/" + kDeletingPrefix + id;
  if (::rename((root_ + "/" + id).c_str(), gone.c_str()) != 0)
    throw Error("cannot delete restore point " + root_ + "/" + id + ": " + std::strerror(errno));
  SyncDirectory(root_);
  RemoveTree(gone);
}

std::string LocalStore::ResealHint(const std::string& id) const {
  return "cd " + Where(id) + " && sha256sum " + kManifestFile + " > " + kManifestSealFile;
}

std::set<std::pair<dev_t, ino_t>> LocalStore::ArchiveExclusions() const {
  struct stat st {};
  if (::stat(root_.c_str(), &st) != 0) return {};
  return {{st.st_dev, st.st_ino}};
}

}  // namespace capstan::backup
