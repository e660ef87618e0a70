// Command-line flags for a PostgreSQL connection, shared by every command that talks to the database (migrate,
// backup, wait): --database-url, --host, --port, --dbname, --user, --password-file, --sslmode, --sslrootcert,
// --connect-timeout, --connect-retry. Unset flags fall back to the URL, then to libpq's PG* variables.
#pragma once
#include <string>

#include <CLI/CLI.hpp>

#include "pg/settings.h"

namespace capstan::pg {

struct ConnectionFlags {
  Settings settings;
  std::string connect_timeout = "10s";
  std::string connect_retry = "60s";
  // Adds the flags to `app` (environment: CAPSTAN_DATABASE_URL, CAPSTAN_PASSWORD_FILE, CAPSTAN_CONNECT_RETRY).
  void Add(CLI::App& app);
  // The settings with the durations parsed (UsageError on a bad duration).
  Settings Resolve(const std::string& application_name) const;
};

}  // namespace capstan::pg
