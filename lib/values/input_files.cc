#include "values/input_files.h"

#include <unistd.h>

#include "util/file_io.h"
#include "util/strings.h"

namespace capstan::values {

const std::string& InputFiles::Read(const std::string& path) {
  bool stdin_path = Trim(path) == "-";
  std::string key = stdin_path ? "-" : path;
  auto it = texts_.find(key);
  if (it != texts_.end()) return it->second;
  std::string text = stdin_path ? ReadAllLimited(STDIN_FILENO, kMaxInputFileBytes, "standard input") : ReadFile(path);
  return texts_.emplace(std::move(key), std::move(text)).first->second;
}

}  // namespace capstan::values
