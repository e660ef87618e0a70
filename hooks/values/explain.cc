// `capstan values explain KEY CHART`: the effective value of KEY and every layer that set, replaced or deleted it.
#include <memory>

#include "hooks/values/values_command.h"
#include "hooks/values/values_flags.h"
#include "util/error.h"
#include "util/file_io.h"
#include "values/output.h"

namespace capstan::hooks::values {
namespace {

namespace v = capstan::values;

struct ExplainFlags {
  ValuesFlags values;
  std::string key;
  std::string chart;
  std::string output = "text";
};

std::string ActionName(v::Contribution::Action a) {
  switch (a) {
    case v::Contribution::Action::kSet: return "set";
    case v::Contribution::Action::kDelete: return "delete";
    case v::Contribution::Action::kShadowed: return "replace";
  }
  return "?";
}

std::string Describe(const v::Contribution& c) {
  switch (c.action) {
    case v::Contribution::Action::kSet: return "sets " + v::ScalarText(c.value);
    case v::Contribution::Action::kDelete:
      return c.via.rfind("at ", 0) == 0 ? "nulls " + c.via.substr(3) + " (deletes it and everything below)"
                                        : "sets null (deletes the key if a chart has a default for it)";
    case v::Contribution::Action::kShadowed:
      return "sets " + c.via.substr(3) + " to " + v::ScalarText(c.value) + " (replaces everything below)";
  }
  return "";
}

Runner Setup(CLI::App& app) {
  auto f = std::make_shared<ExplainFlags>();
  app.add_option("key", f->key, "Values path, e.g. image.tag (escape a dot in a key as \\.)")->required();
  app.add_option("chart", f->chart, "Chart directory or packaged chart (.tgz)")->required();
  AddValuesFlags(app, f->values);
  app.add_option("-o,--output", f->output, "Output format: text or json")->check(CLI::IsMember({"text", "json"}));
  app.footer("Example: capstan values explain image.tag charts/portal -f custom_values.yaml --set image.tag=2.1");
  return [f]() -> int {
    auto opts = f->values.options();
    auto chart = v::LoadChart(f->chart, opts.helm_major);
    auto result = v::ComputeValues(*chart, f->values.input, opts);
    LogWarnings(result.warnings);
    v::Path path = v::ParsePath(f->key);
    if (path.empty()) throw UsageError("the key is empty: pass a values path such as image.tag");
    auto contributions = v::Explain(result, *chart, path);
    const v::Value* effective = result.values.FindPath(path);
    std::string out;
    if (f->output == "json") {
      v::Value doc = v::Value::MakeMap();
      doc.map()["path"] = v::Value::String(v::FormatPath(path));
      doc.map()["set"] = v::Value::Bool(effective != nullptr);
      if (effective) doc.map()["value"] = *effective;
      v::Value layers = v::Value::MakeList();
      for (const auto& c : contributions) {
        v::Value l = v::Value::MakeMap();
        l.map()["location"] = v::Value::String(c.origin.Location());
        if (c.origin.layer) {
          l.map()["layer"] = v::Value::String(std::string(v::LayerKindName(c.origin.layer->kind)));
          if (!c.origin.layer->file.empty()) l.map()["file"] = v::Value::String(c.origin.layer->file);
          if (c.origin.line > 0) l.map()["line"] = v::Value::Int(c.origin.line);
          if (c.origin.layer->index > 0) l.map()["index"] = v::Value::Int(c.origin.layer->index);
        }
        l.map()["action"] = v::Value::String(ActionName(c.action));
        l.map()["value"] = c.value;
        if (!c.via.empty()) l.map()["via"] = v::Value::String(c.via);
        layers.list().push_back(std::move(l));
      }
      doc.map()["layers"] = std::move(layers);
      out = v::ToJsonPretty(doc) + "\n";
    } else {
      out = v::FormatPath(path) + " = " + (effective ? v::ScalarText(*effective) : std::string("(not set)")) + "\n";
      if (contributions.empty()) out += "  no layer sets it\n";
      size_t width = 0;
      for (const auto& c : contributions) width = std::max(width, c.origin.Location().size());
      int n = 0;
      for (const auto& c : contributions) {
        std::string loc = c.origin.Location();
        out += "  " + std::to_string(++n) + ". " + loc + std::string(width - loc.size() + 2, ' ') + Describe(c);
        if (!c.via.empty() && c.via.rfind("at ", 0) != 0) out += "  [" + c.via + "]";
        out += "\n";
      }
    }
    WriteAll(1, out);
    return kExitOk;
  };
}

ValuesRegistration reg("explain", "Show the effective value of a key and every file:line or --set flag that set it",
                       Setup);

}  // namespace
}  // namespace capstan::hooks::values
