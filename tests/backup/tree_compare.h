// Test helpers for backup tests: building directory trees, and comparing two trees entry by entry (type, mode,
// size, bytes, link target).
#pragma once
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace capstan::test {

inline void WriteBytes(const std::string& path, const std::string& data, mode_t mode = 0644) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(data.data(), static_cast<std::streamsize>(data.size()));
  f.close();
  ::chmod(path.c_str(), mode);
}

// A description of every entry below dir: "path type mode size/target sha-ish content".
inline void DescribeTree(const std::string& dir, const std::string& rel, std::map<std::string, std::string>& out) {
  std::string full = rel.empty() ? dir : dir + "/" + rel;
  DIR* d = ::opendir(full.c_str());
  if (!d) return;
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  for (const auto& n : names) {
    std::string r = rel.empty() ? n : rel + "/" + n;
    std::string p = dir + "/" + r;
    struct stat st {};
    ::lstat(p.c_str(), &st);
    char mode[16];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    if (S_ISDIR(st.st_mode)) {
      out[r] = std::string("dir ") + mode;
      DescribeTree(dir, r, out);
    } else if (S_ISLNK(st.st_mode)) {
      char buf[4096];
      ssize_t k = ::readlink(p.c_str(), buf, sizeof buf);
      out[r] = "link -> " + std::string(buf, static_cast<size_t>(k > 0 ? k : 0));
    } else {
      out[r] = std::string("file ") + mode + " " + std::to_string(st.st_size) + " " + Slurp(p);
    }
  }
}

inline std::map<std::string, std::string> Tree(const std::string& dir) {
  std::map<std::string, std::string> out;
  DescribeTree(dir, "", out);
  return out;
}

}  // namespace capstan::test
