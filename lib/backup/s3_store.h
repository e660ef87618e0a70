// Restore points in an S3 bucket (s3://BUCKET/PREFIX): the objects <prefix>/<id>/<name>. Artifacts stream in as
// multipart uploads (bounded memory, no local copy) and are read back as streams; the seal and then manifest.json are
// written last, so a point without manifest.json is incomplete: an interrupted backup never looks complete. A deleted
// point loses its manifest first. The lock is the object <prefix>/.capstan-lock (the holder, and an expiry that a
// heartbeat renews while it runs): a live lock makes another backup, prune or restore fail naming the holder; an
// expired one (its holder died) is taken over. Leftovers (objects of incomplete points, unfinished multipart
// uploads) are removed by the next run that holds the lock.
#pragma once
#include <memory>
#include <string>

#include "backup/store.h"
#include "s3/client.h"
#include "s3/url.h"

namespace capstan::backup {

class S3Store : public Store {
 public:
  // options.root is an s3:// URL; the rest of the configuration comes from the AWS_* environment and
  // options.s3_credentials_dir (s3/config.h).
  explicit S3Store(const StoreOptions& options);
  ~S3Store() override;
  std::string Describe() const override { return location_.Url(); }
  std::string Where(const std::string& id, const std::string& name = "") const override;
  void Prepare(bool create) override;
  std::unique_ptr<StoreLock> Lock(const std::string& purpose) override;
  void RemoveLeftovers() override;
  std::vector<StoredPoint> List() override;
  bool Taken(const std::string& id) override;
  void Begin(const std::string& id) override;
  std::unique_ptr<ArtifactWriter> Create(const std::string& id, const std::string& name) override;
  std::unique_ptr<ByteSource> Open(const std::string& id, const std::string& name) override;
  std::optional<std::string> ReadSmall(const std::string& id, const std::string& name) override;
  std::vector<std::string> Files(const std::string& id) override;
  void Publish(const std::string& id, const std::string& manifest_json, const std::string& seal) override;
  void Discard(const std::string& id) override;
  void Delete(const std::string& id) override;
  std::string ResealHint(const std::string& id) const override;

 private:
  std::string PointPrefix(const std::string& id) const;  // "<prefix>/<id>/"
  void RemoveAll(const std::string& id);
  // Aborts the unfinished multipart uploads under a key prefix (a warning when the server cannot list them).
  void AbortUploads(const std::string& prefix);
  StoreOptions options_;
  s3::Location location_;
  std::unique_ptr<s3::Client> client_;
};

}  // namespace capstan::backup
