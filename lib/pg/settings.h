// Connection settings for PostgreSQL: where they come from (a postgres:// URL, explicit flags, the standard PG*
// environment variables that libpq reads itself, a password file such as a mounted Secret), how the database user
// is resolved (static binaries in scratch images have no /etc/passwd), and a redacted one-line description for
// logs and error messages. The password never appears in a description, a log line or an error message.
#pragma once
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace capstan::pg {

struct Settings {
  std::string url;            // postgres://user@host:port/db?sslmode=... (may carry a password: never logged)
  std::string host;           // explicit values override the URL, which overrides PG* variables
  std::string port;
  std::string dbname;
  std::string user;
  std::string sslmode;        // disable|allow|prefer|require|verify-ca|verify-full
  std::string sslrootcert;    // CA bundle for verify-ca / verify-full
  std::string password_file;  // first line is the password (a mounted Secret); trailing newline ignored
  std::string application_name = "capstan";
  std::chrono::seconds connect_timeout{10};   // per attempt (libpq connect_timeout)
  std::chrono::milliseconds retry_for{60000}; // keep retrying an unreachable server this long (0: one attempt)
};

// The libpq keyword/value pairs for PQconnectdbParams (expand_dbname=1: the URL comes first, explicit values after
// it win). Reads the password file (UsageError naming the path when unreadable; the content never appears in it).
// Throws UsageError when no user can be determined (no user in flags, URL or PGUSER, and the local user ID has no
// passwd entry, as in a scratch image).
std::vector<std::pair<std::string, std::string>> ConnectParams(const Settings& s);

// The effective user/host/port/dbname/sslmode as libpq will see them (flags > URL > PG* environment > defaults),
// without the password. Used for logs and errors.
std::map<std::string, std::string> EffectiveParams(const Settings& s);

// "host=127.0.0.1 port=5432 dbname=app user=migrator sslmode=verify-full": never contains the password.
std::string Describe(const Settings& s);

// Removes the password from a connection URL or conninfo string (postgres://u:secret@h/db -> postgres://u:***@h/db;
// password=secret -> password=***). For messages that must quote a connection string.
std::string RedactConnInfo(const std::string& conninfo);

}  // namespace capstan::pg
