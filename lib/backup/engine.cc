#include "backup/engine.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <exception>
#include <set>
#include <thread>

#include "backup/archive.h"
#include "backup/cancel.h"
#include "backup/fs_util.h"
#include "backup/manifest_seal.h"
#include "backup/pg_tools.h"
#include "backup/progress.h"
#include "backup/restore_targets.h"
#include "backup/rollback_point.h"
#include "backup/root_lock.h"
#include "backup/streams.h"
#include "capstan_version.h"
#include "log/log.h"
#include "pg/connection.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace capstan::backup {

namespace {

constexpr const char* kTmpPrefix = ".tmp-";
constexpr const char* kDeletingPrefix = ".deleting-";
constexpr const char* kDumpName = "database.dump";

std::string FormatTime(std::time_t t, const char* fmt) {
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, fmt, &tm);
  return buf;
}

std::string Absolute(const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  char cwd[4096];
  if (!::getcwd(cwd, sizeof cwd)) throw Error("cannot determine the current directory: " + std::string(std::strerror(errno)));
  return std::string(cwd) + "/" + path;
}

std::string Normalize(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

bool IsDir(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

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

// Removes what interrupted runs left behind. Only called with the root's lock held.
void RemoveLeftovers(const std::string& root) {
  for (const auto& n : ListDir(root)) {
    if (StartsWith(n, kTmpPrefix) || StartsWith(n, kDeletingPrefix)) {
      log::Info("removing the leftover of an interrupted run", {{"path", root + "/" + n}});
      RemoveTree(root + "/" + n);
    }
  }
}

std::string ArchiveName(size_t index, const std::string& dir) {
  std::string base = dir.substr(dir.rfind('/') + 1);
  std::string clean;
  for (char c : base) clean += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  if (clean.empty()) clean = "root";
  return "dir-" + std::to_string(index) + "-" + clean.substr(0, 64) + ".tar.gz";
}

void WriteManifest(const std::string& dir, const Manifest& m) {
  std::string json = ManifestToJson(m);
  FileSink sink(dir + "/" + kManifestFile, 0644);
  sink.Write(json.data(), json.size());
  sink.Finish();
  WriteManifestSeal(dir, json);
}

Manifest ReadManifest(const std::string& dir) {
  std::string path = dir + "/" + kManifestFile;
  std::string text;
  try {
    text = ReadFile(path);
  } catch (const Error& e) {
    throw Error(std::string(e.what()) + ": the restore point is incomplete or corrupt");
  }
  return ManifestFromJson(text, path);
}

// Runs fn in a worker thread, capturing its exception; a failure asks the other workers to stop.
class Worker {
 public:
  template <class F>
  explicit Worker(F fn) : thread_([this, fn] {
      try {
        fn();
      } catch (...) {
        error_ = std::current_exception();
        RequestCancel();
      }
    }) {}
  void Join() {
    if (thread_.joinable()) thread_.join();
  }
  std::exception_ptr error() const { return error_; }

 private:
  std::exception_ptr error_;
  std::thread thread_;
};

void CheckDigest(const std::string& path, const Artifact& a, const FileDigest& d) {
  if (d.size != a.size || d.sha256 != a.sha256)
    throw Error(path + ": " + (d.size != a.size ? "size " + std::to_string(d.size) + " differs from the manifest's " +
                                                       std::to_string(a.size)
                                                 : "SHA-256 " + d.sha256 + " differs from the manifest's " + a.sha256) +
                ": the restore point is corrupt; use another restore point (capstan backup list)");
}

// The bytes VerifyArtifact reads: a dump once (its checksum; pg_restore --list reads its table of contents), an
// archive twice (its checksum, then every entry).
uint64_t VerifyBytes(const Artifact& a) { return a.kind == kKindDump ? a.size : 2 * a.size; }

void VerifyArtifact(const std::string& dir, Artifact& a, const PgTool* pg_restore, std::atomic<uint64_t>* progress) {
  std::string path = dir + "/" + a.name;
  if (a.kind == kKindDump) {
    CheckDigest(path, a, DigestFile(path, progress));
    if (!pg_restore) throw Error("internal error: no pg_restore to verify " + path);
    uint64_t toc = ListDump(*pg_restore, path);
    if (a.entries != 0 && toc != a.entries)
      throw Error(path + ": pg_restore --list shows " + std::to_string(toc) + " entries, the manifest " +
                  std::to_string(a.entries) + ": the restore point is corrupt");
    a.entries = toc;
  } else {
    // The checksum first, so that a corrupt archive is reported as such (not as a gzip or tar error).
    CheckDigest(path, a, DigestFile(path, progress));
    ArchiveCheck c = CheckArchiveFile(path, progress);
    CheckDigest(path, a, FileDigest{c.size, c.sha256});
    if (a.entries != 0 && c.entries != a.entries)
      throw Error(path + ": the archive lists " + std::to_string(c.entries) + " entries, the manifest " +
                  std::to_string(a.entries) + ": the restore point is corrupt");
    a.entries = c.entries;
    a.data_bytes = c.data_bytes;
  }
}

// The volume snapshots a restore point records (none when its manifest is unreadable).
std::vector<VolumeSnapshotRecord> PointSnapshots(const std::string& root, const std::string& id) {
  try {
    return ReadManifest(root + "/" + id).volume_snapshots;
  } catch (const Error&) {
    return {};
  }
}

}  // namespace

std::string NewPointId(const std::string& root_in) {
  std::string root = Normalize(Absolute(root_in));
  std::time_t now = std::time(nullptr);
  std::string id = FormatTime(now, "%Y%m%dT%H%M%SZ");
  for (int n = 2; IsDir(root + "/" + id) || IsDir(root + "/" + kTmpPrefix + id); ++n)
    id = FormatTime(now, "%Y%m%dT%H%M%SZ") + "-" + std::to_string(n);
  return id;
}

BackupResult CreateBackup(const BackupOptions& o) {
  auto started = std::chrono::steady_clock::now();
  if (o.root.empty()) throw UsageError("no backup root: pass --backup-root DIR (a volume for restore points)");
  if (!o.database && o.dirs.empty() && o.volume_snapshots.empty())
    throw UsageError("nothing to back up: pass --dir DIR or --snapshot-pvc CLAIM (repeatable) and/or leave the "
                     "database on");
  std::string root = Normalize(Absolute(o.root));
  std::vector<std::string> dirs;
  for (const auto& d : o.dirs) {
    std::string a = Normalize(Absolute(d));
    if (!IsDir(a)) throw UsageError("--dir " + d + " is not a directory: pass an existing directory to archive");
    dirs.push_back(a);
  }
  MakeDirectories(root, 0755);
  InstallCancelHandlers();
  ResetCancel();
  RootLock lock(root, "back up");
  RemoveLeftovers(root);

  Manifest m;
  m.release = o.release;
  m.namespace_name = o.namespace_name;
  m.revision = o.revision;
  m.chart = o.chart;
  m.chart_version = o.chart_version;
  m.app_version = o.app_version;
  m.capstan_version = CAPSTAN_VERSION;
  if (!o.release.empty()) {
    // The chain a rollback checks (rollback_point.h): the revision of the release's newest restore point, read
    // under the lock, so that no other backup can come between.
    m.previous_revision = "0";
    for (const auto& p : ListPoints(root))
      if (p.complete && p.manifest->release == o.release) {
        m.previous_revision = p.manifest->revision;
        break;
      }
  }
  m.state = kStateComplete;

  // The tools and the server version, before anything is written.
  PgTool pg_dump, pg_restore;
  ChildConnection conn;
  uint64_t database_size = 0;  // the estimate of the dump's size in the progress total
  if (o.database) {
    pg_dump = ProbePgTool("pg_dump", o.pg_dump_path);
    pg_restore = ProbePgTool("pg_restore", o.pg_restore_path);
    conn = ChildConnectionFor(o.pg);
    {
      pg::Connection c = pg::Connection::Open(o.pg);
      m.server_version_num = c.ServerVersionNum();
      auto size = c.Exec("SELECT pg_database_size(current_database())");
      database_size = size.rows() == 1 ? std::strtoull(size.Text(0, 0).c_str(), nullptr, 10) : 0;
      m.server_version = c.ServerVersion();
      auto sp = m.server_version.find(' ');
      if (sp != std::string::npos) m.server_version.resize(sp);
    }
    CheckDumpCompatible(pg_dump, m.server_version_num);
    if (pg_restore.major < pg_dump.major)
      throw Error("pg_restore " + std::to_string(pg_restore.major) + " cannot read a dump of pg_dump " +
                  std::to_string(pg_dump.major) + ": use the pg_restore of the same installation (--pg-restore PATH)");
    m.database = conn.dbname;
    m.pg_dump_version = pg_dump.version;
    m.pg_dump_major = pg_dump.major;
  }

  std::time_t now = std::time(nullptr);
  std::string id = FormatTime(now, "%Y%m%dT%H%M%SZ");
  for (int n = 2; IsDir(root + "/" + id) || IsDir(root + "/" + kTmpPrefix + id); ++n)
    id = FormatTime(now, "%Y%m%dT%H%M%SZ") + "-" + std::to_string(n);
  // Volume snapshots: the id was chosen (and put into the snapshots' labels) before they were taken.
  if (!o.id.empty()) {
    if (!ValidId(o.id)) throw UsageError("invalid restore point id " + Quote(o.id));
    if (IsDir(root + "/" + o.id) || IsDir(root + "/" + kTmpPrefix + o.id))
      throw Error("restore point " + o.id + " already exists in " + root + ": another backup took the same id");
    id = o.id;
  }
  m.volume_snapshots = o.volume_snapshots;
  m.id = id;
  m.time = FormatTime(now, "%Y-%m-%dT%H:%M:%SZ");
  m.time_unix = static_cast<int64_t>(now);
  std::string tmp = root + "/" + kTmpPrefix + id;
  std::string final_dir = root + "/" + id;
  log::Info("backup started", {{"id", id}, {"root", root}, {"database", o.database ? conn.description : "none"},
                               {"directories", static_cast<unsigned long>(dirs.size())}});
  try {
    if (::mkdir(tmp.c_str(), 0700) != 0) {
      int err = errno;
      if (err == ENOSPC || err == EDQUOT) throw PreconditionError("cannot create " + tmp + ": " + std::strerror(err));
      throw Error("cannot create " + tmp + ": " + std::strerror(err));
    }
    struct stat root_st {};
    ::stat(root.c_str(), &root_st);
    // "backup": the dump's bytes and the archived file data; its total is the directories' file sizes (exact) and
    // the database's size (an estimate, replaced by the dump's size when it is written). "verify": the re-read.
    Progress progress(std::vector<std::string>{"backup", "verify"});
    ProgressCounter& written = progress.counter("backup");
    ProgressCounter& verified = progress.counter("verify");
    std::set<std::pair<dev_t, ino_t>> exclude = {{root_st.st_dev, root_st.st_ino}};
    for (const auto& d : dirs) written.total += DirectoryDataBytes(d, exclude);
    if (o.database && database_size > 0) {
      written.total += database_size;
      written.estimated = database_size;
    }

    std::atomic<int> writers{(o.database ? 1 : 0) + (dirs.empty() ? 0 : 1)};
    auto written_one = [&] {
      if (--writers == 0) written.done = true;
    };
    Artifact dump_artifact;
    std::vector<Artifact> archives(dirs.size());
    std::unique_ptr<Worker> dump_worker, archive_worker;
    if (o.database) {
      dump_worker = std::make_unique<Worker>([&] {
        std::string path = tmp + "/" + kDumpName;
        DumpOutcome d = RunDump(pg_dump, conn, path, o.dump_compress, &written.bytes);
        written.total += d.size;
        written.total -= written.estimated.exchange(0);
        written_one();
        dump_artifact.name = kDumpName;
        dump_artifact.kind = kKindDump;
        dump_artifact.source = conn.dbname;
        dump_artifact.size = d.size;
        dump_artifact.sha256 = d.sha256;
        log::Info("database dumped", {{"bytes", static_cast<unsigned long long>(d.size)}, {"sha256", d.sha256}});
        verified.total += VerifyBytes(dump_artifact);
        VerifyArtifact(tmp, dump_artifact, &pg_restore, &verified.bytes);
        log::Info("dump verified", {{"toc_entries", static_cast<unsigned long long>(dump_artifact.entries)}});
      });
    }
    if (!dirs.empty()) {
      archive_worker = std::make_unique<Worker>([&] {
        for (size_t i = 0; i < dirs.size(); ++i) {
          Artifact& a = archives[i];
          a.name = ArchiveName(i, dirs[i]);
          a.kind = kKindArchive;
          a.source = dirs[i];
          std::string path = tmp + "/" + a.name;
          FileSink file(path, 0600);
          GzipSink gz(file, o.archive_compress);
          WriteArchiveOptions wo;
          wo.exclude = exclude;
          wo.progress = &written.bytes;
          ArchiveStats s = WriteDirectoryArchive(dirs[i], gz, wo);
          gz.Finish();
          file.Finish();
          a.size = file.size();
          a.sha256 = file.sha256();
          a.entries = s.entries;
          a.data_bytes = s.data_bytes;
          log::Info("directory archived", {{"dir", dirs[i]}, {"entries", static_cast<unsigned long long>(s.entries)},
                                           {"bytes", static_cast<unsigned long long>(a.size)}, {"sha256", a.sha256}});
          if (i + 1 == dirs.size()) written_one();
          verified.total += VerifyBytes(a);
          VerifyArtifact(tmp, a, nullptr, &verified.bytes);
          log::Info("archive verified", {{"dir", dirs[i]}});
        }
      });
    }
    if (dump_worker) dump_worker->Join();
    if (archive_worker) archive_worker->Join();
    progress.Stop();
    // A signal or disk-full error in one worker makes the other stop with a secondary message: report the first.
    std::exception_ptr first;
    for (Worker* w : {dump_worker.get(), archive_worker.get()}) {
      if (!w || !w->error()) continue;
      try {
        std::rethrow_exception(w->error());
      } catch (const Error& e) {
        if (!first || std::string(e.what()).find("another part of the same operation") == std::string::npos)
          first = w->error();
      } catch (...) {
        first = w->error();
      }
    }
    if (first) std::rethrow_exception(first);
    ThrowIfCancelled();

    if (o.database) m.artifacts.push_back(dump_artifact);
    for (auto& a : archives) m.artifacts.push_back(a);
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    WriteManifest(tmp, m);
    SyncDirectory(tmp);
    ThrowIfCancelled();
    if (::rename(tmp.c_str(), final_dir.c_str()) != 0)
      throw Error("cannot rename " + tmp + " to " + final_dir + ": " + std::strerror(errno));
    SyncDirectory(root);
  } catch (...) {
    try {
      RemoveTree(tmp);
    } catch (const std::exception& e) {
      log::Error("cannot remove the partial restore point", {{"path", tmp}, {"error", e.what()}});
    }
    throw;
  }
  BackupResult r;
  r.manifest = m;
  r.path = final_dir;
  log::Info("restore point complete", {{"id", id}, {"path", final_dir}, {"seconds", m.seconds}});
  if (o.retention.Any()) {
    std::vector<PointTime> times;
    for (const auto& p : ListPoints(root))
      if (p.complete) times.push_back({p.id, p.manifest->time_unix});
    for (const auto& del : SelectForPruning(times, o.retention, static_cast<int64_t>(std::time(nullptr)))) {
      std::string gone = root + "/" + kDeletingPrefix + del;
      std::vector<VolumeSnapshotRecord> snaps = PointSnapshots(root, del);
      if (::rename((root + "/" + del).c_str(), gone.c_str()) != 0) continue;
      r.pruned_snapshots.insert(r.pruned_snapshots.end(), snaps.begin(), snaps.end());
      RemoveTree(gone);
      r.pruned.push_back(del);
      log::Info("pruned restore point", {{"id", del}});
    }
    SyncDirectory(root);
  }
  return r;
}

std::vector<PointInfo> ListPoints(const std::string& root_in) {
  std::string root = Normalize(Absolute(root_in));
  if (!IsDir(root)) throw UsageError("backup root " + root + " does not exist: pass the --backup-root of your backups");
  std::vector<PointInfo> complete, incomplete;
  for (const auto& n : ListDir(root)) {
    std::string path = root + "/" + n;
    if (!IsDir(path)) continue;
    PointInfo p;
    p.path = path;
    if (StartsWith(n, kTmpPrefix)) {
      p.id = n.substr(std::strlen(kTmpPrefix));
      p.problem = "incomplete: in progress or interrupted (removed by the next backup or prune)";
      incomplete.push_back(p);
      continue;
    }
    if (StartsWith(n, kDeletingPrefix)) {
      p.id = n.substr(std::strlen(kDeletingPrefix));
      p.problem = "being deleted";
      incomplete.push_back(p);
      continue;
    }
    if (!ValidId(n)) continue;
    p.id = n;
    try {
      Manifest m = ReadManifest(path);
      if (m.id != n) throw Error(path + ": the manifest names id " + m.id);
      p.complete = m.state == kStateComplete;
      if (!p.complete) p.problem = "state " + m.state;
      p.manifest = std::move(m);
    } catch (const Error& e) {
      p.problem = e.what();
    }
    (p.complete ? complete : incomplete).push_back(std::move(p));
  }
  std::sort(complete.begin(), complete.end(), [](const PointInfo& a, const PointInfo& b) {
    return a.manifest->time_unix != b.manifest->time_unix ? a.manifest->time_unix > b.manifest->time_unix : a.id > b.id;
  });
  std::sort(incomplete.begin(), incomplete.end(), [](const PointInfo& a, const PointInfo& b) { return a.id > b.id; });
  complete.insert(complete.end(), incomplete.begin(), incomplete.end());
  return complete;
}

PointInfo ResolvePoint(const std::string& root, const std::string& id, const std::string& release) {
  auto points = ListPoints(root);
  if (id == "latest") {
    for (const auto& p : points)
      if (p.complete && (release.empty() || p.manifest->release == release)) return p;
    throw Error("no complete restore point in " + Normalize(Absolute(root)) +
                (release.empty() ? "" : " for release " + release) + ": run capstan backup first");
  }
  if (!ValidId(id)) throw UsageError("invalid restore point id " + Quote(id) + ": see capstan backup list");
  for (const auto& p : points) {
    if (p.id != id) continue;
    if (p.complete) return p;
    throw Error("restore point " + id + " is not complete (" + p.problem + "): use another (capstan backup list)");
  }
  throw Error("no restore point " + id + " in " + Normalize(Absolute(root)) + ": see capstan backup list");
}

VerifyResult VerifyPoint(const std::string& root, const std::string& id, const std::string& pg_restore_path) {
  PointInfo p = ResolvePoint(root, id, "");
  VerifyResult r;
  // The manifest decides what a restore does: only its sealed bytes are trusted (manifest_seal.h).
  r.manifest = ManifestFromJson(ReadSealedManifest(p.path), p.path + "/" + kManifestFile);
  if (r.manifest.id != p.id) throw Error(p.path + ": the manifest names id " + r.manifest.id);
  if (r.manifest.artifacts.empty() && r.manifest.volume_snapshots.empty())
    throw Error("restore point " + p.id + " lists no database dump and no directory archive: it has nothing to "
                "restore; use another restore point (capstan backup list)");
  for (const auto& n : ListDir(p.path)) {
    if (n == kManifestFile || n == kManifestSealFile) continue;
    bool listed = std::any_of(r.manifest.artifacts.begin(), r.manifest.artifacts.end(),
                              [&](const Artifact& a) { return a.name == n; });
    if (!listed)
      throw Error(p.path + "/" + n + " is not listed in the restore point's manifest: the restore point was "
                  "changed after the backup; use another restore point (capstan backup list)");
  }
  std::optional<PgTool> pg_restore;
  Progress progress("verify");
  for (const auto& a : r.manifest.artifacts) progress.counter().total += VerifyBytes(a);
  for (auto& a : r.manifest.artifacts) {
    if (a.kind == kKindDump && !pg_restore) pg_restore = ProbePgTool("pg_restore", pg_restore_path);
    VerifyArtifact(p.path, a, pg_restore ? &*pg_restore : nullptr, &progress.bytes());
    r.bytes += a.size;
    log::Info("artifact verified", {{"artifact", a.name}, {"sha256", a.sha256}});
  }
  return r;
}

std::vector<std::string> Prune(const std::string& root_in, const RetentionPolicy& policy,
                               std::vector<VolumeSnapshotRecord>* pruned_snapshots) {
  std::string root = Normalize(Absolute(root_in));
  if (!IsDir(root)) throw UsageError("backup root " + root + " does not exist");
  RootLock lock(root, "prune");
  RemoveLeftovers(root);
  std::vector<PointTime> times;
  for (const auto& p : ListPoints(root))
    if (p.complete) times.push_back({p.id, p.manifest->time_unix});
  std::vector<std::string> deleted;
  for (const auto& id : SelectForPruning(times, policy, static_cast<int64_t>(std::time(nullptr)))) {
    std::string gone = root + "/" + kDeletingPrefix + id;
    std::vector<VolumeSnapshotRecord> snaps = PointSnapshots(root, id);
    if (::rename((root + "/" + id).c_str(), gone.c_str()) != 0)
      throw Error("cannot delete restore point " + root + "/" + id + ": " + std::strerror(errno));
    if (pruned_snapshots) pruned_snapshots->insert(pruned_snapshots->end(), snaps.begin(), snaps.end());
    RemoveTree(gone);
    deleted.push_back(id);
    log::Info("pruned restore point", {{"id", id}});
  }
  SyncDirectory(root);
  return deleted;
}

RestoreResult Restore(const RestoreOptions& o) {
  std::string root = Normalize(Absolute(o.root));
  if (o.root.empty()) throw UsageError("no backup root: pass --backup-root DIR");
  InstallCancelHandlers();
  ResetCancel();
  std::optional<RootLock> lock;
  if (!o.dry_run) lock.emplace(root, "restore");
  PointInfo p;
  if (o.rollback_to > 0) {
    if (o.release.empty())
      throw UsageError("--for-rollback-to needs --release: the restore points of which release?");
    p = SelectForRollback(ListPoints(root), o.release, o.rollback_to);
    log::Info("restore point for the rollback", {{"release", o.release}, {"to_revision", static_cast<long long>(o.rollback_to)},
                                                {"id", p.id}, {"revision", p.manifest->revision}});
  } else {
    p = ResolvePoint(root, o.id, o.release);
  }
  RestoreResult r;
  r.dry_run = o.dry_run;
  log::Info("verifying restore point", {{"id", p.id}});
  VerifyResult v = VerifyPoint(root, p.id, o.pg_restore_path);
  r.manifest = v.manifest;
  std::optional<ChildConnection> conn;
  const std::vector<std::string> mounts = MountPoints();
  for (const auto& entry : o.dir_map) {
    const std::string& from = entry.first;  // not a structured binding: clang 14 cannot capture those in a lambda
    const std::string& to = entry.second;
    bool used = std::any_of(r.manifest.artifacts.begin(), r.manifest.artifacts.end(), [&](const Artifact& a) {
      return a.kind == kKindArchive && Normalize(from) == a.source;
    });
    if (!used)
      throw UsageError("--dir-map " + from + "=" + to + ": restore point " + p.id + " has no archive of " + from +
                       " (see capstan backup list -o json for its directories)");
  }
  for (const auto& a : r.manifest.artifacts) {
    RestoreStep s;
    s.source = a.source;
    s.artifact = a.name;
    s.size = a.size;
    if (a.kind == kKindDump) {
      if (!o.database) continue;
      s.kind = "database";
      if (!conn) conn = ChildConnectionFor(o.pg);
      s.target = conn->description;
    } else {
      if (!o.directories) continue;
      s.kind = "directory";
      s.target = Normalize(Absolute(RestoreTarget(a.source, o.dir_map, mounts)));
    }
    r.steps.push_back(s);
  }
  // Only volume snapshots (or only they selected): the caller creates the claims from them (lib/snapshot).
  if (r.steps.empty() && !r.manifest.volume_snapshots.empty()) return r;
  if (r.steps.empty())
    throw Error("nothing to restore: restore point " + p.id + " holds " +
                std::to_string(r.manifest.artifacts.size()) + " artifact(s), none of them selected (" +
                (o.database ? "" : "--no-database ") + (o.directories ? "" : "--no-directories") +
                "); drop the flag or use another restore point");
  if (o.dry_run) return r;

  std::optional<PgTool> pg_restore, psql;
  for (const auto& s : r.steps) {
    if (s.kind != "database") continue;
    pg_restore = ProbePgTool("pg_restore", o.pg_restore_path);
    psql = ProbePsql(o.psql_path, *pg_restore);
    if (pg_restore->major < r.manifest.pg_dump_major)
      throw Error("pg_restore " + std::to_string(pg_restore->major) + " cannot read a dump made by pg_dump " +
                  std::to_string(r.manifest.pg_dump_major) + ": use a pg_restore of major version >= " +
                  std::to_string(r.manifest.pg_dump_major) + " (--pg-restore PATH)");
    pg::Connection c = pg::Connection::Open(o.pg);  // reachable, with retries, before anything changes
  }
  // Directories are staged first (a full disk or a bad archive stops here, with nothing changed), then the
  // database is restored in one transaction, then the staged directories are swapped in.
  std::vector<std::unique_ptr<DirectoryRestore>> staged;
  // "restore": the archives read while staging, then the SQL relayed to psql (its size is known only afterwards:
  // a total only when no database is restored).
  Progress progress("restore");
  bool restores_database = false;
  for (const auto& s : r.steps) {
    if (s.kind == "database") restores_database = true;
    else progress.counter().total += s.size;
  }
  if (restores_database) progress.counter().total = 0;
  ExtractOptions extract;
  extract.keep_setid = o.keep_setid;
  for (auto& s : r.steps) {
    if (s.kind != "directory") continue;
    auto d = std::make_unique<DirectoryRestore>(s.target, p.path + "/" + s.artifact, [&] {
      for (const auto& a : r.manifest.artifacts)
        if (a.name == s.artifact) return a.sha256;
      return std::string();
    }(), extract);
    ArchiveStats st = d->Stage(&progress.bytes());
    log::Info("directory staged", {{"dir", s.target}, {"entries", static_cast<unsigned long long>(st.entries)}});
    for (const auto& n : st.notes) log::Warn("not restored as archived", {{"dir", s.target}, {"entry", n}});
    s.warnings = st.notes;
    staged.push_back(std::move(d));
    ThrowIfCancelled();
  }
  for (const auto& s : r.steps) {
    if (s.kind != "database") continue;
    log::Info("restoring the database", {{"target", s.target}, {"artifact", s.artifact}});
    RestoreDump(*pg_restore, *psql, *conn, p.path + "/" + s.artifact, o.no_owner, &progress.bytes());
    log::Info("database restored", {{"target", s.target}});
  }
  for (auto& d : staged) {
    d->Commit();
    log::Info("directory restored", {{"dir", d->target()}});
  }
  progress.Stop();
  return r;
}

}  // namespace capstan::backup
