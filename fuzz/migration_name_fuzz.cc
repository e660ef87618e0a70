// libFuzzer target for the migration file-name and version parser, version ordering, and the SQL statement
// splitter used for no-transaction migrations. Checks invariants, not just absence of crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "migrate/migration_name.h"
#include "migrate/sql_split.h"
#include "migrate/version.h"

using namespace capstan::migrate;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string why;
  auto m = ParseMigrationName(in, &why);
  if (m) {
    if ((m->kind == Kind::kRepeatable) == m->version.has_value()) std::abort();
    if (m->version && !(*m->version == *Version::Parse(m->version->text()))) std::abort();
  } else if (why.empty()) {
    std::abort();
  }
  // Versions: split the input at a NUL into two candidates and check the ordering is consistent.
  size_t cut = in.find('\0');
  auto a = Version::Parse(in.substr(0, cut));
  auto b = cut == std::string_view::npos ? std::nullopt : Version::Parse(in.substr(cut + 1));
  if (a && b) {
    int ab = a->Compare(*b);
    int ba = b->Compare(*a);
    if (ab != -ba) std::abort();
    if (a->Compare(*a) != 0) std::abort();
  }
  // The splitter: statements are in order, inside the input, and never empty.
  size_t last = 0;
  for (const Statement& s : SplitStatements(in)) {
    if (s.text.empty() || s.offset < last || s.offset + s.text.size() > in.size()) std::abort();
    if (in.substr(s.offset, s.text.size()) != s.text) std::abort();
    last = s.offset + s.text.size();
  }
  return 0;
}
