// SARIF 2.1.0 (OASIS): one run whose tool.driver lists every rule (shortDescription, fullDescription and help as
// text and Markdown: GitHub code scanning requires the last two), one result per finding with its
// physicalLocation (artifactLocation.uri + region.startLine/startColumn). GitHub code scanning accepts it as is
// (github/codeql-action/upload-sarif). The JSON pointer, suggestion and matrix context go in result.properties.
#include <map>


#include "findings/format.h"
#include "util/json_writer.h"

namespace capstan::findings {
namespace {

const char* SarifLevel(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "note";
  }
  return "error";
}

bool Unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~' || c == '/';
}

}  // namespace

std::string PathToUri(std::string_view path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  if (!path.empty() && path[0] == '/') out = "file://";
  for (unsigned char c : path) {
    if (Unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string RenderSarif(const Report& report) {
  // Rules: the declared ones, then any rule id a finding uses that was not declared (never drop a result).
  std::vector<Rule> rules = report.rules;
  std::map<std::string, int> index;
  for (size_t i = 0; i < rules.size(); ++i) index.emplace(rules[i].id, static_cast<int>(i));
  for (const auto& f : report.findings) {
    if (index.count(f.rule)) continue;
    index.emplace(f.rule, static_cast<int>(rules.size()));
    Rule r;
    r.id = r.summary = f.rule;
    r.default_severity = f.severity;
    rules.push_back(std::move(r));
  }

  JsonWriter w(2);
  w.StartObject();
  w.Key("$schema");
  w.String("https://json.schemastore.org/sarif-2.1.0.json");
  w.Key("version");
  w.String("2.1.0");
  w.Key("runs");
  w.StartArray();
  w.StartObject();
  w.Key("tool");
  w.StartObject();
  w.Key("driver");
  w.StartObject();
  w.Key("name");
  w.String(report.tool);
  if (!report.tool_version.empty()) {
    w.Key("version");
    w.String(report.tool_version);
  }
  w.Key("rules");
  w.StartArray();
  for (const auto& r : rules) {
    w.StartObject();
    w.Key("id");
    w.String(r.id);
    std::string summary = r.summary.empty() ? r.id : r.summary;
    std::string description = r.description.empty() ? summary : r.description;
    w.Key("shortDescription");
    w.StartObject();
    w.Key("text");
    w.String(summary);
    w.EndObject();
    w.Key("fullDescription");
    w.StartObject();
    w.Key("text");
    w.String(description);
    w.EndObject();
    w.Key("help");
    w.StartObject();
    w.Key("text");
    w.String(r.help.empty() ? description : r.help);
    if (!r.help_markdown.empty()) {
      w.Key("markdown");
      w.String(r.help_markdown);
    }
    w.EndObject();
    w.Key("defaultConfiguration");
    w.StartObject();
    w.Key("level");
    w.String(SarifLevel(r.default_severity));
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();  // driver
  w.EndObject();  // tool
  w.Key("results");
  w.StartArray();
  for (const auto& f : report.findings) {
    w.StartObject();
    w.Key("ruleId");
    w.String(f.rule);
    w.Key("ruleIndex");
    w.Int(index[f.rule]);
    w.Key("level");
    w.String(SarifLevel(f.severity));
    w.Key("message");
    w.StartObject();
    w.Key("text");
    w.String(f.message.empty() ? f.rule : f.message);
    w.EndObject();
    if (!f.file.empty()) {
      w.Key("locations");
      w.StartArray();
      w.StartObject();
      w.Key("physicalLocation");
      w.StartObject();
      w.Key("artifactLocation");
      w.StartObject();
      w.Key("uri");
      w.String(PathToUri(f.file));
      w.EndObject();
      if (f.line > 0) {
        w.Key("region");
        w.StartObject();
        w.Key("startLine");
        w.Int(f.line);
        if (f.column > 0) {
          w.Key("startColumn");
          w.Int(f.column);
        }
        w.EndObject();
      }
      w.EndObject();  // physicalLocation
      if (!f.path.empty()) {
        w.Key("logicalLocations");
        w.StartArray();
        w.StartObject();
        w.Key("fullyQualifiedName");
        w.String(f.path);
        w.Key("kind");
        w.String("member");
        w.EndObject();
        w.EndArray();
      }
      w.EndObject();
      w.EndArray();
    }
    w.Key("properties");
    w.StartObject();
    w.Key("jsonPointer");
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
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();  // run
  w.EndArray();
  w.EndObject();
  return w.str() + "\n";
}

}  // namespace capstan::findings
