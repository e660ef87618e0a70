#include "pg/advisory_lock.h"

#include <thread>

#include "digest/sha256.h"
#include "log/log.h"
#include "util/duration.h"
#include "util/error.h"

namespace capstan::pg {

int64_t AdvisoryKey(const std::string& name) {
  std::string hex = Sha256::Hex("capstan:" + name);
  uint64_t v = std::stoull(hex.substr(0, 16), nullptr, 16);
  return static_cast<int64_t>(v);
}

std::optional<std::string> AdvisoryLockHolder(Connection& conn, int64_t key) {
  // A bigint advisory lock shows in pg_locks as classid = high 32 bits, objid = low 32 bits, objsubid = 1.
  uint64_t u = static_cast<uint64_t>(key);
  Result r = conn.Exec(
      "SELECT a.pid, coalesce(a.usename::text, ''), coalesce(a.application_name, ''), "
      "coalesce(host(a.client_addr), 'local'), coalesce(to_char(a.backend_start AT TIME ZONE 'UTC', "
      "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ''), coalesce(a.state, ''), "
      "coalesce(extract(epoch FROM now() - a.backend_start)::bigint, 0) "
      "FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid "
      "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::oid AND l.objid = $2::oid "
      "AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
      {std::to_string(u >> 32), std::to_string(u & 0xffffffffu)});
  if (r.rows() == 0) return std::nullopt;
  return "pid " + r.Text(0, 0) + " (user " + r.Text(0, 1) + ", application '" + r.Text(0, 2) + "', client " +
         r.Text(0, 3) + ", connected since " + r.Text(0, 4) + ", " + r.Text(0, 6) + "s ago, state " + r.Text(0, 5) +
         ")";
}

AdvisoryLock::AdvisoryLock(Connection& conn, int64_t key, std::chrono::milliseconds timeout, const std::string& what)
    : conn_(conn), key_(key) {
  const std::string k = std::to_string(key);
  auto start = std::chrono::steady_clock::now();
  auto next_report = start;
  std::optional<std::string> holder;
  for (;;) {
    if (conn_.Exec("SELECT pg_try_advisory_lock($1::bigint)", {k}).Text(0, 0) == "t") {
      if (waited_)
        log::Info("acquired " + what,
                  {{"waited_ms", static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                            std::chrono::steady_clock::now() - start)
                                                            .count())}});
      return;
    }
    waited_ = true;
    auto now = std::chrono::steady_clock::now();
    if (now >= next_report || now - start >= timeout) {
      holder = AdvisoryLockHolder(conn_, key);
      if (now - start >= timeout) {
        throw Error("timed out after " + FormatDuration(timeout) + " waiting for " + what + " on " +
                    conn_.description() + ": held by " + holder.value_or("a session that has just ended") +
                    "; wait for it to finish, or raise --lock-wait-timeout");
      }
      log::Info("waiting for " + what, {{"holder", holder.value_or("unknown (just released)")},
                                        {"timeout", FormatDuration(timeout)}});
      next_report = now + std::chrono::seconds(10);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

AdvisoryLock::~AdvisoryLock() {
  if (conn_.Alive()) conn_.TryExec("SELECT pg_advisory_unlock($1::bigint)", {std::to_string(key_)});
}

}  // namespace capstan::pg
