#include "pg/connection.h"

#include <chrono>
#include <random>
#include <thread>

#include "log/log.h"
#include "util/duration.h"
#include "util/error.h"
#include "util/strings.h"

namespace capstan::pg {

namespace {


std::string OneLine(std::string s) {
  for (auto& c : s)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return std::string(Trim(s));
}

std::string WhatToDo(const std::string& msg) {
  if (msg.find("password authentication failed") != std::string::npos ||
      msg.find("no password supplied") != std::string::npos)
    return "check the user and the password (--password-file, PGPASSWORD)";
  if (msg.find("certificate") != std::string::npos || msg.find("SSL") != std::string::npos)
    return "check --sslrootcert (the CA that signed the server certificate), --sslmode and that the host name "
           "matches the certificate";
  if (msg.find("does not exist") != std::string::npos) return "check the database name and user";
  return "check the host, port and that the server is running";
}

}  // namespace

bool IsTransientConnectError(std::string_view m) {
  static const char* const kTransient[] = {
      "Connection refused", "timeout expired", "could not translate host name", "Temporary failure in name resolution",
      "Name or service not known", "the database system is starting up", "the database system is shutting down",
      "the database system is in recovery mode", "the database system is not yet accepting connections",
      "the database system is not accepting connections", "No route to host", "Network is unreachable",
      "server closed the connection unexpectedly", "Connection reset by peer", "sorry, too many clients already",
      "remaining connection slots are reserved", "Connection timed out"};
  for (const char* t : kTransient)
    if (m.find(t) != std::string_view::npos) return true;
  return false;
}

Connection::Connection(PGconn* c) : conn_(c) {
  std::string host = PQhost(c) ? PQhost(c) : "";
  description_ = "host=" + host + " port=" + (PQport(c) ? PQport(c) : "") + " dbname=" + (PQdb(c) ? PQdb(c) : "") +
                 " user=" + (PQuser(c) ? PQuser(c) : "") + " ssl=" + (PQsslInUse(c) ? "on" : "off");
}

Connection::Connection(Connection&& o) noexcept : conn_(o.conn_), description_(std::move(o.description_)) {
  o.conn_ = nullptr;
}

Connection& Connection::operator=(Connection&& o) noexcept {
  if (this != &o) {
    if (conn_) PQfinish(conn_);
    conn_ = o.conn_;
    description_ = std::move(o.description_);
    o.conn_ = nullptr;
  }
  return *this;
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

Connection Connection::Open(const Settings& settings) {
  auto kv = ConnectParams(settings);
  std::vector<const char*> keys, values;
  for (const auto& [k, v] : kv) {
    keys.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  const std::string where = Describe(settings);
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + settings.retry_for;
  std::mt19937 rng(std::random_device{}());
  std::uniform_real_distribution<double> jitter(0.5, 1.5);
  std::chrono::milliseconds delay{250};
  for (int attempt = 1;; ++attempt) {
    PGconn* c = PQconnectdbParams(keys.data(), values.data(), 1);
    if (!c) throw PreconditionError("cannot connect to PostgreSQL at " + where + ": out of memory");
    if (PQstatus(c) == CONNECTION_OK) {
      Connection conn(c);
      log::Debug("connected to PostgreSQL", {{"database", conn.description()}, {"attempt", attempt}});
      return conn;
    }
    std::string msg = OneLine(PQerrorMessage(c));
    PQfinish(c);
    auto now = std::chrono::steady_clock::now();
    auto wait = std::chrono::milliseconds(static_cast<long long>(static_cast<double>(delay.count()) * jitter(rng)));
    if (!IsTransientConnectError(msg) || now >= deadline) {
      auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(now - start);
      std::string tries = attempt > 1 ? " (after " + std::to_string(attempt) + " attempts over " +
                                            FormatDuration(waited) + ")"
                                      : "";
      throw PreconditionError("cannot connect to PostgreSQL at " + where + ": " + msg + tries + "; " + WhatToDo(msg));
    }
    wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now) +
                              std::chrono::milliseconds(1));
    log::Warn("PostgreSQL not reachable yet, retrying",
              {{"database", where}, {"attempt", attempt}, {"retry_in_ms", static_cast<long long>(wait.count())},
               {"error", msg}});
    std::this_thread::sleep_for(wait);
    delay = std::min(delay * 2, std::chrono::milliseconds(5000));
  }
}

QueryError Connection::MakeError(const Result& r, const std::string& context) const {
  std::string primary = r.Field(PG_DIAG_MESSAGE_PRIMARY);
  std::string sqlstate = r.SqlState();
  bool lost = PQstatus(conn_) != CONNECTION_OK;
  if (primary.empty()) primary = OneLine(r.raw() ? PQresultErrorMessage(r.raw()) : "");
  if (primary.empty()) primary = OneLine(PQerrorMessage(conn_));
  if (primary.empty()) primary = "no result from the server";
  std::string detail = r.Field(PG_DIAG_MESSAGE_DETAIL);
  std::string hint = r.Field(PG_DIAG_MESSAGE_HINT);
  std::string ctx = r.Field(PG_DIAG_CONTEXT);
  std::string pos = r.Field(PG_DIAG_STATEMENT_POSITION);
  int position = pos.empty() ? 0 : std::atoi(pos.c_str());
  std::string msg = context + ": " + primary;
  if (!detail.empty()) msg += "; " + OneLine(detail);
  if (!hint.empty()) msg += "; hint: " + OneLine(hint);
  if (!sqlstate.empty()) msg += " (SQLSTATE " + sqlstate + ")";
  if (lost) msg += "; the connection to " + description_ + " was lost";
  return QueryError(msg, lost ? kExitPrecondition : kExitFailed, sqlstate, primary, detail, hint, ctx, position);
}

Result Connection::TryExec(const std::string& sql, const Params& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return Result(PQexecParams(conn_, sql.c_str(), static_cast<int>(params.size()), nullptr, values.data(), nullptr,
                             nullptr, 0));
}

Result Connection::Exec(const std::string& sql, const Params& params) {
  Result r = TryExec(sql, params);
  if (!r.ok()) throw MakeError(r, "query failed on " + description_);
  return r;
}

Result Connection::TryExecScript(const std::string& sql) { return Result(PQexec(conn_, sql.c_str())); }

Result Connection::ExecScript(const std::string& sql) {
  Result r = TryExecScript(sql);
  if (!r.ok()) throw MakeError(r, "statement failed on " + description_);
  return r;
}

void Connection::Prepare(const std::string& name, const std::string& sql, int nparams) {
  Result r(PQprepare(conn_, name.c_str(), sql.c_str(), nparams, nullptr));
  if (!r.ok()) throw MakeError(r, "preparing a statement failed on " + description_);
}

Result Connection::ExecPrepared(const std::string& name, const Params& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  Result r(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values.data(), nullptr, nullptr, 0));
  if (!r.ok()) throw MakeError(r, "query failed on " + description_);
  return r;
}

std::string Connection::EscapeIdentifier(std::string_view name) {
  char* q = PQescapeIdentifier(conn_, name.data(), name.size());
  if (!q) throw Error("cannot quote identifier " + Quote(name) + ": " + OneLine(PQerrorMessage(conn_)));
  std::string out(q);
  PQfreemem(q);
  return out;
}

std::string Connection::ServerVersion() { return Exec("SHOW server_version").Text(0, 0); }

}  // namespace capstan::pg
