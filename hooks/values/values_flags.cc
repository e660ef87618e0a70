#include "hooks/values/values_flags.h"

#include <set>

#include "log/log.h"

namespace capstan::hooks::values {

void AddValuesFlags(CLI::App& app, ValuesFlags& flags) {
  app.add_option("-f,--values", flags.input.value_files,
                 "Values file (repeatable, or comma-separated); later files win, '-' reads stdin")
      ->delimiter(',')
      ->type_name("FILE");
  app.add_option("--set", flags.input.set, "Set a value: a.b=1,c={x,y},d[0]=v (repeatable)")->type_name("KEY=VAL");
  app.add_option("--set-string", flags.input.set_string, "Set a STRING value (repeatable)")->type_name("KEY=VAL");
  app.add_option("--set-json", flags.input.set_json,
                 "Set a JSON value: a={\"b\":1} (Helm 4 also takes a whole JSON object) (repeatable)")
      ->type_name("KEY=JSON");
  app.add_option("--set-file", flags.input.set_file, "Set a value to the contents of a file (repeatable)")
      ->type_name("KEY=PATH");
  app.add_option("--set-literal", flags.input.set_literal, "Set a literal STRING value, no parsing (repeatable)")
      ->type_name("KEY=VAL");
  app.add_option("--helm", flags.helm, "Merge as this Helm major version does: 3 or 4")
      ->check(CLI::IsMember({3, 4}))
      ->default_val(4);
}

void LogWarnings(const std::vector<capstan::values::Warning>& warnings) {
  std::set<std::string> seen;
  for (const auto& w : warnings) {
    std::string where = w.origin.known() ? w.origin.Location() : "";
    if (!seen.insert(w.message + "\n" + where).second) continue;
    log::Fields fields;
    if (!where.empty()) fields.emplace_back("at", where);
    std::string_view msg = w.message;
    for (std::string_view prefix : {"Warning: ", "warning: "})
      if (msg.substr(0, prefix.size()) == prefix) msg.remove_prefix(prefix.size());
    log::Warn(msg, fields);
  }
}

}  // namespace capstan::hooks::values
