// Test fixture for tests against the real PostgreSQL of tests/harness/pg.sh: a fresh, uniquely named database per
// test (dropped afterwards), library connections to it, and runs of the real `capstan` binary with the harness's
// connection environment.
#pragma once
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "pg/connection.h"
#include "support/test_support.h"

namespace capstan::test {

class PgDatabase {
 public:
  explicit PgDatabase(const std::string& prefix = "t") {
    static std::atomic<int> counter{0};
    std::mt19937 rng(std::random_device{}());
    name_ = prefix + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rng() % 100000);
    pg::Connection admin = Connect("postgres");
    admin.Exec("CREATE DATABASE " + admin.EscapeIdentifier(name_));
  }
  ~PgDatabase() {
    try {
      pg::Connection admin = Connect("postgres");
      admin.TryExec("DROP DATABASE IF EXISTS " + admin.EscapeIdentifier(name_) + " WITH (FORCE)");
    } catch (...) {
    }
  }
  PgDatabase(const PgDatabase&) = delete;
  PgDatabase& operator=(const PgDatabase&) = delete;
  const std::string& name() const { return name_; }

  // Settings for the library, using the harness's password file.
  static pg::Settings SettingsFor(const std::string& db) {
    auto env = PgEnv();
    pg::Settings s;
    s.host = env["PGHOST"];
    s.port = env["PGPORT"];
    s.user = env["PGUSER"];
    s.dbname = db;
    s.password_file = env["CAPSTAN_TEST_PG_PWFILE"];
    s.retry_for = std::chrono::milliseconds(5000);
    return s;
  }
  static pg::Connection Connect(const std::string& db) { return pg::Connection::Open(SettingsFor(db)); }
  pg::Connection Connect() const { return Connect(name_); }

  // The environment `capstan` gets: the harness's PG* variables pointed at this database.
  std::map<std::string, std::string> Env() const {
    auto env = PgEnv();
    std::map<std::string, std::string> out;
    for (const char* k : {"PGHOST", "PGPORT", "PGUSER", "PGPASSWORD"}) out[k] = env[k];
    out["PGDATABASE"] = name_;
    return out;
  }

  ProcessResult Capstan(std::vector<std::string> args, std::map<std::string, std::string> extra_env = {},
                        std::vector<std::string> unset = {},
                        std::chrono::milliseconds timeout = std::chrono::milliseconds(120000)) const {
    std::vector<std::string> argv;
    argv.reserve(args.size() + 1);
    argv.push_back(Binary("capstan"));
    for (auto& a : args) argv.push_back(std::move(a));
    ProcessOptions o;
    o.env = Env();
    for (auto& [k, v] : extra_env) o.env[k] = v;
    o.unset_env = std::move(unset);
    for (const char* k : {"KUBERNETES_SERVICE_HOST", "PGSSLMODE", "PGSSLROOTCERT", "CAPSTAN_LOG_FORMAT"})
      if (!o.env.count(k)) o.unset_env.push_back(k);
    o.timeout = timeout;
    return Run(argv, o);
  }

 private:
  std::string name_;
};

}  // namespace capstan::test
