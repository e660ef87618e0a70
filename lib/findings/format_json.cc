// JSON format: {"tool":..., "findings":[{severity, rule, message, file, line, column, path, suggestion,
// context}], "summary":{"errors":N,"warnings":N,"info":N}}. Fields that are unknown are left out.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "findings/format.h"

namespace capstan::findings {

std::string RenderJson(const Report& report) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("tool");
  w.String(report.tool);
  if (!report.tool_version.empty()) {
    w.Key("version");
    w.String(report.tool_version);
  }
  w.Key("inputs");
  w.StartArray();
  for (const auto& in : report.inputs) w.String(in);
  w.EndArray();
  w.Key("findings");
  w.StartArray();
  for (const auto& f : report.findings) {
    w.StartObject();
    w.Key("severity");
    w.String(std::string(SeverityName(f.severity)));
    w.Key("rule");
    w.String(f.rule);
    w.Key("message");
    w.String(f.message);
    if (!f.file.empty()) {
      w.Key("file");
      w.String(f.file);
    }
    if (f.line > 0) {
      w.Key("line");
      w.Int(f.line);
    }
    if (f.column > 0) {
      w.Key("column");
      w.Int(f.column);
    }
    w.Key("path");
    w.String(f.path);
    if (!f.suggestion.empty()) {
      w.Key("suggestion");
      w.String(f.suggestion);
    }
    if (!f.context.empty()) {
      w.Key("context");
      w.String(f.context);
    }
    w.EndObject();
  }
  w.EndArray();
  Counts n = Count(report.findings);
  w.Key("summary");
  w.StartObject();
  w.Key("errors");
  w.Uint64(n.errors);
  w.Key("warnings");
  w.Uint64(n.warnings);
  w.Key("info");
  w.Uint64(n.infos);
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

}  // namespace capstan::findings
