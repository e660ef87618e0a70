// Directory archives (tar + gzip): writing a directory tree as a stream, reading an archive file back to check
// it (hash, decompress, parse, validate every path), and extracting it into a fresh directory without ever
// writing outside it. Modes, mtimes, ownership (when run as root), symlinks, hard links and empty directories are
// kept. Restoring replaces a directory's contents through a staging directory inside it, so it works for mount
// points and a failed restore leaves the old contents in place.
#pragma once
#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "backup/streams.h"

namespace capstan::backup {

// Top-level names starting with this prefix are Capstan's own staging directories: never archived.
inline constexpr const char* kStagingPrefix = ".capstan-restore-";

struct ArchiveStats {
  uint64_t entries = 0;
  uint64_t data_bytes = 0;  // bytes of file data (before compression)
  uint64_t skipped = 0;     // sockets, devices, FIFOs, and excluded directories
  uint64_t changed = 0;     // files whose size changed while they were read
  // Extraction only: what was not restored as stored, one line each ("uploads/pipe: FIFO not restored",
  // "bin/tool: setuid/setgid bits dropped (mode 4755 -> 0755)"); at most kMaxNotes lines, then a count.
  std::vector<std::string> notes;
};
inline constexpr size_t kMaxNotes = 20;

struct ExtractOptions {
  // Restore the setuid and setgid bits of files as stored. Off by default: a restore runs as root, and an archive
  // is data, not a trusted installer. The setgid bit of directories (group inheritance) is always kept.
  bool keep_setid = false;
};

struct WriteArchiveOptions {
  std::set<std::pair<dev_t, ino_t>> exclude;  // directories to leave out (e.g. the backup root itself)
  std::atomic<uint64_t>* progress = nullptr;  // file data bytes read
};

// The file data an archive of dir will read (regular files' sizes, hard-linked files once, excluded directories
// left out), for the progress total. A walk of the metadata only; unreadable parts are skipped (an estimate).
uint64_t DirectoryDataBytes(const std::string& dir, const std::set<std::pair<dev_t, ino_t>>& exclude);

// Writes dir as a tar stream (uncompressed) into out. Throws Error naming the path on failure.
ArchiveStats WriteDirectoryArchive(const std::string& dir, ByteSink& out, const WriteArchiveOptions& options);

// Reads a .tar.gz stream completely: every entry validated as extractable, then the rest of the stream (the
// gzip trailer, and so a checking source's end: artifact_source.h). Throws Error naming what.
struct ArchiveCheck {
  uint64_t size = 0;  // CheckArchiveFile only: the file's size and SHA-256
  std::string sha256;
  uint64_t entries = 0;
  uint64_t data_bytes = 0;
};
ArchiveCheck CheckArchive(ByteSource& in, const std::string& what);
ArchiveCheck CheckArchiveFile(const std::string& path, std::atomic<uint64_t>* progress = nullptr);

// Extracts a .tar.gz into dest (an existing, empty directory), reading it twice from sources open() gives: a full
// validation pass first (nothing is written when it is unsafe), then the extraction (validated again). The sources
// are expected to check the stored bytes themselves (artifact_source.h); both passes read them to the end.
// Device, FIFO and socket entries are not restored, and setuid/setgid bits of files are dropped unless
// options.keep_setid: both are listed in the returned notes.
ArchiveStats ExtractArchive(const SourceOpener& open, const std::string& what, const std::string& dest,
                            std::atomic<uint64_t>* progress = nullptr, const ExtractOptions& options = {});
// The same for a file, checked against expected_sha256 (when not empty) on both passes.
ArchiveStats ExtractArchiveFile(const std::string& path, const std::string& dest, const std::string& expected_sha256,
                                std::atomic<uint64_t>* progress = nullptr, const ExtractOptions& options = {});

// Replaces the contents of a directory with an archive's: Stage() extracts into <target>/.capstan-restore-<pid>/
// (the old contents stay untouched), Commit() swaps old and new by renames, and the destructor removes the
// staging directory (and so rolls back) when Commit() was not called or failed.
class DirectoryRestore {
 public:
  // archive: what the opener reads, for messages.
  DirectoryRestore(std::string target, SourceOpener open, std::string archive, ExtractOptions options = {});
  ~DirectoryRestore();
  DirectoryRestore(const DirectoryRestore&) = delete;
  DirectoryRestore& operator=(const DirectoryRestore&) = delete;
  ArchiveStats Stage(std::atomic<uint64_t>* progress = nullptr);
  void Commit();
  const std::string& target() const { return target_; }

 private:
  std::string target_;
  SourceOpener open_;
  std::string archive_, staging_;
  ExtractOptions options_;
  bool committed_ = false;
};

}  // namespace capstan::backup
