// Reading a stored artifact safely: CheckedSource hashes (SHA-256) and counts the bytes it passes on and, when the
// stream ends, compares them with what the manifest recorded. A mismatch (or more bytes than recorded) throws
// before the consumer sees the end of the stream, so that whatever consumes an artifact (pg_restore, the archive
// extractor, a decryptor) fails instead of finishing on changed or truncated data. Consumers must read to the end.
#pragma once
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include "backup/streams.h"
#include "digest/sha256.h"

namespace capstan::backup {

inline constexpr uint64_t kUnknownSize = std::numeric_limits<uint64_t>::max();

class CheckedSource : public ByteSource {
 public:
  // what: the artifact, for messages (a path or an s3:// URL). expected_size kUnknownSize: not checked.
  CheckedSource(std::unique_ptr<ByteSource> in, std::string what, uint64_t expected_size, std::string expected_sha256,
                std::atomic<uint64_t>* progress = nullptr);
  size_t Read(char* data, size_t n) override;
  uint64_t size() const { return size_; }
  // Reads the rest of the stream, so that a consumer's error about the contents (a gzip error, say) can give way
  // to the checksum error that explains it: throws when the bytes differ from the manifest's, else returns.
  void Drain();

 private:
  [[noreturn]] void Corrupt(const std::string& why) const;
  std::unique_ptr<ByteSource> in_;
  std::string what_;
  uint64_t expected_size_;
  std::string expected_sha256_;
  std::atomic<uint64_t>* progress_;
  uint64_t size_ = 0;
  Sha256 hash_;
  bool checked_ = false;
};

// Opens a file, checked against expected_sha256 when it is not empty.
SourceOpener CheckedFileOpener(const std::string& path, const std::string& expected_sha256);

}  // namespace capstan::backup
