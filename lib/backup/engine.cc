#include "backup/engine.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <exception>
#include <map>
#include <set>
#include <thread>

#include "backup/archive.h"
#include "backup/artifact_source.h"
#include "backup/cancel.h"
#include "backup/crypt_key.h"
#include "backup/crypt_stream.h"
#include "backup/fs_util.h"
#include "backup/manifest_seal.h"
#include "backup/pg_tools.h"
#include "backup/progress.h"
#include "backup/restore_targets.h"
#include "backup/rollback_point.h"
#include "backup/streams.h"
#include "capstan_version.h"
#include "log/log.h"
#include "pg/connection.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace capstan::backup {

namespace {

constexpr const char* kDumpName = "database.dump";

std::string FormatTime(std::time_t t, const char* fmt) {
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, fmt, &tm);
  return buf;
}

std::string ArchiveName(size_t index, const std::string& dir) {
  std::string base = dir.substr(dir.rfind('/') + 1);
  std::string clean;
  for (char c : base) clean += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  if (clean.empty()) clean = "root";
  return "dir-" + std::to_string(index) + "-" + clean.substr(0, 64) + ".tar.gz";
}

constexpr size_t kMaxManifestBytes = 16 << 20;

// A point's manifest.json as stored (not yet checked against its seal).
std::string ManifestText(Store& store, const std::string& id) {
  std::optional<std::string> text = store.ReadSmall(id, kManifestFile);
  if (!text) throw Error(store.Where(id, kManifestFile) + " is missing: the restore point is incomplete or corrupt");
  if (text->size() > kMaxManifestBytes) throw Error(store.Where(id, kManifestFile) + " is too large: the restore point is corrupt");
  return *text;
}

Manifest ReadManifest(Store& store, const std::string& id) {
  return ManifestFromJson(ManifestText(store, id), store.Where(id, kManifestFile));
}

// Reading an encrypted restore point needs the key whose id its manifest records, and a key given for a point that
// is not encrypted is refused too (its manifest may have been replaced by one that says "not encrypted"): both
// before anything is read or changed.
void CheckKeyFor(const Manifest& m, const Key* key) {
  if (m.encryption_key_id.empty()) {
    if (key)
      throw UsageError("restore point " + m.id + " is not encrypted, but --encryption-key-file was given: it was made "
                       "without encryption (drop the flag to use it), or its manifest was replaced");
    return;
  }
  if (!key)
    throw UsageError("restore point " + m.id + " is encrypted (key id " + m.encryption_key_id +
                     "): pass the key it was made with, --encryption-key-file FILE (or CAPSTAN_ENCRYPTION_KEY_FILE)");
  if (KeyId(*key) != m.encryption_key_id)
    throw WrongKeyError("restore point " + m.id + " was encrypted with key id " + m.encryption_key_id +
                        ", the key in --encryption-key-file has key id " + KeyId(*key) +
                        ": pass the key the backup was made with; nothing was read or changed");
}

