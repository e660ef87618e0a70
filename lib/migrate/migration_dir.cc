#include "migrate/migration_dir.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "digest/sha256.h"
#include "log/log.h"
#include "util/error.h"
#include "util/file_io.h"
#include "util/strings.h"

namespace capstan::migrate {

namespace {

const MigrationFile* FindByVersion(const std::vector<MigrationFile>& files, const Version& v) {
  auto it = std::lower_bound(files.begin(), files.end(), v,
                             [](const MigrationFile& f, const Version& x) { return *f.name.version < x; });
  return it != files.end() && *it->name.version == v ? &*it : nullptr;
}

void CheckDuplicates(const std::vector<MigrationFile>& files, const std::string& dir) {
  for (size_t i = 1; i < files.size(); ++i) {
    const auto& a = files[i - 1];
    const auto& b = files[i];
    bool same = a.name.version ? *a.name.version == *b.name.version : a.name.description == b.name.description;
    if (same) {
      throw UsageError("migrations " + a.filename + " and " + b.filename + " in " + dir + " have the same " +
                       (a.name.version ? "version " + a.name.version->text() : "description") +
                       ": rename one of them");
    }
  }
}

}  // namespace

bool HasNoTransactionDirective(std::string_view sql) {
  for (const auto& line : Split(sql, '\n')) {
    std::string_view t = Trim(line);
    if (!StartsWith(t, "--")) continue;
    t = Trim(t.substr(2));
    if (t == "capstan:no-transaction") return true;
  }
  return false;
}

const MigrationFile* MigrationSet::FindVersioned(const Version& v) const { return FindByVersion(versioned, v); }
const MigrationFile* MigrationSet::FindUndo(const Version& v) const { return FindByVersion(undo, v); }
const MigrationFile* MigrationSet::FindRepeatable(const std::string& description) const {
  for (const auto& f : repeatable)
    if (f.name.description == description) return &f;
  return nullptr;
}

MigrationSet LoadMigrations(const std::string& dir) {
  MigrationSet set;
  set.dir = dir;
  DIR* d = ::opendir(dir.c_str());
  if (!d)
    throw UsageError("cannot read the migrations directory " + dir + ": " + std::strerror(errno) +
                     " (check --migrations-dir and the ConfigMap volume mount)");
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.empty() || name[0] == '.') continue;  // ., .., ..data, ..2026_01_05_..., hidden files
    names.push_back(std::move(name));
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    std::string path = dir + (EndsWith(dir, "/") ? "" : "/") + name;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      throw UsageError("cannot read migration " + path + ": " + std::strerror(errno) +
                       " (a dangling symlink? check the ConfigMap mount)");
    }
    if (!S_ISREG(st.st_mode)) {
      log::Debug("ignoring non-file entry in migrations directory", {{"path", path}});
      continue;
    }
    if (!EndsWith(name, ".sql")) {
      log::Debug("ignoring non-.sql file in migrations directory", {{"path", path}});
      continue;
    }
    std::string why;
    auto parsed = ParseMigrationName(name, &why);
    if (!parsed) throw UsageError("invalid migration file name " + path + ": " + why);
    MigrationFile f;
    f.name = std::move(*parsed);
    f.filename = name;
    f.path = path;
    f.sql = ReadFile(path);
    f.checksum = Sha256::Hex(f.sql);
    f.no_transaction = HasNoTransactionDirective(f.sql);
    switch (f.name.kind) {
      case Kind::kVersioned: set.versioned.push_back(std::move(f)); break;
      case Kind::kUndo: set.undo.push_back(std::move(f)); break;
      case Kind::kRepeatable: set.repeatable.push_back(std::move(f)); break;
    }
  }
  auto by_version = [](const MigrationFile& a, const MigrationFile& b) { return *a.name.version < *b.name.version; };
  std::stable_sort(set.versioned.begin(), set.versioned.end(), by_version);
  std::stable_sort(set.undo.begin(), set.undo.end(), by_version);
  std::stable_sort(set.repeatable.begin(), set.repeatable.end(),
                   [](const MigrationFile& a, const MigrationFile& b) { return a.name.description < b.name.description; });
  CheckDuplicates(set.versioned, dir);
  CheckDuplicates(set.undo, dir);
  CheckDuplicates(set.repeatable, dir);
  return set;
}

}  // namespace capstan::migrate
