#include "backup/s3_store.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <map>
#include <mutex>
#include <thread>

#include <rapidjson/document.h>

#include "backup/cancel.h"
#include "backup/manifest.h"
#include "backup/manifest_seal.h"
#include "log/log.h"
#include "s3/config.h"
#include "util/error.h"
#include "util/json_writer.h"
#include "util/strings.h"

namespace capstan::backup {

namespace {

constexpr const char* kLockName = ".capstan-lock";
constexpr size_t kMaxSmall = 16 << 20;

// How long a lock lives without renewal (its holder renews it every quarter of that): 120 s, or
// CAPSTAN_S3_LOCK_TTL seconds (10..3600).
int LockSeconds() {
  static const int seconds = [] {
    const char* v = std::getenv("CAPSTAN_S3_LOCK_TTL");
    int n = v ? std::atoi(v) : 0;
    return n >= 10 && n <= 3600 ? n : 120;
  }();
  return seconds;
}

std::unique_ptr<s3::Client> NewClient(const StoreOptions& options, const s3::Location& location) {
  s3::ConfigOptions co;
  co.credentials_dir = options.s3_credentials_dir;
  return std::make_unique<s3::Client>(s3::FromEnvironment(co), location.bucket);
}

class S3Artifact : public ArtifactWriter {
 public:
  explicit S3Artifact(std::unique_ptr<s3::ObjectWriter> out) : out_(std::move(out)) {}
  void Write(const char* data, size_t n) override { out_->Write(data, n); }
  void Finish() override { result_ = out_->Finish(); }
  uint64_t size() const override { return result_.size; }
  std::string sha256() override { return result_.sha256; }

 private:
  std::unique_ptr<s3::ObjectWriter> out_;
  s3::FinishResult result_;
};

class S3Source : public ByteSource {
 public:
  explicit S3Source(std::unique_ptr<s3::ObjectReader> in) : in_(std::move(in)) {}
  size_t Read(char* data, size_t n) override { return in_->Read(data, n); }