// The sealed manifest of a point: only its sealed bytes are trusted (manifest_seal.h); an encrypted point's seal is
// an HMAC under the key.
Manifest ReadSealedManifest(Store& store, const std::string& id, const Key* key) {
  std::string text = ManifestText(store, id);
  Manifest m = ManifestFromJson(text, store.Where(id, kManifestFile));  // not trusted yet: which key seals it
  CheckKeyFor(m, key);
  CheckSeal(text, store.ReadSmall(id, kManifestSealFile), store.Where(id, kManifestFile),
            store.Where(id, kManifestSealFile), store.ResealHint(id), m.encryption_key_id.empty() ? nullptr : key);
  return m;
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

// An artifact's bytes as stored, checked against the manifest at their end (artifact_source.h).
std::unique_ptr<CheckedSource> OpenArtifact(Store& store, const std::string& id, const Artifact& a,
                                            std::atomic<uint64_t>* progress) {
  return std::make_unique<CheckedSource>(store.Open(id, a.name), store.Where(id, a.name), a.size, a.sha256, progress);
}

// The key of an operation, loaded once from --encryption-key-file (null without one).
std::shared_ptr<const Key> LoadKey(const StoreOptions& o) {
  if (o.encryption_key_file.empty()) return nullptr;
  return std::make_shared<const Key>(LoadKeyFile(o.encryption_key_file));
}

// An artifact's plain bytes: the stored bytes, checked against the manifest (CheckedSource), decrypted when the
// restore point is encrypted (every segment authenticated by AES-GCM).
class ArtifactReader : public ByteSource {
 public:
  ArtifactReader(std::unique_ptr<CheckedSource> stored, const Key* key, const std::string& what)
      : stored_(std::move(stored)) {
    if (!key) return;
    try {
      plain_ = std::make_unique<DecryptSource>(*stored_, *key, what);
    } catch (const Error&) {
      stored_->Drain();
      throw;
    }
  }
  size_t Read(char* data, size_t n) override { return plain_ ? plain_->Read(data, n) : stored_->Read(data, n); }
  // After a consumer's error: the rest is read, so that a checksum mismatch is what gets reported.
  void Drain() { stored_->Drain(); }

 private:
  std::unique_ptr<CheckedSource> stored_;
  std::unique_ptr<DecryptSource> plain_;
};

// Re-reads an artifact: its size and SHA-256 (and its AES-GCM tags when encrypted), and its contents
// (pg_restore --list of a dump; every entry of an archive). Fills in what the reading found (TOC entries, archive
// entries) and throws Error when it differs.
void VerifyArtifact(Store& store, const std::string& id, Artifact& a, const PgTool* pg_restore, const Key* key,
                    std::atomic<uint64_t>* progress) {
  std::string where = store.Where(id, a.name);
  ArtifactReader in(OpenArtifact(store, id, a, progress), key, where);
  if (a.kind == kKindDump) {
    if (!pg_restore) throw Error("internal error: no pg_restore to verify " + where);
    uint64_t toc = ListDump(*pg_restore, in, where);
    if (a.entries != 0 && toc != a.entries)
      throw Error(where + ": pg_restore --list shows " + std::to_string(toc) + " entries, the manifest " +
                  std::to_string(a.entries) + ": the restore point is corrupt");
    a.entries = toc;
  } else {
    ArchiveCheck c;
    try {
      c = CheckArchive(in, where);
    } catch (const Error&) {
      in.Drain();  // a changed archive is reported by its checksum, not by the gzip or tar error it causes
      throw;
    }
    if (a.entries != 0 && c.entries != a.entries)
      throw Error(where + ": the archive lists " + std::to_string(c.entries) + " entries, the manifest " +
                  std::to_string(a.entries) + ": the restore point is corrupt");
    a.entries = c.entries;
    a.data_bytes = c.data_bytes;
  }
}

// Where an artifact is written: the store's writer, through encryption when there is a key.
class ArtifactOutput {
 public:
  ArtifactOutput(Store& store, const std::string& id, const std::string& name, const Key* key)
      : out_(store.Create(id, name)) {
    if (key) encrypt_ = std::make_unique<EncryptSink>(*out_, *key);
  }
  ByteSink& sink() { return encrypt_ ? static_cast<ByteSink&>(*encrypt_) : *out_; }
  void Finish() {
    if (encrypt_) encrypt_->Finish();
    out_->Finish();
  }
  uint64_t size() const { return out_->size(); }
  std::string sha256() { return out_->sha256(); }

 private:
  std::unique_ptr<ArtifactWriter> out_;
  std::unique_ptr<EncryptSink> encrypt_;
};

// A new id: the time, UTC, with -2, -3... when taken.
std::string NewId(Store& store, std::time_t now) {
  std::string id = FormatTime(now, "%Y%m%dT%H%M%SZ");
  for (int n = 2; store.Taken(id); ++n) id = FormatTime(now, "%Y%m%dT%H%M%SZ") + "-" + std::to_string(n);
  return id;
}

const Artifact& Find(const Manifest& m, const std::string& name) {
  for (const auto& a : m.artifacts)
    if (a.name == name) return a;
  throw Error("internal error: no artifact " + name + " in the manifest of " + m.id);
}

// Opens an artifact afresh each time (a restore reads it twice), each time with its own store handle: the reads
// may run while the store is used elsewhere.
SourceOpener ArtifactOpener(const StoreOptions& options, const std::string& id, const Artifact& a,
                            std::shared_ptr<const Key> key) {
  return [options, id, a, key](std::atomic<uint64_t>* progress) -> std::unique_ptr<ByteSource> {
    struct Owning : ByteSource {
      std::unique_ptr<Store> store;
      std::unique_ptr<ArtifactReader> in;
      size_t Read(char* data, size_t n) override { return in->Read(data, n); }
    };
    auto src = std::make_unique<Owning>();
    src->store = OpenStore(options);
    src->in = std::make_unique<ArtifactReader>(OpenArtifact(*src->store, id, a, progress), key.get(),
                                               src->store->Where(id, a.name));
    return src;
  };
}

}  // namespace

