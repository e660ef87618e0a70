// The tar format as Capstan writes and reads it: POSIX ustar headers, with pax extended headers ('x') for long
// names, long link targets and large sizes; the reader also understands GNU long names ('L', 'K') and base-256
// numbers so that archives made by GNU tar can be listed.
#pragma once
#include <cstdint>
#include <string>

namespace capstan::backup {

constexpr size_t kTarBlock = 512;

enum class TarType : char {
  kFile = '0',
  kHardLink = '1',
  kSymlink = '2',
  kDirectory = '5',
  kOther = '?',  // character/block devices, FIFOs, unknown types: listed, never extracted
};

struct TarEntry {
  std::string name;      // as stored: relative, '/'-separated (directories without the trailing '/')
  TarType type = TarType::kFile;
  char raw_type = '0';
  uint32_t mode = 0644;  // permission bits (07777)
  uint64_t size = 0;     // data bytes (regular files only)
  int64_t mtime = 0;     // seconds since the epoch
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string link;      // symlink target, or hard-link target (an earlier entry's name)
};

// Encodes the header blocks for an entry (a pax header first when needed). Returns a multiple of 512 bytes.
std::string EncodeTarHeader(const TarEntry& entry);

// Parses a numeric header field (octal, or GNU base-256); returns false when malformed.
bool ParseTarNumber(const char* field, size_t len, uint64_t& value);

}  // namespace capstan::backup
