// The one function other commands (capstan wait, capstan backup) need from the migration engine: the schema version
// a database is at, read from the migration history table. Stable interface: keep its signature.
#pragma once
#include <optional>
#include <string>

#include "pg/connection.h"

namespace capstan::migrate {

inline constexpr const char* kDefaultHistoryTable = "capstan_schema_history";

// The highest successfully applied version (versioned migrations not undone, or the baseline) recorded in
// `table` ("name" or "schema.name"; unqualified names resolve through the search path, like the migrate command).
// nullopt when the table does not exist yet or holds no applied version. Compare versions with
// migrate::Version (migrate/version.h): "1.10" is above "1.9". Throws QueryError / UsageError.
std::optional<std::string> CurrentVersion(pg::Connection& conn, const std::string& table = kDefaultHistoryTable);

}  // namespace capstan::migrate
