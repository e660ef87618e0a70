// What may be extracted from an archive: entry names are split into components and refused when absolute, when
// they contain "..", NUL or nothing; symbolic links are resolved inside the archive's own namespace (following
// other links of the archive) and refused when they lead outside the extraction root; hard links must name an
// earlier regular file; no entry may sit below a link or a file. All of this is checked before anything is
// written (ArchiveValidator), and extraction then never follows a symlink (openat with O_NOFOLLOW).
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include "backup/tar_format.h"

namespace capstan::backup {

// Splits a stored name into its components ("./a//b/" -> {"a","b"}). Returns false and sets why when unsafe.
// An empty result names the root itself (".").
bool SplitEntryName(const std::string& name, std::vector<std::string>& parts, std::string& why);

class ArchiveValidator {
 public:
  explicit ArchiveValidator(std::string what) : what_(std::move(what)) {}
  // Checks one entry in archive order; throws Error naming the archive and entry when it is unsafe.
  void Add(const TarEntry& entry);
  // Checks what needs the whole archive (symlink targets); throws Error.
  void Finish();
  uint64_t entries() const { return entries_; }
  uint64_t data_bytes() const { return data_bytes_; }

 private:
  [[noreturn]] void Refuse(const std::string& name, const std::string& why) const;
  std::string what_;
  std::map<std::string, TarType> kinds_;           // every non-directory entry and every directory
  std::map<std::string, std::string> symlinks_;    // path -> target
  uint64_t entries_ = 0;
  uint64_t data_bytes_ = 0;
};

}  // namespace capstan::backup
