#include "pg/flags.h"

#include "util/duration.h"

namespace capstan::pg {

void ConnectionFlags::Add(CLI::App& app) {
  const char* g = "Database";
  app.add_option("--database-url", settings.url,
                 "postgres://user@host:port/dbname?sslmode=verify-full (put the password in --password-file)")
      ->envname("CAPSTAN_DATABASE_URL")->group(g);
  app.add_option("--host", settings.host, "Server host (default: PGHOST)")->group(g);
  app.add_option("--port", settings.port, "Server port (default: PGPORT, 5432)")->group(g);
  app.add_option("--dbname", settings.dbname, "Database name (default: PGDATABASE)")->group(g);
  app.add_option("--user", settings.user, "Database user (default: PGUSER; required in scratch images)")->group(g);
  app.add_option("--password-file", settings.password_file,
                 "Read the password from this file's first line (a mounted Secret)")
      ->envname("CAPSTAN_PASSWORD_FILE")->group(g);
  app.add_option("--sslmode", settings.sslmode, "disable|allow|prefer|require|verify-ca|verify-full (default: PGSSLMODE)")
      ->check(CLI::IsMember({"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}))->group(g);
  app.add_option("--sslrootcert", settings.sslrootcert, "CA certificate(s) for verify-ca/verify-full")->group(g);
  app.add_option("--connect-timeout", connect_timeout, "Timeout of one connection attempt (default 10s)")->group(g);
  app.add_option("--connect-retry", connect_retry,
                 "Keep retrying an unreachable server this long, with jittered backoff (default 60s; 0 = once)")
      ->envname("CAPSTAN_CONNECT_RETRY")->group(g);
}

Settings ConnectionFlags::Resolve(const std::string& application_name) const {
  Settings s = settings;
  s.connect_timeout = std::chrono::duration_cast<std::chrono::seconds>(ParseDuration(connect_timeout));
  s.retry_for = connect_retry == "0" ? std::chrono::milliseconds(0) : ParseDuration(connect_retry);
  s.application_name = application_name;
  return s;
}

}  // namespace capstan::pg