std::string NewPointId(const StoreOptions& options) {
  std::unique_ptr<Store> store = OpenStore(options);
  return NewId(*store, std::time(nullptr));
}

BackupResult CreateBackup(const BackupOptions& o) {
  auto started = std::chrono::steady_clock::now();
  if (o.root.empty()) throw UsageError("no backup root: pass --backup-root DIR (a volume for restore points) or s3://BUCKET/PREFIX");
  if (!o.database && o.dirs.empty() && o.volume_snapshots.empty())
    throw UsageError("nothing to back up: pass --dir DIR or --snapshot-pvc CLAIM (repeatable) and/or leave the "
                     "database on");
  std::vector<std::string> dirs;
  for (const auto& d : o.dirs) {
    std::string a = AbsolutePath(d);
    if (!IsDirectory(a)) throw UsageError("--dir " + d + " is not a directory: pass an existing directory to archive");
    dirs.push_back(a);
  }
  std::unique_ptr<Store> store = OpenStore(o);
  std::shared_ptr<const Key> key = LoadKey(o);
  store->Prepare(true);
  InstallCancelHandlers();
  ResetCancel();
  std::unique_ptr<StoreLock> lock = store->Lock("back up");
  store->RemoveLeftovers();

  Manifest m;
  m.release = o.release;
  m.namespace_name = o.namespace_name;
  m.revision = o.revision;
  m.chart = o.chart;
  m.chart_version = o.chart_version;
  m.app_version = o.app_version;
  m.capstan_version = CAPSTAN_VERSION;
  if (key) m.encryption_key_id = KeyId(*key);
  if (!o.release.empty()) {
    // The chain a rollback checks (rollback_point.h): the revision of the release's newest restore point, read
    // under the lock, so that no other backup can come between.
    m.previous_revision = "0";
    for (const auto& p : ListPoints(*store))
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
  std::string id = NewId(*store, now);
  // Volume snapshots: the id was chosen (and put into the snapshots' labels) before they were taken.
  if (!o.id.empty()) {
    if (!ValidId(o.id)) throw UsageError("invalid restore point id " + Quote(o.id));
    if (store->Taken(o.id))
      throw Error("restore point " + o.id + " already exists in " + store->Describe() + ": another backup took the same id");
    id = o.id;
  }
  m.volume_snapshots = o.volume_snapshots;
  m.id = id;
  m.time = FormatTime(now, "%Y-%m-%dT%H:%M:%SZ");
  m.time_unix = static_cast<int64_t>(now);
  log::Info("backup started", {{"id", id}, {"root", store->Describe()}, {"database", o.database ? conn.description : "none"},
                               {"directories", static_cast<unsigned long>(dirs.size())}});
  bool begun = false;
  try {
    store->Begin(id);
    begun = true;
    // "backup": the dump's bytes and the archived file data; its total is the directories' file sizes (exact) and
    // the database's size (an estimate, replaced by the dump's size when it is written). "verify": the re-read.
    Progress progress(std::vector<std::string>{"backup", "verify"});
    ProgressCounter& written = progress.counter("backup");
    ProgressCounter& verified = progress.counter("verify");
    std::set<std::pair<dev_t, ino_t>> exclude = store->ArchiveExclusions();
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
    // Each worker has its own store handle: an S3 store's connection is not shared between threads.
    if (o.database) {
      dump_worker = std::make_unique<Worker>([&] {
        std::unique_ptr<Store> own = OpenStore(o);
        ArtifactOutput out(*own, id, kDumpName, key.get());
        uint64_t dumped = RunDump(pg_dump, conn, out.sink(), o.dump_compress, &written.bytes);
        out.Finish();
        written.total += dumped;
        written.total -= written.estimated.exchange(0);
        written_one();
        dump_artifact.name = kDumpName;
        dump_artifact.kind = kKindDump;
        dump_artifact.source = conn.dbname;
        dump_artifact.size = out.size();
        dump_artifact.sha256 = out.sha256();
        log::Info("database dumped", {{"bytes", static_cast<unsigned long long>(dump_artifact.size)},
                                      {"sha256", dump_artifact.sha256}});
        verified.total += dump_artifact.size;  // verification reads each artifact once
        VerifyArtifact(*own, id, dump_artifact, &pg_restore, key.get(), &verified.bytes);
        log::Info("dump verified", {{"toc_entries", static_cast<unsigned long long>(dump_artifact.entries)}});
      });
    }
    if (!dirs.empty()) {
      archive_worker = std::make_unique<Worker>([&] {
        std::unique_ptr<Store> own = OpenStore(o);
        for (size_t i = 0; i < dirs.size(); ++i) {
          Artifact& a = archives[i];
          a.name = ArchiveName(i, dirs[i]);
          a.kind = kKindArchive;
          a.source = dirs[i];
          ArtifactOutput out(*own, id, a.name, key.get());
          GzipSink gz(out.sink(), o.archive_compress);
          WriteArchiveOptions wo;
          wo.exclude = exclude;
          wo.progress = &written.bytes;
          ArchiveStats s = WriteDirectoryArchive(dirs[i], gz, wo);
          gz.Finish();
          out.Finish();
          a.size = out.size();
          a.sha256 = out.sha256();
          a.entries = s.entries;
          a.data_bytes = s.data_bytes;
          log::Info("directory archived", {{"dir", dirs[i]}, {"entries", static_cast<unsigned long long>(s.entries)},
                                           {"bytes", static_cast<unsigned long long>(a.size)}, {"sha256", a.sha256}});
          if (i + 1 == dirs.size()) written_one();
          verified.total += a.size;
          VerifyArtifact(*own, id, a, nullptr, key.get(), &verified.bytes);
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
    std::string json = ManifestToJson(m);
    ThrowIfCancelled();
    store->Publish(id, json, SealText(json, key.get()));
  } catch (...) {
    if (begun) {
      try {
        store->Discard(id);
      } catch (const std::exception& e) {
        log::Error("cannot remove the partial restore point", {{"point", store->Where(id)}, {"error", e.what()}});
      }
    }
    throw;
  }
  BackupResult r;
  r.manifest = m;
  r.path = store->Where(id);
  log::Info("restore point complete", {{"id", id}, {"path", r.path}, {"seconds", m.seconds}});
  if (o.retention.Any()) r.pruned = PruneLocked(*store, o.retention, false, &r.pruned_snapshots);
  return r;
}

std::vector<PointInfo> ListPoints(Store& store) {
  std::vector<PointInfo> complete, incomplete;
  for (const auto& sp : store.List()) {
    PointInfo p;
    p.id = sp.id;
    p.path = store.Where(sp.id);
    if (!sp.published) {
      p.problem = sp.problem;
      incomplete.push_back(std::move(p));
      continue;
    }
    try {
      Manifest m = ReadManifest(store, sp.id);
      if (m.id != sp.id) throw Error(p.path + ": the manifest names id " + m.id);
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

std::vector<PointInfo> ListPoints(const StoreOptions& options) {
  std::unique_ptr<Store> store = OpenStore(options);
  store->Prepare(false);
  return ListPoints(*store);
}

namespace {

PointInfo Resolve(Store& store, const std::string& id, const std::string& release) {
  auto points = ListPoints(store);
  if (id == "latest") {
    for (const auto& p : points)
      if (p.complete && (release.empty() || p.manifest->release == release)) return p;
    throw Error("no complete restore point in " + store.Describe() + (release.empty() ? "" : " for release " + release) +
                ": run capstan backup first");
  }
  if (!ValidId(id)) throw UsageError("invalid restore point id " + Quote(id) + ": see capstan backup list");
  for (const auto& p : points) {
    if (p.id != id) continue;
    if (p.complete) return p;
    throw Error("restore point " + id + " is not complete (" + p.problem + "): use another (capstan backup list)");
  }
  throw Error("no restore point " + id + " in " + store.Describe() + ": see capstan backup list");
}

VerifyResult Verify(Store& store, const std::string& id, const std::string& pg_restore_path, const Key* key) {
  VerifyResult r;
  r.manifest = ReadSealedManifest(store, id, key);
  if (r.manifest.id != id) throw Error(store.Where(id) + ": the manifest names id " + r.manifest.id);
  if (r.manifest.artifacts.empty() && r.manifest.volume_snapshots.empty())
    throw Error("restore point " + id + " lists no database dump and no directory archive: it has nothing to "
                "restore; use another restore point (capstan backup list)");
  for (const auto& n : store.Files(id)) {
    if (n == kManifestFile || n == kManifestSealFile) continue;
    bool listed = std::any_of(r.manifest.artifacts.begin(), r.manifest.artifacts.end(),
                              [&](const Artifact& a) { return a.name == n; });
    if (!listed)
      throw Error(store.Where(id, n) + " is not listed in the restore point's manifest: the restore point was "
                  "changed after the backup; use another restore point (capstan backup list)");
  }
  std::optional<PgTool> pg_restore;
  Progress progress("verify");
  for (const auto& a : r.manifest.artifacts) progress.counter().total += a.size;
  for (auto& a : r.manifest.artifacts) {
    if (a.kind == kKindDump && !pg_restore) pg_restore = ProbePgTool("pg_restore", pg_restore_path);
    VerifyArtifact(store, id, a, pg_restore ? &*pg_restore : nullptr, key, &progress.bytes());
    r.bytes += a.size;
    log::Info("artifact verified", {{"artifact", a.name}, {"sha256", a.sha256}});
  }
  return r;
}

}  // namespace

PointInfo ResolvePoint(const StoreOptions& options, const std::string& id, const std::string& release) {
  std::unique_ptr<Store> store = OpenStore(options);
  store->Prepare(false);
  return Resolve(*store, id, release);
}

VerifyResult VerifyPoint(const StoreOptions& options, const std::string& id, const std::string& pg_restore_path) {
  std::unique_ptr<Store> store = OpenStore(options);
  store->Prepare(false);
  std::shared_ptr<const Key> key = LoadKey(options);
  PointInfo p = Resolve(*store, id, "");
  return Verify(*store, p.id, pg_restore_path, key.get());
}

std::vector<std::string> PruneLocked(Store& store, const RetentionPolicy& policy, bool strict,
                                     std::vector<VolumeSnapshotRecord>* pruned_snapshots) {
  std::vector<PointTime> times;
  std::map<std::string, std::vector<VolumeSnapshotRecord>> snapshots;
  for (const auto& p : ListPoints(store))
    if (p.complete) {
      times.push_back({p.id, p.manifest->time_unix});
      snapshots[p.id] = p.manifest->volume_snapshots;
    }
  std::vector<std::string> deleted;
  for (const auto& id : SelectForPruning(times, policy, static_cast<int64_t>(std::time(nullptr)))) {
    try {
      store.Delete(id);
    } catch (const Error& e) {
      if (strict) throw;
      log::Warn("cannot prune restore point", {{"id", id}, {"error", e.what()}});
      continue;
    }
    if (pruned_snapshots) pruned_snapshots->insert(pruned_snapshots->end(), snapshots[id].begin(), snapshots[id].end());
    deleted.push_back(id);
    log::Info("pruned restore point", {{"id", id}});
  }
  return deleted;
}

std::vector<std::string> Prune(const StoreOptions& options, const RetentionPolicy& policy,
                               std::vector<VolumeSnapshotRecord>* pruned_snapshots) {
  std::unique_ptr<Store> store = OpenStore(options);
  store->Prepare(false);
  std::unique_ptr<StoreLock> lock = store->Lock("prune");
  store->RemoveLeftovers();
  return PruneLocked(*store, policy, true, pruned_snapshots);
}

RestoreResult Restore(const RestoreOptions& o) {
  if (o.root.empty()) throw UsageError("no backup root: pass --backup-root DIR or s3://BUCKET/PREFIX");
  std::unique_ptr<Store> store = OpenStore(o);
  std::shared_ptr<const Key> key = LoadKey(o);
  store->Prepare(false);
  InstallCancelHandlers();
  ResetCancel();
  std::unique_ptr<StoreLock> lock;
  if (!o.dry_run) lock = store->Lock("restore");
  PointInfo p;
  if (o.rollback_to > 0) {
    if (o.release.empty())
      throw UsageError("--for-rollback-to needs --release: the restore points of which release?");
    p = SelectForRollback(ListPoints(*store), o.release, o.rollback_to);
    log::Info("restore point for the rollback", {{"release", o.release}, {"to_revision", static_cast<long long>(o.rollback_to)},
                                                {"id", p.id}, {"revision", p.manifest->revision}});
  } else {
    p = Resolve(*store, o.id, o.release);
  }
  RestoreResult r;
  r.dry_run = o.dry_run;
  log::Info("verifying restore point", {{"id", p.id}});
  VerifyResult v = Verify(*store, p.id, o.pg_restore_path, key.get());
  r.manifest = v.manifest;
  std::optional<ChildConnection> conn;
  const std::vector<std::string> mounts = MountPoints();
  // Recorded sources are absolute and lexically normal: so are the FROM sides of --dir-map, before comparing.
  std::vector<std::pair<std::string, std::string>> dir_map = o.dir_map;
  for (auto& entry : dir_map) entry.first = AbsolutePath(entry.first);
  for (const auto& entry : dir_map) {
    const std::string& from = entry.first;  // not a structured binding: clang 14 cannot capture those in a lambda
    const std::string& to = entry.second;
    bool used = std::any_of(r.manifest.artifacts.begin(), r.manifest.artifacts.end(), [&](const Artifact& a) {
      return a.kind == kKindArchive && from == a.source;
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
      s.target = AbsolutePath(RestoreTarget(a.source, dir_map, mounts));
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
    auto d = std::make_unique<DirectoryRestore>(s.target, ArtifactOpener(o, p.id, Find(r.manifest, s.artifact), key),
                                                store->Where(p.id, s.artifact), extract);
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
    RestoreDump(*pg_restore, *psql, *conn, ArtifactOpener(o, p.id, Find(r.manifest, s.artifact), key),
                store->Where(p.id, s.artifact), o.no_owner, &progress.bytes());
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
