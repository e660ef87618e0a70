// A transaction scope on a Connection: BEGIN on construction, COMMIT on Commit(), ROLLBACK when it goes out of
// scope uncommitted (including when an exception unwinds through it).
#pragma once
#include "pg/connection.h"

namespace capstan::pg {

class Transaction {
 public:
  explicit Transaction(Connection& conn);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void Commit();
  void Rollback();

 private:
  Connection& conn_;
  bool open_ = true;
};

}  // namespace capstan::pg
