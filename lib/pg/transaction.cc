#include "pg/transaction.h"

namespace capstan::pg {

Transaction::Transaction(Connection& conn) : conn_(conn) { conn_.Exec("BEGIN"); }

Transaction::~Transaction() {
  if (open_ && conn_.Alive()) conn_.TryExec("ROLLBACK");
}

void Transaction::Commit() {
  open_ = false;
  conn_.Exec("COMMIT");
}

void Transaction::Rollback() {
  open_ = false;
  conn_.Exec("ROLLBACK");
}

}  // namespace capstan::pg