 private:
  std::unique_ptr<s3::ObjectReader> in_;
};

std::string Hostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown host";
  return buf;
}

std::string RandomToken() {
  static std::atomic<uint64_t> n{0};
  uint64_t v = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
               (static_cast<uint64_t>(::getpid()) << 32) ^ (++n * 0x9e3779b97f4a7c15ULL);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

struct LockRecord {
  std::string holder, purpose, token;
  int64_t expires_unix = 0;
};

std::string LockJson(const LockRecord& r) {
  JsonWriter w;
  w.StartObject();
  w.Field("holder", r.holder).Field("purpose", r.purpose).Field("token", r.token).Field("expires_unix", r.expires_unix);
  w.EndObject();
  return w.str() + "\n";
}

std::optional<LockRecord> ParseLock(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.data(), text.size());
  if (d.HasParseError() || !d.IsObject()) return std::nullopt;
  LockRecord r;
  auto str = [&](const char* k) { return d.HasMember(k) && d[k].IsString() ? std::string(d[k].GetString()) : ""; };
  r.holder = str("holder");
  r.purpose = str("purpose");
  r.token = str("token");
  if (d.HasMember("expires_unix") && d["expires_unix"].IsInt64()) r.expires_unix = d["expires_unix"].GetInt64();
  return r;
}

std::optional<std::string> GetIfExists(s3::Client& client, const std::string& key) {
  if (!client.Head(key)) return std::nullopt;
  try {
    return client.GetSmall(key, kMaxSmall);
  } catch (const PreconditionError&) {
    throw;
  } catch (const Error&) {
    if (!client.Head(key)) return std::nullopt;  // deleted in between
    throw;
  }
}

// The lock object, renewed by a heartbeat thread (with its own connection) until the destructor removes it.
class S3Lock : public StoreLock {
 public:
  S3Lock(const StoreOptions& options, const s3::Location& location, const std::string& purpose)
      : options_(options), location_(location), key_(location.Key(kLockName)) {
    std::unique_ptr<s3::Client> client = NewClient(options, location);
    const std::string where = location.Url() + "/" + kLockName;
    // A live lock is waited for until it expires once: the lock of a holder that died (kill -9, a node lost) expires
    // within one lifetime, so a retried Job gets through; one still renewed after that belongs to a live run.
    const int64_t give_up = static_cast<int64_t>(std::time(nullptr)) + LockSeconds() + 5;
    bool waiting = false;
    while (auto text = GetIfExists(*client, key_)) {
      int64_t now = static_cast<int64_t>(std::time(nullptr));
      std::optional<LockRecord> held = ParseLock(*text);
      if (!held || held->expires_unix <= now) {
        log::Warn("taking over an expired lock: its holder stopped without releasing it",
                  {{"lock", where}, {"holder", held ? held->holder : std::string("unreadable lock")}});
        break;
      }
      if (now >= give_up)
        throw Error("cannot " + purpose + ": another capstan process (" + held->holder + ", " + held->purpose +
                    ") holds the lock " + where + " and keeps renewing it; wait for it to finish and run again");
      if (!waiting)
        log::Info("waiting for the lock: another capstan process holds it (a holder that died releases it when it "
                  "expires)", {{"lock", where}, {"holder", held->holder}, {"purpose", held->purpose},
                               {"expires_in_s", static_cast<long long>(held->expires_unix - now)}});
      waiting = true;
      ThrowIfCancelled();
      std::this_thread::sleep_for(std::chrono::seconds(std::min<int64_t>(5, held->expires_unix - now + 1)));
    }
    record_.holder = Hostname() + " pid " + std::to_string(::getpid());
    record_.purpose = purpose;
    record_.token = RandomToken();
    record_.expires_unix = static_cast<int64_t>(std::time(nullptr)) + LockSeconds();
    client->Put(key_, LockJson(record_));
    // Another process may have written its own lock at the same moment: the last write wins, so read it back.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::optional<std::string> back = GetIfExists(*client, key_);
    std::optional<LockRecord> now_held = back ? ParseLock(*back) : std::nullopt;
    if (!now_held || now_held->token != record_.token)
      throw Error("cannot " + purpose + ": another capstan process (" + (now_held ? now_held->holder : "unknown") +
                  ") took the lock " + where + " at the same moment; wait for it to finish and run again");
    heartbeat_ = std::thread([this] { Heartbeat(); });
  }
  ~S3Lock() override {
    {
      std::lock_guard<std::mutex> g(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (heartbeat_.joinable()) heartbeat_.join();
    try {
      std::unique_ptr<s3::Client> client = NewClient(options_, location_);
      std::optional<std::string> text = GetIfExists(*client, key_);
      std::optional<LockRecord> held = text ? ParseLock(*text) : std::nullopt;
      if (held && held->token == record_.token) client->Delete(key_);
    } catch (const std::exception& e) {
      log::Warn("cannot release the lock (it expires by itself)", {{"lock", location_.Url() + "/" + kLockName},
                                                                    {"error", e.what()}});
    }
  }

 private:
  void Heartbeat() {
    std::unique_ptr<s3::Client> client;
    std::unique_lock<std::mutex> l(mu_);
    while (!cv_.wait_for(l, std::chrono::seconds(LockSeconds() / 4), [this] { return stop_; })) {
      l.unlock();
      try {
        if (!client) client = NewClient(options_, location_);
        record_.expires_unix = static_cast<int64_t>(std::time(nullptr)) + LockSeconds();
        client->Put(key_, LockJson(record_));
      } catch (const std::exception& e) {
        log::Warn("cannot renew the lock", {{"lock", location_.Url() + "/" + kLockName}, {"error", e.what()}});
      }
      l.lock();
    }
  }
  StoreOptions options_;
  s3::Location location_;
  std::string key_;
  LockRecord record_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread heartbeat_;
};

// The objects under a store's prefix, by restore point id (the first path segment below the prefix).
std::map<std::string, std::vector<s3::ObjectInfo>> ByPoint(s3::Client& client, const s3::Location& location) {
  std::string prefix = location.prefix.empty() ? "" : location.prefix + "/";
  std::map<std::string, std::vector<s3::ObjectInfo>> out;
  for (auto& o : client.List(prefix).objects) {
    std::string rest = o.key.substr(prefix.size());
    size_t slash = rest.find('/');
    if (slash == std::string::npos) continue;  // the lock, or something that is not ours
    std::string id = rest.substr(0, slash);
    if (!ValidId(id)) continue;
    out[id].push_back(std::move(o));
  }
  return out;
}

bool HasManifest(const std::vector<s3::ObjectInfo>& objects, const std::string& point_prefix) {
  return std::any_of(objects.begin(), objects.end(),
                     [&](const s3::ObjectInfo& o) { return o.key == point_prefix + kManifestFile; });
}

}  // namespace

S3Store::S3Store(const StoreOptions& options)
    : options_(options), location_(s3::ParseUrl(options.root)), client_(NewClient(options, location_)) {}

S3Store::~S3Store() = default;

std::string S3Store::PointPrefix(const std::string& id) const { return location_.Key(id) + "/"; }

std::string S3Store::Where(const std::string& id, const std::string& name) const {
  return "s3://" + location_.bucket + "/" + (name.empty() ? location_.Key(id) : PointPrefix(id) + name);
}

void S3Store::Prepare(bool) { client_->CheckBucket(); }  // a bucket is never created: it is the user's

std::unique_ptr<StoreLock> S3Store::Lock(const std::string& purpose) {
  return std::make_unique<S3Lock>(options_, location_, purpose);
}

void S3Store::RemoveLeftovers() {
  for (const auto& [id, objects] : ByPoint(*client_, location_)) {
    if (HasManifest(objects, PointPrefix(id))) continue;
    log::Info("removing the leftover of an interrupted run", {{"point", Where(id)}});
    RemoveAll(id);
  }
  AbortUploads(location_.prefix.empty() ? "" : location_.prefix + "/");
}

void S3Store::AbortUploads(const std::string& prefix) {
  std::vector<s3::UploadInfo> uploads;
  try {
    uploads = client_->ListUploads(prefix);
  } catch (const PreconditionError&) {
    throw;
  } catch (const Error& e) {
    // Some S3-compatible servers cannot list multipart uploads (NotImplemented): say what is left to whom.
    log::Warn("cannot list unfinished multipart uploads: the parts of an interrupted upload stay until the bucket's "
              "lifecycle rule (AbortIncompleteMultipartUpload) removes them",
              {{"prefix", client_->Where(prefix)}, {"error", e.what()}});
    return;
  }
  for (const auto& u : uploads) {
    log::Info("aborting an unfinished upload of an interrupted run", {{"object", client_->Where(u.key)}});
    client_->AbortUpload(u.key, u.upload_id);
  }
}

std::vector<StoredPoint> S3Store::List() {
  std::vector<StoredPoint> out;
  for (const auto& [id, objects] : ByPoint(*client_, location_)) {
    StoredPoint p;
    p.id = id;
    p.published = HasManifest(objects, PointPrefix(id));
    if (!p.published) p.problem = "incomplete: in progress or interrupted (no manifest.json; removed by the next backup or prune)";
    out.push_back(std::move(p));
  }
  return out;
}

bool S3Store::Taken(const std::string& id) { return !client_->List(PointPrefix(id)).objects.empty(); }

void S3Store::Begin(const std::string&) {}  // objects appear as they are written; the manifest comes last

std::unique_ptr<ArtifactWriter> S3Store::Create(const std::string& id, const std::string& name) {
  return std::make_unique<S3Artifact>(client_->Create(PointPrefix(id) + name));
}

std::unique_ptr<ByteSource> S3Store::Open(const std::string& id, const std::string& name) {
  return std::make_unique<S3Source>(client_->OpenRead(PointPrefix(id) + name));
}

std::optional<std::string> S3Store::ReadSmall(const std::string& id, const std::string& name) {
  return GetIfExists(*client_, PointPrefix(id) + name);
}

std::vector<std::string> S3Store::Files(const std::string& id) {
  std::vector<std::string> names;
  std::string prefix = PointPrefix(id);
  for (const auto& o : client_->List(prefix).objects) names.push_back(o.key.substr(prefix.size()));
  return names;
}

void S3Store::Publish(const std::string& id, const std::string& manifest_json, const std::string& seal) {
  client_->Put(PointPrefix(id) + kManifestSealFile, seal);
  client_->Put(PointPrefix(id) + kManifestFile, manifest_json);  // last: from now on the point is complete
}

void S3Store::RemoveAll(const std::string& id) {
  std::vector<std::string> keys;
  for (const auto& o : client_->List(PointPrefix(id)).objects) keys.push_back(o.key);
  client_->DeleteMany(keys);
}

void S3Store::Discard(const std::string& id) {
  RemoveAll(id);
  AbortUploads(PointPrefix(id));
}

void S3Store::Delete(const std::string& id) {
  client_->Delete(PointPrefix(id) + kManifestFile);  // first: it stops looking complete
  RemoveAll(id);
}

std::string S3Store::ResealHint(const std::string& id) const {
  std::string m = Where(id, kManifestFile);
  return "aws s3 cp " + m + " - | sha256sum | sed 's/-$/" + kManifestFile + "/' | aws s3 cp - " +
         Where(id, kManifestSealFile);
}

}  // namespace capstan::backup
