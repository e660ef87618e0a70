// Splits a SQL script into statements at top-level semicolons, the way psql does: semicolons inside '...',
// E'...', "...", $tag$...$tag$, -- comments and (nested) /* */ comments do not split. Used for migrations marked
// `-- capstan:no-transaction`, whose statements (CREATE INDEX CONCURRENTLY) must each run on their own.
#pragma once
#include <string_view>
#include <vector>

namespace capstan::migrate {

struct Statement {
  size_t offset = 0;      // byte offset of the statement's first byte in the script
  std::string_view text;  // without the terminating semicolon; never only whitespace and comments
};

std::vector<Statement> SplitStatements(std::string_view sql);

}  // namespace capstan::migrate
