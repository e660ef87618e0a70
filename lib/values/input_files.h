// The files a user names for one run of a values command (-f, --set-file, --schema, --matrix entries; "-" is
// standard input), each read once and kept: the linter builds its source maps from the same bytes the engine parses,
// and a --matrix run that combines the same files again (or reads "-" again) reads nothing twice. Reads go through
// ReadFile (regular files only, size-capped) and ReadAllLimited for standard input, so a FIFO, /dev/zero or a huge
// input is refused with a usage error naming it instead of hanging or exhausting memory.
#pragma once
#include <map>
#include <string>

namespace capstan::values {

class InputFiles {
 public:
  // The bytes of `path` ("-", surrounding blanks ignored, is standard input). Throws UsageError naming the file when
  // it cannot be read, is not a regular file or is over kMaxInputFileBytes. The reference stays valid as long as
  // this object.
  const std::string& Read(const std::string& path);

 private:
  std::map<std::string, std::string> texts_;
};

}  // namespace capstan::values
