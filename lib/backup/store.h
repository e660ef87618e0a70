// Where restore points live. A store holds restore points by id, each a set of named artifacts plus manifest.json
// and its seal, and hides how they are kept:
//   LocalStore (local_store.h): <root>/<id>/ directories on a volume, built in <root>/.tmp-<id>/ and renamed into
//     place once complete, under a flock on <root>/.lock;
//   S3Store (s3_store.h): objects <prefix>/<id>/<name> in a bucket, streamed as multipart uploads, the manifest
//     written last (a point without manifest.json is incomplete), under a lock object <prefix>/.capstan-lock.
// OpenStore picks one by the root: s3://BUCKET/PREFIX, else a directory.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "backup/streams.h"

namespace capstan::backup {

// How to reach a store and read its restore points; backup and restore options extend it.
struct StoreOptions {
  std::string root;                // a directory, or s3://BUCKET/PREFIX
  std::string s3_credentials_dir;  // files access-key-id, secret-access-key[, session-token] (a mounted Secret)
  std::string encryption_key_file; // the artifacts' AES-256 key (a mounted Secret): crypt_key.h
};

// A new artifact being written: its bytes are durable (fsynced, or the upload completed) after Finish().
class ArtifactWriter : public ByteSink {
 public:
  virtual void Finish() = 0;
  virtual uint64_t size() const = 0;   // the stored bytes
  virtual std::string sha256() = 0;    // of the stored bytes, after Finish()
};

struct StoredPoint {
  std::string id;
  bool published = false;  // complete as far as the store knows (final directory; manifest.json present)
  std::string problem;     // why an unpublished point is not complete
};

// Held while a backup, prune or restore works on the store; released by the destructor.
class StoreLock {
 public:
  virtual ~StoreLock() = default;
};

class Store {
 public:
  virtual ~Store() = default;
  // The root as shown in messages ("/backups", "s3://bucket/prefix").
  virtual std::string Describe() const = 0;
  // A point or one of its files, for messages.
  virtual std::string Where(const std::string& id, const std::string& name = "") const = 0;
  // Creates the root when it is missing (backups) or fails with UsageError naming it (everything else).
  virtual void Prepare(bool create) = 0;
  // Takes the store's lock without waiting: Error naming the holder when another process has it.
  virtual std::unique_ptr<StoreLock> Lock(const std::string& purpose) = 0;
  // Removes what interrupted runs left (partial points, unfinished uploads). Only with the lock held.
  virtual void RemoveLeftovers() = 0;
  virtual std::vector<StoredPoint> List() = 0;
  // Whether an id is in use, complete or not.
  virtual bool Taken(const std::string& id) = 0;
  // Starts a new point; its artifacts are written with Create() and it becomes visible with Publish().
  virtual void Begin(const std::string& id) = 0;
  virtual std::unique_ptr<ArtifactWriter> Create(const std::string& id, const std::string& name) = 0;
  // Reads an artifact of a published point or of the point being written. Throws Error when it is missing.
  virtual std::unique_ptr<ByteSource> Open(const std::string& id, const std::string& name) = 0;
  // A small file of a point (the manifest, its seal); nullopt when it does not exist.
  virtual std::optional<std::string> ReadSmall(const std::string& id, const std::string& name) = 0;
  // The names of the files of a published point.
  virtual std::vector<std::string> Files(const std::string& id) = 0;
  // Writes the seal, then the manifest, and makes the point complete, durably.
  virtual void Publish(const std::string& id, const std::string& manifest_json, const std::string& seal) = 0;
  // Removes a begun point that was not published (a failed or cancelled backup).
  virtual void Discard(const std::string& id) = 0;
  // Deletes a published point: it stops looking complete first, then its files go.
  virtual void Delete(const std::string& id) = 0;
  // How to seal a manifest by hand after checking it (for the message about a missing seal).
  virtual std::string ResealHint(const std::string& id) const = 0;
  // Directories that archives must leave out (a local root inside an archived directory).
  virtual std::set<std::pair<dev_t, ino_t>> ArchiveExclusions() const { return {}; }
};

// The store for options.root (UsageError when it is empty or malformed).
std::unique_ptr<Store> OpenStore(const StoreOptions& options);

}  // namespace capstan::backup
