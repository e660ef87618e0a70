// Restore points in a directory (a persistent volume): <root>/<id>/ holds a point's artifacts, manifest.json and
// its seal. A point is built in <root>/.tmp-<id>/ and renamed into place only when complete; a deleted point is
// renamed to <root>/.deleting-<id>/ before its files go, so a crash never leaves a half-deleted point that looks
// complete. The lock is a flock on <root>/.lock (root_lock.h).
#pragma once
#include <string>

#include "backup/store.h"

namespace capstan::backup {

class LocalStore : public Store {
 public:
  explicit LocalStore(const std::string& root);  // relative roots are made absolute
  std::string Describe() const override { return root_; }
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
  std::set<std::pair<dev_t, ino_t>> ArchiveExclusions() const override;

 private:
  // The directory of a point: the final one when it exists, else the one being built.
  std::string Dir(const std::string& id) const;
  std::string root_;
};

}  // namespace capstan::backup
