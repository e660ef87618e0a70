// A query result from libpq (owning PGresult*), and QueryError: a failed statement with the server's SQLSTATE,
// message, detail, hint and position, so callers can report "file:line:col: message (SQLSTATE x)".
#pragma once
#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>

#include "util/error.h"

namespace capstan::pg {

class Result {
 public:
  Result() = default;
  explicit Result(PGresult* r) : r_(r, &PQclear) {}
  bool ok() const;  // PGRES_COMMAND_OK / TUPLES_OK / SINGLE_TUPLE / EMPTY_QUERY
  int rows() const { return r_ ? PQntuples(r_.get()) : 0; }
  int cols() const { return r_ ? PQnfields(r_.get()) : 0; }
  bool IsNull(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  // The text value; "" for NULL (use Get for a NULL-aware read).
  std::string Text(int row, int col) const;
  std::optional<std::string> Get(int row, int col) const;
  int Column(const char* name) const;  // -1 when absent
  std::string Status() const;          // "PGRES_FATAL_ERROR"
  std::string Field(int code) const;   // PQresultErrorField (PG_DIAG_*), "" when absent
  std::string SqlState() const { return Field(PG_DIAG_SQLSTATE); }
  std::string CommandTuples() const { return r_ ? PQcmdTuples(r_.get()) : ""; }
  PGresult* raw() const { return r_.get(); }

 private:
  std::shared_ptr<PGresult> r_;
};

// A statement the server rejected (exit code 1), or a lost connection (exit code 3).
class QueryError : public Error {
 public:
  QueryError(const std::string& message, int exit_code, std::string sqlstate, std::string primary,
             std::string detail, std::string hint, std::string context, int position)
      : Error(message, exit_code), sqlstate_(std::move(sqlstate)), primary_(std::move(primary)),
        detail_(std::move(detail)), hint_(std::move(hint)), context_(std::move(context)), position_(position) {}
  const std::string& sqlstate() const { return sqlstate_; }
  const std::string& primary() const { return primary_; }  // the server's primary message
  const std::string& detail() const { return detail_; }
  const std::string& hint() const { return hint_; }
  const std::string& context() const { return context_; }
  int position() const { return position_; }  // 1-based character offset in the statement, 0 when unknown

 private:
  std::string sqlstate_, primary_, detail_, hint_, context_;
  int position_;
};

// 1-based line and column of a 1-based character (not byte) position in UTF-8 text, as the server reports it.
struct LineCol {
  int line = 0;
  int column = 0;
};
LineCol PositionToLineCol(const std::string& text, int char_position);

}  // namespace capstan::pg
