#include "backup/manifest.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "util/error.h"
#include "util/json_writer.h"
#include "util/strings.h"

namespace capstan::backup {

namespace {

// The member k of object o, or nullptr (avoids comparing member iterators, ambiguous for clang in C++20).
const rapidjson::Value* Member(const rapidjson::Value& o, const char* k) {
  return o.HasMember(k) ? &o[k] : nullptr;
}

bool SafeName(std::string_view s) {
  if (s.empty() || s.size() > 128 || s[0] == '.' || s[0] == '-') return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) return false;
  return true;
}

}  // namespace

bool ValidId(std::string_view id) { return SafeName(id); }
bool ValidArtifactName(std::string_view name) { return SafeName(name) && name != kManifestFile; }

bool ValidKubeName(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(name.front()) || !alnum(name.back())) return false;
  for (char c : name)
    if (!alnum(c) && c != '-' && c != '.') return false;
  return true;
}

std::string ManifestToJson(const Manifest& m) {
  JsonWriter w(2);
  auto str = [&](const char* k, const std::string& v) {
    w.Key(k);
    w.String(v);
  };
  w.StartObject();
  str("format", kManifestFormat);
  str("id", m.id);
  str("time", m.time);
  w.Key("time_unix");
  w.Int(m.time_unix);
  str("state", m.state);
  str("release", m.release);
  str("namespace", m.namespace_name);
  str("revision", m.revision);
  if (!m.previous_revision.empty()) str("previous_revision", m.previous_revision);
  str("chart", m.chart);
  str("chart_version", m.chart_version);
  str("app_version", m.app_version);
  w.Key("database");
  w.StartObject();
  str("name", m.database);
  str("server_version", m.server_version);
  w.Key("server_version_num");
  w.Int(m.server_version_num);
  str("pg_dump_version", m.pg_dump_version);
  w.Key("pg_dump_major");
  w.Int(m.pg_dump_major);
  w.EndObject();
  str("capstan_version", m.capstan_version);
  if (!m.encryption_key_id.empty()) {
    w.Key("encryption");
    w.StartObject();
    str("algorithm", kEncryptionAlgorithm);
    str("format", kEncryptionFormat);
    str("key_id", m.encryption_key_id);
    w.EndObject();
  }
  w.Key("seconds");
  w.Double(m.seconds);
  w.Key("artifacts");
  w.StartArray();
  for (const auto& a : m.artifacts) {
    w.StartObject();
    str("name", a.name);
    str("kind", a.kind);
    str("source", a.source);
    w.Key("size");
    w.Uint(a.size);
    str("sha256", a.sha256);
    w.Key("entries");
    w.Uint(a.entries);
    w.Key("data_bytes");
    w.Uint(a.data_bytes);
    w.EndObject();
  }
  w.EndArray();
  if (!m.volume_snapshots.empty()) {
    w.Key("volume_snapshots");
    w.StartArray();
    for (const auto& v : m.volume_snapshots) {
      w.StartObject();
      str("pvc", v.pvc);
      str("name", v.name);
      str("namespace", v.namespace_name);
      str("class", v.class_name);
      str("restore_size", v.restore_size);
      str("content", v.content_name);
      str("creation_time", v.creation_time);
      w.Key("ready_to_use");
      w.Bool(v.ready_to_use);
      w.Key("pvc_spec");
      w.StartObject();
      str("storage_class", v.pvc_storage_class);
      w.Key("access_modes");
      w.StartArray();
      for (const auto& mode : v.pvc_access_modes) w.String(mode);
      w.EndArray();
      str("size", v.pvc_size);
      str("volume_mode", v.pvc_volume_mode);
      w.EndObject();
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return w.str() + "\n";
}

Manifest ManifestFromJson(std::string_view json, const std::string& where) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError())
    throw Error(where + ": not valid JSON at offset " + std::to_string(d.GetErrorOffset()) + " (" +
                rapidjson::GetParseError_En(d.GetParseError()) + "): the restore point is corrupt");
  auto bad = [&](const std::string& why) { return Error(where + ": " + why + ": the restore point's manifest is corrupt"); };
  if (!d.IsObject()) throw bad("not a JSON object");
  auto get_str = [&](const rapidjson::Value& o, const char* k, bool required) -> std::string {
    const rapidjson::Value* v = Member(o, k);
    if (!v || v->IsNull()) {
      if (required) throw bad(std::string("missing \"") + k + "\"");
      return "";
    }
    if (!v->IsString()) throw bad(std::string("\"") + k + "\" is not a string");
    return std::string(v->GetString(), v->GetStringLength());
  };
  auto get_u64 = [&](const rapidjson::Value& o, const char* k, bool required) -> uint64_t {
    const rapidjson::Value* v = Member(o, k);
    if (!v) {
      if (required) throw bad(std::string("missing \"") + k + "\"");
      return 0;
    }
    if (!v->IsUint64()) throw bad(std::string("\"") + k + "\" is not a non-negative integer");
    return v->GetUint64();
  };
  if (get_str(d, "format", true) != kManifestFormat)
    throw bad("unknown format (expected \"" + std::string(kManifestFormat) + "\")");
  Manifest m;
  m.id = get_str(d, "id", true);
  if (!ValidId(m.id)) throw bad("invalid id");
  m.time = get_str(d, "time", true);
  const rapidjson::Value* tu = Member(d, "time_unix");
  if (!tu || !tu->IsInt64()) throw bad("missing or invalid \"time_unix\"");
  m.time_unix = tu->GetInt64();
  m.state = get_str(d, "state", true);
  m.release = get_str(d, "release", false);
  m.namespace_name = get_str(d, "namespace", false);
  m.revision = get_str(d, "revision", false);
  m.previous_revision = get_str(d, "previous_revision", false);
  m.chart = get_str(d, "chart", false);
  m.chart_version = get_str(d, "chart_version", false);
  m.app_version = get_str(d, "app_version", false);
  m.capstan_version = get_str(d, "capstan_version", false);
  if (const rapidjson::Value* dbv = Member(d, "database")) {
    const rapidjson::Value& dbo = *dbv;
    if (!dbo.IsObject()) throw bad("\"database\" is not an object");
    m.database = get_str(dbo, "name", false);
    m.server_version = get_str(dbo, "server_version", false);
    m.server_version_num = static_cast<int>(get_u64(dbo, "server_version_num", false) & 0x7fffffff);
    m.pg_dump_version = get_str(dbo, "pg_dump_version", false);
    m.pg_dump_major = static_cast<int>(get_u64(dbo, "pg_dump_major", false) & 0x7fffffff);
  }
  if (const rapidjson::Value* ev = Member(d, "encryption")) {
    if (!ev->IsObject()) throw bad("\"encryption\" is not an object");
    if (get_str(*ev, "format", true) != kEncryptionFormat || get_str(*ev, "algorithm", true) != kEncryptionAlgorithm)
      throw bad("unknown encryption (expected " + std::string(kEncryptionAlgorithm) + ", " + kEncryptionFormat +
                "): written by a newer capstan?");
    m.encryption_key_id = get_str(*ev, "key_id", true);
    if (m.encryption_key_id.empty()) throw bad("empty encryption key_id");
  }
  const rapidjson::Value* secs = Member(d, "seconds");
  if (secs && secs->IsNumber()) m.seconds = secs->GetDouble();
  const rapidjson::Value* arts = Member(d, "artifacts");
  if (!arts || !arts->IsArray()) throw bad("missing \"artifacts\" array");
  for (const auto& a : arts->GetArray()) {
    if (!a.IsObject()) throw bad("an artifact is not an object");
    Artifact art;
    art.name = get_str(a, "name", true);
    if (!ValidArtifactName(art.name)) throw bad("invalid artifact name");
    art.kind = get_str(a, "kind", true);
    if (art.kind != kKindDump && art.kind != kKindArchive) throw bad("unknown artifact kind \"" + art.kind + "\"");
    art.source = get_str(a, "source", false);
    art.size = get_u64(a, "size", true);
    art.sha256 = get_str(a, "sha256", true);
    if (art.sha256.size() != 64 || art.sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
      throw bad("artifact " + art.name + " has an invalid sha256");
    art.entries = get_u64(a, "entries", false);
    art.data_bytes = get_u64(a, "data_bytes", false);
    m.artifacts.push_back(std::move(art));
  }
  if (const rapidjson::Value* snaps = Member(d, "volume_snapshots")) {
    if (!snaps->IsArray()) throw bad("\"volume_snapshots\" is not an array");
    for (const auto& s : snaps->GetArray()) {
      if (!s.IsObject()) throw bad("a volume snapshot is not an object");
      VolumeSnapshotRecord v;
      v.pvc = get_str(s, "pvc", true);
      v.name = get_str(s, "name", true);
      v.namespace_name = get_str(s, "namespace", true);
      if (!ValidKubeName(v.name)) throw bad("invalid volume snapshot name " + Quote(v.name));
      if (!ValidKubeName(v.pvc)) throw bad("volume snapshot " + v.name + " has an invalid pvc name");
      if (!ValidKubeName(v.namespace_name)) throw bad("volume snapshot " + v.name + " has an invalid namespace");
      v.class_name = get_str(s, "class", false);
      v.restore_size = get_str(s, "restore_size", false);
      v.content_name = get_str(s, "content", false);
      v.creation_time = get_str(s, "creation_time", false);
      const rapidjson::Value* ready = Member(s, "ready_to_use");
      if (ready && !ready->IsBool()) throw bad("volume snapshot " + v.name + ": \"ready_to_use\" is not a boolean");
      v.ready_to_use = ready && ready->GetBool();
      if (const rapidjson::Value* spec = Member(s, "pvc_spec")) {
        if (!spec->IsObject()) throw bad("volume snapshot " + v.name + ": \"pvc_spec\" is not an object");
        v.pvc_storage_class = get_str(*spec, "storage_class", false);
        v.pvc_size = get_str(*spec, "size", false);
        v.pvc_volume_mode = get_str(*spec, "volume_mode", false);
        if (const rapidjson::Value* modes = Member(*spec, "access_modes")) {
          if (!modes->IsArray()) throw bad("volume snapshot " + v.name + ": \"access_modes\" is not an array");
          for (const auto& mode : modes->GetArray()) {
            if (!mode.IsString()) throw bad("volume snapshot " + v.name + ": an access mode is not a string");
            v.pvc_access_modes.emplace_back(mode.GetString(), mode.GetStringLength());
          }
        }
      }
      m.volume_snapshots.push_back(std::move(v));
    }
  }
  return m;
}

}  // namespace capstan::backup
