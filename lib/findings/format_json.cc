// JSON format: {"tool":..., "findings":[{severity, rule, message, file, line, column, path, suggestion,
// context}], "summary":{"errors":N,"warnings":N,"info":N}}. Fields that are unknown are left out.
#include "findings/format.h"
#include "util/json_writer.h"

namespace capstan::findings {

std::string RenderJson(const Report& report) {
  JsonWriter w;
  w.StartObject().Field("tool", report.tool).FieldIfSet("version", report.tool_version).StartArray("inputs");
  for (const auto& in : report.inputs) w.String(in);
  w.EndArray().StartArray("findings");
  for (const auto& f : report.findings) {
    w.StartObject()
        .Field("severity", SeverityName(f.severity))
        .Field("rule", f.rule)
        .Field("message", f.message)
        .FieldIfSet("file", f.file);
    if (f.line > 0) w.Field("line", f.line);
    if (f.column > 0) w.Field("column", f.column);
    w.Field("path", f.path).FieldIfSet("suggestion", f.suggestion).FieldIfSet("context", f.context).EndObject();
  }
  w.EndArray();
  Counts n = Count(report.findings);
  w.StartObject("summary")
      .Field("errors", uint64_t{n.errors})
      .Field("warnings", uint64_t{n.warnings})
      .Field("info", uint64_t{n.infos})
      .EndObject()
      .EndObject();
  return w.str() + "\n";
}

}  // namespace capstan::findings
