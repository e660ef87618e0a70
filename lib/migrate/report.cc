// Rendering of the migration reports (declared in migrate/engine.h): JSON for machines, text for terminals.

#include <cstdio>

#include "migrate/engine.h"
#include "util/json_writer.h"

namespace capstan::migrate {

namespace {

using Writer = JsonWriter;

void Str(Writer& w, const char* key, const std::string& v) {
  w.Key(key);
  w.String(v);
}

void OptStr(Writer& w, const char* key, const std::optional<std::string>& v) {
  w.Key(key);
  if (v) w.String(*v);
  else w.Null();
}

void StepJson(Writer& w, const Step& s, bool with_time) {
  w.StartObject();
  OptStr(w, "version", s.file->name.version ? std::optional<std::string>(s.file->name.version->text()) : std::nullopt);
  Str(w, "description", s.file->name.description);
  Str(w, "type", s.type);
  Str(w, "reason", s.reason);
  Str(w, "script", s.file->filename);
  Str(w, "checksum", s.file->checksum);
  w.Key("transaction");
  w.Bool(!s.file->no_transaction);
  if (with_time) {
    w.Key("execution_time_ms");
    w.Int(s.execution_time_ms);
  }
  w.EndObject();
}

std::string Done(const Writer& w) { return w.str() + "\n"; }

std::string Pad(const std::string& s, size_t width) { return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' '); }

}  // namespace

std::string RunReportJson(const RunReport& r) {
  Writer w(4);  // rapidjson's PrettyWriter layout
  w.StartObject();
  Str(w, "command", r.command);
  Str(w, "status", r.status);
  Str(w, "database", r.database);
  Str(w, "table", r.table);
  OptStr(w, "previous_version", r.previous_version);
  OptStr(w, "current_version", r.current_version);
  w.Key(r.command == "undo" ? "undone" : "applied");
  w.StartArray();
  for (const auto& s : r.steps) StepJson(w, s, true);
  w.EndArray();
  if (!r.actions.empty()) {
    w.Key("actions");
    w.StartArray();
    for (const auto& a : r.actions) w.String(a);
    w.EndArray();
  }
  if (r.status == "failed") {
    Str(w, "failed_script", r.failed_script);
    Str(w, "error", r.error);
  }
  w.Key("total_ms");
  w.Int(r.total_ms);
  w.EndObject();
  return Done(w);
}

std::string PlanJson(const PlanReport& p) {
  Writer w(4);  // rapidjson's PrettyWriter layout
  w.StartObject();
  Str(w, "database", p.database);
  Str(w, "table", p.table);
  OptStr(w, "current_version", p.current_version);
  w.Key("pending");
  w.StartArray();
  for (const auto& s : p.steps) StepJson(w, s, false);
  w.EndArray();
  w.EndObject();
  return Done(w);
}

std::string PlanText(const PlanReport& p) {
  std::string out = "Database " + p.database + ", history " + p.table + ", at version " +
                    p.current_version.value_or("(none)") + "\n";
  if (p.steps.empty()) return out + "Nothing to apply: the schema is up to date.\n";
  out += std::to_string(p.steps.size()) + " migration(s) would be applied, in this order:\n";
  for (const auto& s : p.steps) {
    out += "  " + Pad(s.file->name.version ? s.file->name.version->text() : "R", 12) + Pad(s.file->filename, 40) +
           Pad(s.reason, 14) + "sha256:" + s.file->checksum + (s.file->no_transaction ? "  (no transaction)" : "") +
           "\n";
  }
  return out;
}

std::string StatusJson(const StatusReport& s) {
  Writer w(4);  // rapidjson's PrettyWriter layout
  w.StartObject();
  Str(w, "database", s.database);
  Str(w, "table", s.table);
  w.Key("table_exists");
  w.Bool(s.table_exists);
  OptStr(w, "current_version", s.current_version);
  w.Key("migrations");
  w.StartArray();
  for (const auto& e : s.entries) {
    w.StartObject();
    OptStr(w, "version", e.version.empty() ? std::nullopt : std::optional<std::string>(e.version));
    Str(w, "description", e.description);
    Str(w, "type", e.type);
    Str(w, "script", e.script);
    Str(w, "state", e.state);
    OptStr(w, "checksum", e.checksum.empty() ? std::nullopt : std::optional<std::string>(e.checksum));
    OptStr(w, "applied_checksum", e.applied_checksum.empty() ? std::nullopt : std::optional<std::string>(e.applied_checksum));
    OptStr(w, "installed_on", e.installed_on.empty() ? std::nullopt : std::optional<std::string>(e.installed_on));
    OptStr(w, "installed_by", e.installed_by.empty() ? std::nullopt : std::optional<std::string>(e.installed_by));
    w.Key("execution_time_ms");
    if (e.execution_time_ms >= 0) w.Int(e.execution_time_ms);
    else w.Null();
    w.EndObject();
  }
  w.EndArray();
  w.Key("problems");
  w.StartArray();
  for (const auto& p : s.problems) w.String(p);
  w.EndArray();
  w.EndObject();
  return Done(w);
}

std::string StatusText(const StatusReport& s) {
  std::string out = "Database " + s.database + ", history " + s.table +
                    (s.table_exists ? "" : " (not created yet)") + ", at version " +
                    s.current_version.value_or("(none)") + "\n";
  if (s.entries.empty()) return out + "No migrations.\n";
  out += Pad("VERSION", 12) + Pad("DESCRIPTION", 32) + Pad("TYPE", 11) + Pad("STATE", 15) + Pad("INSTALLED ON", 22) +
         "CHECKSUM\n";
  for (const auto& e : s.entries) {
    std::string sum = e.checksum.empty() ? e.applied_checksum : e.checksum;
    out += Pad(e.version.empty() ? "-" : e.version, 12) + Pad(e.description, 32) + Pad(e.type, 11) +
           Pad(e.state, 15) + Pad(e.installed_on.empty() ? "-" : e.installed_on, 22) + sum.substr(0, 12) + "\n";
  }
  for (const auto& p : s.problems) out += "problem: " + p + "\n";
  return out;
}

}  // namespace capstan::migrate
