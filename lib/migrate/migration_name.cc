#include "migrate/migration_name.h"

#include "util/strings.h"

namespace capstan::migrate {

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kVersioned: return "versioned";
    case Kind::kUndo: return "undo";
    case Kind::kRepeatable: return "repeatable";
  }
  return "versioned";
}

namespace {
std::optional<MigrationName> Fail(std::string* why, std::string reason) {
  if (why) *why = std::move(reason);
  return std::nullopt;
}
}  // namespace

std::optional<MigrationName> ParseMigrationName(std::string_view name, std::string* why) {
  constexpr std::string_view kForms = "expected V<version>__<description>.sql, U<version>__<description>.sql or "
                                      "R__<description>.sql, e.g. V1.2__add_users.sql";
  if (!EndsWith(name, ".sql")) return Fail(why, "not a .sql file");
  std::string_view stem = name.substr(0, name.size() - 4);
  if (stem.empty()) return Fail(why, std::string("empty name; ") + std::string(kForms));
  MigrationName m;
  char prefix = stem[0];
  if (prefix == 'V') m.kind = Kind::kVersioned;
  else if (prefix == 'U') m.kind = Kind::kUndo;
  else if (prefix == 'R') m.kind = Kind::kRepeatable;
  else return Fail(why, "unknown prefix " + Quote(stem.substr(0, 1)) + "; " + std::string(kForms));
  size_t sep = stem.find("__", 1);
  if (sep == std::string_view::npos) return Fail(why, "no \"__\" between version and description; " + std::string(kForms));
  std::string_view version = stem.substr(1, sep - 1);
  std::string_view desc = stem.substr(sep + 2);
  if (m.kind == Kind::kRepeatable) {
    if (!version.empty()) return Fail(why, "a repeatable migration has no version: R__<description>.sql");
    if (desc.empty()) return Fail(why, "a repeatable migration needs a description: R__<description>.sql");
  } else {
    m.version = Version::Parse(version);
    if (!m.version)
      return Fail(why, "invalid version " + Quote(version) + ": use digits separated by '.' or '_' (1, 1.2, 2026.01.05)");
  }
  m.description.reserve(desc.size());
  for (char c : desc) m.description += (c == '_') ? ' ' : c;
  return m;
}

}  // namespace capstan::migrate
