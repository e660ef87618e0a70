#include "migrate/sql_split.h"

namespace capstan::migrate {

namespace {

bool IdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IdentStart(char c) { return IdentChar(c) && !(c >= '0' && c <= '9'); }

}  // namespace

std::vector<Statement> SplitStatements(std::string_view sql) {
  std::vector<Statement> out;
  bool has_code = false;  // the current statement holds something other than whitespace and comments
  size_t code_start = 0;
  const size_t n = sql.size();
  auto flush = [&](size_t end) {
    if (has_code) {
      std::string_view text = sql.substr(code_start, end - code_start);
      while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r'))
        text.remove_suffix(1);
      out.push_back({code_start, text});
    }
    has_code = false;
  };
  auto mark = [&](size_t at) {
    if (!has_code) {
      has_code = true;
      code_start = at;
    }
  };
  size_t i = 0;
  while (i < n) {
    char c = sql[i];
    if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
      while (i < n && sql[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
      int depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] == '/' && i + 1 < n && sql[i + 1] == '*') {
          ++depth;
          i += 2;
        } else if (sql[i] == '*' && i + 1 < n && sql[i + 1] == '/') {
          --depth;
          i += 2;
        } else {
          ++i;
        }
      }
      continue;
    }
    if (c == ';') {
      flush(i);
      ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
      continue;
    }
    mark(i);
    if (c == '\'') {
      bool backslash = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !IdentChar(sql[i - 2]));
      ++i;
      while (i < n) {
        if (backslash && sql[i] == '\\') {
          i += 2;
          continue;
        }
        if (sql[i] == '\'') {
          if (i + 1 < n && sql[i + 1] == '\'') {
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      if (i < n) ++i;
      continue;
    }
    if (c == '"') {
      ++i;
      while (i < n) {
        if (sql[i] == '"') {
          if (i + 1 < n && sql[i + 1] == '"') {
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      if (i < n) ++i;
      continue;
    }
    if (c == '$' && (i == 0 || !IdentChar(sql[i - 1]))) {
      size_t j = i + 1;
      if (j < n && IdentStart(sql[j])) {
        while (j < n && IdentChar(sql[j]) && sql[j] != '$') ++j;
      }
      if (j < n && sql[j] == '$') {
        std::string_view tag = sql.substr(i, j - i + 1);
        size_t close = sql.find(tag, j + 1);
        i = close == std::string_view::npos ? n : close + tag.size();
        continue;
      }
    }
    if (IdentChar(c)) {
      while (i < n && (IdentChar(sql[i]) || sql[i] == '$')) ++i;
      continue;
    }
    ++i;
  }
  flush(n);
  return out;
}

}  // namespace capstan::migrate
