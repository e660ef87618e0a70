// Loading migrations from a directory, which may be a mounted ConfigMap: entries are symlinks through `..data` into
// a timestamped `..<date>` directory. Files are read through their symlinks; entries whose names start with '.'
// (`..data`, `..2026_01_05...`, editor files) and non-.sql files are ignored; a .sql file whose name is not a
// migration name is an error naming it. Each file gets its SHA-256 checksum and its directives.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "migrate/migration_name.h"

namespace capstan::migrate {

inline constexpr const char* kNoTransactionDirective = "-- capstan:no-transaction";

struct MigrationFile {
  MigrationName name;
  std::string filename;  // V1__init.sql
  std::string path;      // dir/V1__init.sql
  std::string sql;
  std::string checksum;  // SHA-256 hex of the file's bytes
  bool no_transaction = false;
};

struct MigrationSet {
  std::string dir;
  std::vector<MigrationFile> versioned;   // ascending version
  std::vector<MigrationFile> undo;        // ascending version
  std::vector<MigrationFile> repeatable;  // by description
  const MigrationFile* FindVersioned(const Version& v) const;
  const MigrationFile* FindUndo(const Version& v) const;
  const MigrationFile* FindRepeatable(const std::string& description) const;
};

// Throws UsageError (exit 2) when the directory cannot be read, a .sql name is malformed or two files claim the
// same version (or repeatable description).
MigrationSet LoadMigrations(const std::string& dir);

// True when the script carries the `-- capstan:no-transaction` directive on a line of its own.
bool HasNoTransactionDirective(std::string_view sql);

}  // namespace capstan::migrate
