#include "plan/report_json.h"

#include <rapidjson/document.h>

#include "util/error.h"
#include "util/json_writer.h"

namespace capstan::plan {

namespace {

using Value = rapidjson::Value;

std::string Str(const Value& o, const char* key) {
  if (!o.IsObject()) return "";
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsString() ? std::string(it->value.GetString(), it->value.GetStringLength())
                                                     : "";
}

// A {string: string} object; anything else is a usage error.
std::map<std::string, std::string> StringMap(const Value& o, const char* key, const std::string& where) {
  std::map<std::string, std::string> out;
  auto it = o.FindMember(key);
  if (it == o.MemberEnd()) return out;
  if (!it->value.IsObject()) throw UsageError(where + ": '" + key + "' is not an object");
  for (const auto& m : it->value.GetObject()) {
    if (!m.value.IsString()) throw UsageError(where + ": '" + key + "' holds a value that is not a string");
    out[std::string(m.name.GetString(), m.name.GetStringLength())] =
        std::string(m.value.GetString(), m.value.GetStringLength());
  }
  return out;
}

bool Bool(const Value& o, const char* key, bool fallback) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsBool() ? it->value.GetBool() : fallback;
}

}  // namespace

void WriteFingerprint(JsonWriter& w, const Fingerprint& f) {
  w.StartObject().Field("digest", f.algorithm);
  if (!f.key_id.empty()) w.Field("key", f.key_id);
  w.Field("rollout", RolloutName(f.rollout))
      .Field("configRolls", f.config_rolls)
      .StartObject("images");
  for (const auto& [p, image] : f.images) w.Field(p, image);
  w.EndObject().StartObject("fields");
  for (const auto& [p, d] : f.fields) w.Field(p, d);
  w.EndObject().StartArray("config");
  for (const auto& c : f.config) {
    w.StartObject()
        .Field("kind", c.kind)
        .Field("name", c.name)
        .Field("present", c.present)
        .Field("allKeys", c.all_keys)
        .StartObject("keys");
    for (const auto& [k, d] : c.keys) w.Field(k, d);
    w.EndObject().EndObject();
  }
  w.EndArray().EndObject();
}

bool IsReport(std::string_view text) {
  size_t i = text.find_first_not_of(" \t\r\n");
  if (i == std::string_view::npos || text[i] != '{') return false;
  rapidjson::Document d;
  d.Parse(text.data(), text.size());
  return !d.HasParseError() && d.IsObject() && Str(d, "tool") == "capstan-postrender";
}

std::vector<Fingerprint> ReadReport(std::string_view text, const std::string& origin) {
  rapidjson::Document d;
  d.Parse(text.data(), text.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("workloads") || !d["workloads"].IsArray())
    throw UsageError(origin + " is not a capstan-postrender report (a JSON object with a 'workloads' list): give "
                     "the file written by capstan-postrender --report, or a rendered manifest stream");
  std::vector<Fingerprint> out;
  size_t index = 0;
  for (const auto& w : d["workloads"].GetArray()) {
    ++index;
    std::string where = origin + ", workload " + std::to_string(index);
    if (!w.IsObject()) throw UsageError(where + " is not an object");
    Fingerprint f;
    f.kind = Str(w, "kind");
    f.namespace_ = Str(w, "namespace");
    f.name = Str(w, "name");
    f.source = Str(w, "source");
    if (f.kind.empty() || f.name.empty()) throw UsageError(where + " has no kind or name");
    where += " (" + f.Ref() + ")";
    auto fp = w.FindMember("fingerprint");
    if (fp == w.MemberEnd() || !fp->value.IsObject())
      throw UsageError(where + " has no fingerprint: the report was written by a capstan-postrender older than "
                       "capstan plan. Render the old release again with this version (--report FILE) to compare it");
    const Value& v = fp->value;
    f.algorithm = Str(v, "digest");
    if (f.algorithm != "sha256" && f.algorithm != "hmac-sha256")
      throw UsageError(where + ": fingerprint.digest must be sha256 or hmac-sha256");
    f.key_id = Str(v, "key");
    if (!ParseRollout(Str(v, "rollout"), &f.rollout))
      throw UsageError(where + ": fingerprint.rollout " + Str(v, "rollout") + " is not one of rolling-update, "
                       "recreate, on-delete, runs-again, none");
    f.config_rolls = Bool(v, "configRolls", true);
    f.images = StringMap(v, "images", where + ": fingerprint");
    f.fields = StringMap(v, "fields", where + ": fingerprint");
    if (auto c = v.FindMember("config"); c != v.MemberEnd()) {
      if (!c->value.IsArray()) throw UsageError(where + ": fingerprint.config is not a list");
      for (const auto& o : c->value.GetArray()) {
        if (!o.IsObject()) throw UsageError(where + ": fingerprint.config holds an entry that is not an object");
        ConfigFingerprint cf;
        cf.kind = Str(o, "kind");
        cf.name = Str(o, "name");
        cf.present = Bool(o, "present", true);
        cf.all_keys = Bool(o, "allKeys", false);
        cf.keys = StringMap(o, "keys", where + ": fingerprint.config " + cf.Ref());
        f.config.push_back(std::move(cf));
      }
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace capstan::plan
