#include "backup/artifact_source.h"

#include "util/error.h"

namespace capstan::backup {

CheckedSource::CheckedSource(std::unique_ptr<ByteSource> in, std::string what, uint64_t expected_size,
                             std::string expected_sha256, std::atomic<uint64_t>* progress)
    : in_(std::move(in)),
      what_(std::move(what)),
      expected_size_(expected_size),
      expected_sha256_(std::move(expected_sha256)),
      progress_(progress) {}

void CheckedSource::Corrupt(const std::string& why) const {
  throw Error(what_ + ": " + why + ": the restore point is corrupt or was changed after the backup; refusing to use "
              "it; use another restore point (capstan backup list)");
}

size_t CheckedSource::Read(char* data, size_t n) {
  size_t got = in_->Read(data, n);
  if (got > 0) {
    size_ += got;
    if (progress_) *progress_ += got;
    if (expected_size_ != kUnknownSize && size_ > expected_size_)
      Corrupt("longer than the manifest's " + std::to_string(expected_size_) + " bytes");
    hash_.Update(data, got);
    return got;
  }
  if (!checked_) {
    checked_ = true;
    if (expected_size_ != kUnknownSize && size_ != expected_size_)
      Corrupt("size " + std::to_string(size_) + " does not match the manifest's " + std::to_string(expected_size_));
    std::string got_sha = hash_.HexDigest();
    if (got_sha != expected_sha256_)
      Corrupt("SHA-256 " + got_sha + " does not match the manifest's " + expected_sha256_);
  }
  return 0;
}

void CheckedSource::Drain() {
  std::unique_ptr<char[]> buf(new char[1 << 20]);
  while (Read(buf.get(), 1 << 20) > 0) {
  }
}

SourceOpener CheckedFileOpener(const std::string& path, const std::string& expected_sha256) {
  return [path, expected_sha256](std::atomic<uint64_t>* progress) -> std::unique_ptr<ByteSource> {
    std::unique_ptr<ByteSource> file = std::make_unique<FileSource>(path, progress);
    if (expected_sha256.empty()) return file;
    return std::make_unique<CheckedSource>(std::move(file), path, kUnknownSize, expected_sha256);
  };
}

}  // namespace capstan::backup
