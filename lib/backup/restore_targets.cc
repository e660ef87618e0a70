#include "backup/restore_targets.h"

#include <fstream>
#include <sstream>

#include "util/error.h"
#include "util/strings.h"

namespace capstan::backup {

namespace {

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      int v = 0;
      bool ok = true;
      for (size_t k = 1; k <= 3; ++k) {
        char c = s[i + k];
        ok = ok && c >= '0' && c <= '7';
        v = v * 8 + (c - '0');
      }
      if (ok) {
        out += static_cast<char>(v);
        i += 3;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

std::string Trimmed(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

bool AtOrBelow(const std::string& path, const std::string& dir) {
  if (dir == "/") return true;
  return path == dir || (StartsWith(path, dir) && path.size() > dir.size() && path[dir.size()] == '/');
}

}  // namespace

std::vector<std::string> MountPoints() {
  std::vector<std::string> out;
  std::ifstream f("/proc/self/mountinfo");
  std::string line;
  while (std::getline(f, line)) {
    std::istringstream in(line);
    std::string id, parent, devno, root, mount_point;
    if (in >> id >> parent >> devno >> root >> mount_point) out.push_back(Unescape(mount_point));
  }
  return out;
}

bool OnDataVolume(const std::string& path_in, const std::vector<std::string>& mounts) {
  std::string path = Trimmed(path_in);
  if (path.empty() || path[0] != '/' || path.find("/../") != std::string::npos || EndsWith(path, "/.."))
    return false;
  for (const char* system : {"/proc", "/sys", "/dev"})
    if (AtOrBelow(path, system)) return false;
  for (const auto& m : mounts) {
    if (m == "/" || m.empty()) continue;
    if (AtOrBelow(path, Trimmed(m))) return true;
  }
  return false;
}

std::string RestoreTarget(const std::string& source, const std::vector<std::pair<std::string, std::string>>& dir_map,
                          const std::vector<std::string>& mounts) {
  for (const auto& [from, to] : dir_map)
    if (Trimmed(from) == source) return to;
  if (OnDataVolume(source, mounts)) return source;
  throw UsageError("the restore point archives " + source + ", which is not on a volume mounted here: restoring "
                   "it in place would replace a directory the manifest alone names. Name where it goes with "
                   "--dir-map " + source + "=DIR (DIR may be " + source + " itself)");
}

}  // namespace capstan::backup
