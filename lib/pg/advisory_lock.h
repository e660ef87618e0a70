// PostgreSQL session advisory locks (pg_advisory_lock on a 64-bit key). The server releases a session lock when
// the connection ends, so a killed process never leaves one behind. Acquire waits up to a timeout, logging who
// holds the lock (pid, user, application, client address, since when; from pg_locks and pg_stat_activity).
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "pg/connection.h"

namespace capstan::pg {

// A stable 64-bit key for a name (the first 8 bytes of SHA-256("capstan:" + name)).
int64_t AdvisoryKey(const std::string& name);

// Who holds the advisory lock `key` in the current database, as one line; nullopt when nobody does.
std::optional<std::string> AdvisoryLockHolder(Connection& conn, int64_t key);

class AdvisoryLock {
 public:
  // Waits for the lock up to `timeout` (polling pg_try_advisory_lock), logging the holder when it is busy.
  // Throws Error (exit 1) naming the holder when the wait times out. `what` names the lock in messages.
  AdvisoryLock(Connection& conn, int64_t key, std::chrono::milliseconds timeout, const std::string& what);
  ~AdvisoryLock();  // pg_advisory_unlock (the server also releases it when the session ends)
  AdvisoryLock(const AdvisoryLock&) = delete;
  AdvisoryLock& operator=(const AdvisoryLock&) = delete;
  bool waited() const { return waited_; }

 private:
  Connection& conn_;
  int64_t key_;
  bool waited_ = false;
};

}  // namespace capstan::pg
