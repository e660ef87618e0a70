// Streaming tar reader: yields one entry at a time from any ByteSource (usually a GzipSource), with the entry's
// data readable in chunks. Header checksums are checked; truncated or malformed archives raise Error naming the
// archive and the entry. Paths are returned as stored; see archive_paths.h for what is safe to extract.
#pragma once
#include <string>

#include "backup/streams.h"
#include "backup/tar_format.h"

namespace capstan::backup {

class TarReader {
 public:
  TarReader(ByteSource& in, std::string what);
  // Reads the next entry's header (skipping the rest of the previous entry). Returns false at the end marker.
  bool Next(TarEntry& entry);
  // Reads up to n bytes of the current entry's data; 0 at the end of the entry.
  size_t ReadData(char* data, size_t n);
  uint64_t entries() const { return entries_; }

 private:
  void ReadExact(char* data, size_t n, const char* context);
  void Skip(uint64_t n);
  std::string ReadSmallPayload(uint64_t size, const char* kind);
  std::string what_;
  ByteSource& in_;
  uint64_t remaining_ = 0;  // data bytes left in the current entry
  uint64_t padding_ = 0;    // padding after them
  uint64_t entries_ = 0;
  bool ended_ = false;
};

}  // namespace capstan::backup
