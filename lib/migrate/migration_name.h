// Migration file names: versioned V<version>__<description>.sql, undo U<version>__<description>.sql and repeatable
// R__<description>.sql. Underscores in the description read as spaces ("V2__add_users.sql" -> "add users").
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "migrate/version.h"

namespace capstan::migrate {

enum class Kind { kVersioned, kUndo, kRepeatable };
const char* KindName(Kind k);  // "versioned", "undo", "repeatable"

struct MigrationName {
  Kind kind = Kind::kVersioned;
  std::optional<Version> version;  // absent for repeatable migrations
  std::string description;
};

// Parses a file name (no directory). Returns nullopt and sets *why (when given) to the reason when the name is not
// a migration name; the reason says which form is expected.
std::optional<MigrationName> ParseMigrationName(std::string_view filename, std::string* why = nullptr);

}  // namespace capstan::migrate
