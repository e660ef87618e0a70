// Byte streams for backups: sinks and sources that hash (SHA-256) and count what passes through, a file sink
// that maps a full disk to exit code 3, and gzip (zlib) compression and decompression. Every stream works in
// fixed-size buffers, so memory stays constant whatever the size of the data.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <zlib.h>

#include "digest/sha256.h"

namespace capstan::backup {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void Write(const char* data, size_t n) = 0;
};

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n bytes; returns 0 only at the end of the stream. Throws on errors.
  virtual size_t Read(char* data, size_t n) = 0;
};

// Opens a fresh source over the same bytes (a stored artifact read twice: checked, then used); progress, when not
// null, counts the bytes read from the store.
using SourceOpener = std::function<std::unique_ptr<ByteSource>(std::atomic<uint64_t>* progress)>;

// In-memory sink and source (tests, fuzzing, small payloads).
class StringSink : public ByteSink {
 public:
  void Write(const char* data, size_t n) override { data_.append(data, n); }
  std::string& data() { return data_; }

 private:
  std::string data_;
};

class MemorySource : public ByteSource {
 public:
  MemorySource(const char* data, size_t size) : data_(data), size_(size) {}
  size_t Read(char* out, size_t n) override;

 private:
  const char* data_;
  size_t size_;
  size_t pos_ = 0;
};

// Writes to a new file (created exclusively with the given mode), hashing and counting the bytes. Errors name
// the path; ENOSPC, EDQUOT and EFBIG become PreconditionError (exit 3). Finish() fsyncs and closes.
class FileSink : public ByteSink {
 public:
  FileSink(const std::string& path, unsigned mode = 0600, std::atomic<uint64_t>* progress = nullptr);
  ~FileSink() override;
  void Write(const char* data, size_t n) override;
  void Finish();
  uint64_t size() const { return size_; }
  std::string sha256() { return hash_.HexDigest(); }  // after Finish()
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
  Sha256 hash_;
  std::atomic<uint64_t>* progress_;
};

// Reads a file (or any fd it owns) in large blocks, hashing and counting the bytes.
class FileSource : public ByteSource {
 public:
  explicit FileSource(const std::string& path, std::atomic<uint64_t>* progress = nullptr);
  ~FileSource() override;
  size_t Read(char* data, size_t n) override;
  uint64_t size() const { return size_; }
  std::string sha256() { return hash_.HexDigest(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
  Sha256 hash_;
  std::atomic<uint64_t>* progress_;
};

// Reads a whole file and returns its SHA-256 and size (large buffers, constant memory).
struct FileDigest {
  uint64_t size = 0;
  std::string sha256;
};
FileDigest DigestFile(const std::string& path, std::atomic<uint64_t>* progress = nullptr);

// gzip compression into another sink (level 1..9).
class GzipSink : public ByteSink {
 public:
  GzipSink(ByteSink& out, int level);
  ~GzipSink() override;
  void Write(const char* data, size_t n) override;
  void Finish();
  uint64_t bytes_in() const { return bytes_in_; }

 private:
  void Deflate(int flush);
  ByteSink& out_;
  z_stream zs_{};
  std::unique_ptr<char[]> buf_;
  uint64_t bytes_in_ = 0;
  bool finished_ = false;
};

// gzip decompression of another source; a truncated or corrupt stream, or bytes after it, are errors naming
// `what` (a path, for messages).
class GzipSource : public ByteSource {
 public:
  GzipSource(ByteSource& in, std::string what);
  ~GzipSource() override;
  size_t Read(char* data, size_t n) override;

 private:
  ByteSource& in_;
  std::string what_;
  z_stream zs_{};
  std::unique_ptr<char[]> buf_;
  bool done_ = false;
};

}  // namespace capstan::backup
