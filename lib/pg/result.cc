#include "pg/result.h"

namespace capstan::pg {

bool Result::ok() const {
  if (!r_) return false;
  switch (PQresultStatus(r_.get())) {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
    case PGRES_SINGLE_TUPLE:
    case PGRES_EMPTY_QUERY:
    case PGRES_COPY_OUT:
    case PGRES_COPY_IN:
      return true;
    default:
      return false;
  }
}

std::string Result::Text(int row, int col) const {
  if (!r_ || IsNull(row, col)) return "";
  return std::string(PQgetvalue(r_.get(), row, col), static_cast<size_t>(PQgetlength(r_.get(), row, col)));
}

std::optional<std::string> Result::Get(int row, int col) const {
  if (!r_ || IsNull(row, col)) return std::nullopt;
  return Text(row, col);
}

int Result::Column(const char* name) const { return r_ ? PQfnumber(r_.get(), name) : -1; }

std::string Result::Status() const { return r_ ? PQresStatus(PQresultStatus(r_.get())) : "PGRES_NO_RESULT"; }

std::string Result::Field(int code) const {
  if (!r_) return "";
  const char* v = PQresultErrorField(r_.get(), code);
  return v ? v : "";
}

LineCol PositionToLineCol(const std::string& text, int char_position) {
  LineCol lc{1, 1};
  if (char_position <= 0) return {0, 0};
  int chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) == 0x80) continue;  // UTF-8 continuation byte
    if (++chars == char_position) return lc;
    if (c == '\n') {
      ++lc.line;
      lc.column = 1;
    } else {
      ++lc.column;
    }
  }
  return lc;
}

}  // namespace capstan::pg
