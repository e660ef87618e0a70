// `capstan values diff --from OLD_CHART --to NEW_CHART -f customer.yaml`: what the upgrade means for the customer's
// settings (removed/renamed keys, pinned old defaults, redundant overrides).
#include <memory>

#include "hooks/values/values_command.h"
#include "hooks/values/values_flags.h"
#include "util/error.h"
#include "util/file_io.h"
#include "values/diff.h"
#include "values/output.h"

namespace capstan::hooks::values {
namespace {

namespace v = capstan::values;

struct DiffFlags {
  ValuesFlags values;
  std::string from;
  std::string to;
  std::string output = "text";
  std::string fail_on = "removed";
};

int Rank(v::DiffFinding::Kind k) {
  switch (k) {
    case v::DiffFinding::Kind::kRemoved: return 3;
    case v::DiffFinding::Kind::kPinnedOldDefault: return 2;
    case v::DiffFinding::Kind::kRedundant: return 1;
  }
  return 0;
}

std::string Message(const v::DiffFinding& f) {
  switch (f.kind) {
    case v::DiffFinding::Kind::kRemoved:
      return "the new chart no longer has this key; the setting would be ignored" +
             (f.suggestion.empty() ? std::string() : " (renamed to " + f.suggestion + "?)");
    case v::DiffFinding::Kind::kPinnedOldDefault:
      return "pins the old default " + v::ScalarText(f.old_default) + "; the new default is " +
             v::ScalarText(f.new_default) + " (drop it to follow the chart, or keep it on purpose)";
    case v::DiffFinding::Kind::kRedundant:
      return "redundant: equals the new default " + v::ScalarText(f.new_default) + " (you can remove it)";
  }
  return "";
}

Runner Setup(CLI::App& app) {
  auto f = std::make_shared<DiffFlags>();
  app.add_option("--from", f->from, "The chart version deployed now (directory or .tgz)")->required();
  app.add_option("--to", f->to, "The chart version to upgrade to (directory or .tgz)")->required();
  AddValuesFlags(app, f->values);
  app.add_option("-o,--output", f->output, "Output format: text or json")->check(CLI::IsMember({"text", "json"}));
  app.add_option("--fail-on", f->fail_on,
                 "Exit 1 when a finding of this kind or worse exists: removed, pinned, redundant, none")
      ->check(CLI::IsMember({"removed", "pinned", "redundant", "none"}));
  app.footer("Example: capstan values diff --from portal-1.4.0.tgz --to charts/portal -f custom_values.yaml");
  return [f]() -> int {
    auto opts = f->values.options();
    auto old_chart = v::LoadChart(f->from, opts.helm_major);
    auto new_chart = v::LoadChart(f->to, opts.helm_major);
    auto findings = v::DiffUpgrade(*old_chart, *new_chart, f->values.input, opts);
    int threshold = f->fail_on == "removed" ? 3 : f->fail_on == "pinned" ? 2 : f->fail_on == "redundant" ? 1 : 99;
    bool fail = false;
    for (const auto& x : findings) fail = fail || Rank(x.kind) >= threshold;
    std::string out;
    if (f->output == "json") {
      v::Value doc = v::Value::MakeMap();
      v::Value list = v::Value::MakeList();
      for (const auto& x : findings) {
        v::Value m = v::Value::MakeMap();
        m.map()["kind"] = v::Value::String(std::string(v::DiffKindName(x.kind)));
        m.map()["path"] = v::Value::String(v::FormatPath(x.path));
        m.map()["location"] = v::Value::String(x.origin.Location());
        if (x.origin.layer && !x.origin.layer->file.empty()) m.map()["file"] = v::Value::String(x.origin.layer->file);
        if (x.origin.line > 0) m.map()["line"] = v::Value::Int(x.origin.line);
        m.map()["value"] = x.customer;
        if (x.has_old_default) m.map()["oldDefault"] = x.old_default;
        if (x.has_new_default) m.map()["newDefault"] = x.new_default;
        if (!x.suggestion.empty()) m.map()["suggestion"] = v::Value::String(x.suggestion);
        m.map()["message"] = v::Value::String(Message(x));
        list.list().push_back(std::move(m));
      }
      doc.map()["findings"] = std::move(list);
      doc.map()["from"] = v::Value::String(f->from);
      doc.map()["to"] = v::Value::String(f->to);
      out = v::ToJsonPretty(doc) + "\n";
    } else {
      for (const auto& x : findings) {
        out += x.origin.Location() + ": " + std::string(v::DiffKindName(x.kind)) + ": " + v::FormatPath(x.path) +
               ": " + Message(x) + "\n";
      }
      size_t counts[4] = {0, 0, 0, 0};
      for (const auto& x : findings) counts[Rank(x.kind)]++;
      out += std::to_string(findings.size()) + " finding(s): " + std::to_string(counts[3]) + " removed, " +
             std::to_string(counts[2]) + " pinned old default, " + std::to_string(counts[1]) + " redundant\n";
    }
    WriteAll(1, out);
    return fail ? kExitFailed : kExitOk;
  };
}

ValuesRegistration reg("diff",
                       "Compare two chart versions against the same customer values: removed keys, pinned old "
                       "defaults, redundant overrides",
                       Setup);

}  // namespace
}  // namespace capstan::hooks::values
