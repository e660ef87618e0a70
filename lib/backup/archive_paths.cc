#include "backup/archive_paths.h"

#include <deque>

#include "util/error.h"
#include "util/strings.h"

namespace capstan::backup {

bool SplitEntryName(const std::string& name, std::vector<std::string>& parts, std::string& why) {
  parts.clear();
  if (name.empty()) {
    why = "an empty name";
    return false;
  }
  if (name.find('\0') != std::string::npos) {
    why = "a NUL byte in the name";
    return false;
  }
  if (name[0] == '/') {
    why = "an absolute path";
    return false;
  }
  for (auto& p : Split(name, '/', true)) {
    if (p == ".") continue;
    if (p == "..") {
      why = "a '..' component";
      return false;
    }
    parts.push_back(p);
  }
  return true;
}

void ArchiveValidator::Refuse(const std::string& name, const std::string& why) const {
  throw Error(what_ + ": refusing to extract entry " + Quote(name) + ": " + why +
              "; the archive is unsafe and nothing was written");
}

void ArchiveValidator::Add(const TarEntry& e) {
  ++entries_;
  std::vector<std::string> parts;
  std::string why;
  if (!SplitEntryName(e.name, parts, why)) Refuse(e.name, why);
  if (parts.empty()) {
    if (e.type != TarType::kDirectory) Refuse(e.name, "only a directory may name the root");
    return;
  }
  // No entry may sit below a symlink, a file or anything that is not a directory.
  std::string prefix;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    prefix += (i ? "/" : "") + parts[i];
    auto it = kinds_.find(prefix);
    if (it != kinds_.end() && it->second != TarType::kDirectory)
      Refuse(e.name, "its parent " + Quote(prefix) + " is not a directory in the archive (a link or a file)");
    if (it == kinds_.end()) kinds_[prefix] = TarType::kDirectory;  // created implicitly on extraction
  }
  std::string path = Join(parts, "/");
  auto existing = kinds_.find(path);
  if (existing != kinds_.end() && existing->second == TarType::kDirectory && e.type != TarType::kDirectory)
    Refuse(e.name, "it replaces a directory of the same name");
  switch (e.type) {
    case TarType::kFile:
      data_bytes_ += e.size;
      break;
    case TarType::kDirectory:
      if (existing != kinds_.end() && existing->second != TarType::kDirectory)
        Refuse(e.name, "a directory replaces a non-directory of the same name");
      break;
    case TarType::kSymlink:
      if (e.link.empty()) Refuse(e.name, "a symbolic link with an empty target");
      if (e.link[0] == '/') Refuse(e.name, "a symbolic link to an absolute path (" + Quote(e.link) + ")");
      if (e.link.find('\0') != std::string::npos) Refuse(e.name, "a NUL byte in a link target");
      symlinks_[path] = e.link;
      break;
    case TarType::kHardLink: {
      std::vector<std::string> target;
      if (!SplitEntryName(e.link, target, why)) Refuse(e.name, "a hard link with " + why + " (" + Quote(e.link) + ")");
      auto t = kinds_.find(Join(target, "/"));
      if (target.empty() || t == kinds_.end() || t->second != TarType::kFile)
        Refuse(e.name, "a hard link to " + Quote(e.link) + ", which is not an earlier regular file of the archive");
      break;
    }
    case TarType::kOther:
      break;  // never extracted
  }
  if (e.type != TarType::kSymlink) symlinks_.erase(path);
  kinds_[path] = e.type == TarType::kHardLink ? TarType::kFile : e.type;
}

void ArchiveValidator::Finish() {
  for (const auto& [path, target] : symlinks_) {
    // Resolve the target from the link's directory, substituting the archive's own symlinks as they are met, and
    // refuse when the walk leaves the root. The walk is bounded (40 substitutions, as the kernel's ELOOP).
    std::vector<std::string> cur = Split(path, '/', true);
    cur.pop_back();
    std::deque<std::string> components;
    for (auto& p : Split(target, '/', true)) components.push_back(p);
    int hops = 0;
    while (!components.empty()) {
      std::string c = components.front();
      components.pop_front();
      if (c == "." || c.empty()) continue;
      if (c == "..") {
        if (cur.empty()) Refuse(path, "a symbolic link to " + Quote(target) + ", which points outside the target directory");
        cur.pop_back();
        continue;
      }
      cur.push_back(c);
      auto it = symlinks_.find(Join(cur, "/"));
      if (it == symlinks_.end()) continue;
      if (++hops > 40) Refuse(path, "a symbolic link loop through " + Quote(it->first));
      if (!it->second.empty() && it->second[0] == '/')
        Refuse(path, "a symbolic link that leads through " + Quote(it->first) + " to an absolute path");
      cur.pop_back();
      auto sub = Split(it->second, '/', true);
      for (auto r = sub.rbegin(); r != sub.rend(); ++r) components.push_front(*r);
    }
  }
}

}  // namespace capstan::backup
