// One PostgreSQL connection through the static libpq: opened from Settings with a bounded, jittered retry while
// the server is unreachable (PreconditionError, exit 3, when it stays unreachable), then parameterised statements
// only (PQexecParams / prepared statements: values never go into SQL text), a simple-query call for whole SQL
// scripts (a migration file), identifier quoting (PQescapeIdentifier) and the server version.
#pragma once
#include <libpq-fe.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pg/result.h"
#include "pg/settings.h"

namespace capstan::pg {

using Params = std::vector<std::optional<std::string>>;  // text parameters $1..$n; nullopt is SQL NULL

class Connection {
 public:
  // Connects, retrying transient failures (refused, timeout, DNS, server starting up) with jittered exponential
  // backoff for up to settings.retry_for. Throws PreconditionError (exit 3) when the server stays unreachable or
  // refuses us (authentication, TLS verification); UsageError (exit 2) for bad settings.
  static Connection Open(const Settings& settings);

  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // A parameterised statement (extended protocol). Throws QueryError on failure.
  Result Exec(const std::string& sql, const Params& params = {});
  // Same, without throwing: inspect Result::ok() and Result::Field().
  Result TryExec(const std::string& sql, const Params& params = {});
  // A whole script through the simple-query protocol (several statements; no parameters). Throws QueryError.
  Result ExecScript(const std::string& sql);
  Result TryExecScript(const std::string& sql);
  // Prepared statements, for statements run many times (the history insert).
  void Prepare(const std::string& name, const std::string& sql, int nparams);
  Result ExecPrepared(const std::string& name, const Params& params);

  // "x" -> "\"x\"" with embedded quotes doubled (PQescapeIdentifier). Throws Error on invalid encoding.
  std::string EscapeIdentifier(std::string_view name);

  int ServerVersionNum() const { return PQserverVersion(conn_); }  // e.g. 150004
  std::string ServerVersion();                                       // SHOW server_version: "15.4 (Debian 15.4-1)"
  bool SslInUse() const { return PQsslInUse(conn_) != 0; }
  bool Alive() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }
  // Redacted description of where we are connected: "host=... port=... dbname=... user=... ssl=on".
  const std::string& description() const { return description_; }
  PGconn* raw() const { return conn_; }

  // Builds the error for a failed result: message "<context>: <server message> (SQLSTATE x)", exit 1, or exit 3
  // when the connection itself was lost.
  QueryError MakeError(const Result& r, const std::string& context) const;

 private:
  explicit Connection(PGconn* c);
  PGconn* conn_ = nullptr;
  std::string description_;
};

// True when a connection failure message means "not reachable yet" (worth retrying) rather than "refused".
bool IsTransientConnectError(std::string_view message);

}  // namespace capstan::pg
