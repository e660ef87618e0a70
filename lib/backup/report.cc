#include "backup/report.h"

#include <algorithm>

#include <unistd.h>

#include <cstdio>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "util/duration.h"
#include "util/error.h"
#include "util/strings.h"

namespace capstan::backup {

namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(JsonWriter& w, const char* k, const std::string& v) {
  w.Key(k);
  w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
}

// The manifest as an embedded object (same fields as manifest.json).
void ManifestObject(JsonWriter& w, const Manifest& m) {
  std::string json = ManifestToJson(m);
  rapidjson::Document d;
  d.Parse(json.c_str());
  d.Accept(w);
}

std::string Finish(rapidjson::StringBuffer& sb) { return std::string(sb.GetString(), sb.GetSize()) + "\n"; }

std::string ArtifactsText(const Manifest& m) {
  std::string out;
  if (!m.encryption_key_id.empty())
    out += "  encrypted: " + std::string(kEncryptionAlgorithm) + ", key id " + m.encryption_key_id + "\n";
  for (const auto& a : m.artifacts) {
    char line[512];
    std::snprintf(line, sizeof line, "  %-28s %-18s %10s  sha256 %s  %s\n", a.name.c_str(), a.kind.c_str(),
                  FormatSize(a.size).c_str(), a.sha256.substr(0, 16).c_str(), a.source.c_str());
    out += line;
  }
  return out;
}

// One line per volume snapshot: "  snapshot NAME of pvc PVC (10Gi, class C, ready)".
std::string SnapshotsText(const Manifest& m) {
  std::string out;
  for (const auto& v : m.volume_snapshots)
    out += "  volume snapshot " + v.namespace_name + "/" + v.name + " of pvc " + v.pvc + " (" +
           (v.restore_size.empty() ? "size unknown" : v.restore_size) + ", class " +
           (v.class_name.empty() ? "default" : v.class_name) + (v.ready_to_use ? ", ready" : ", not ready") + ")\n";
  return out;
}

std::string CleanupText(const SnapshotCleanup* c) {
  if (!c) return "";
  std::string s;
  if (!c->deleted.empty()) s += "deleted volume snapshots: " + Join(c->deleted, ", ") + "\n";
  if (!c->left.empty()) s += "volume snapshots left in the cluster (" + c->why_left + "): " + Join(c->left, ", ") + "\n";
  return s;
}

void CleanupJson(JsonWriter& w, const SnapshotCleanup* c) {
  if (!c) return;
  w.Key("snapshots_deleted");
  w.StartArray();
  for (const auto& n : c->deleted) w.String(n.c_str(), static_cast<rapidjson::SizeType>(n.size()));
  w.EndArray();
  if (!c->left.empty()) {
    w.Key("snapshots_left");
    w.StartArray();
    for (const auto& n : c->left) w.String(n.c_str(), static_cast<rapidjson::SizeType>(n.size()));
    w.EndArray();
    Str(w, "snapshots_left_because", c->why_left);
  }
}

}  // namespace

Output ResolveOutput(const std::string& flag) {
  if (flag.empty()) return ::isatty(1) ? Output::kText : Output::kJson;
  if (flag == "text") return Output::kText;
  if (flag == "json") return Output::kJson;
  throw UsageError("invalid --output " + Quote(flag) + ": use text or json");
}

std::string RenderBackup(const BackupResult& r, Output out, const SnapshotCleanup* snapshots) {
  if (out == Output::kText) {
    std::string s = "restore point " + r.manifest.id + " complete and verified (" + r.path + ", " +
                    std::to_string(static_cast<int>(r.manifest.seconds * 10) / 10.0).substr(0, 6) + "s)\n" +
                    ArtifactsText(r.manifest) + SnapshotsText(r.manifest);
    if (!r.pruned.empty()) s += "pruned: " + Join(r.pruned, ", ") + "\n";
    return s + CleanupText(snapshots);
  }
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  Str(w, "result", "complete");
  Str(w, "path", r.path);
  w.Key("manifest");
  ManifestObject(w, r.manifest);
  w.Key("pruned");
  w.StartArray();
  for (const auto& p : r.pruned) w.String(p.c_str());
  w.EndArray();
  CleanupJson(w, snapshots);
  w.EndObject();
  return Finish(sb);
}

std::string RenderList(const std::vector<PointInfo>& points, Output out) {
  if (out == Output::kText) {
    if (points.empty()) return "no restore points\n";
    std::string s;
    char line[1024];
    std::snprintf(line, sizeof line, "%-24s %-10s %-20s %-20s %-12s %-10s %s\n", "ID", "STATE", "TIME", "RELEASE",
                  "REVISION", "SIZE", "CHART/APP");
    s += line;
    for (const auto& p : points) {
      uint64_t size = 0;
      std::string time, release, chart, revision;
      if (p.manifest) {
        for (const auto& a : p.manifest->artifacts) size += a.size;
        time = p.manifest->time;
        release = p.manifest->release;
        chart = p.manifest->chart_version + "/" + p.manifest->app_version;
        // "3 (after 2)": taken by the upgrade to 3; the release's previous restore point was 2's (rollback_point.h)
        revision = p.manifest->revision.empty() ? "-" : p.manifest->revision;
        if (!p.manifest->previous_revision.empty() && p.manifest->previous_revision != "0")
          revision += " (after " + p.manifest->previous_revision + ")";
      }
      bool encrypted = p.manifest && !p.manifest->encryption_key_id.empty();
      std::snprintf(line, sizeof line, "%-24s %-10s %-20s %-20s %-12s %-10s %s\n", p.id.c_str(),
                    p.complete ? (encrypted ? "complete*" : "complete") : "incomplete", time.c_str(), release.c_str(), revision.c_str(),
                    p.manifest ? FormatSize(size).c_str() : "-", p.complete ? chart.c_str() : p.problem.c_str());
      s += line;
      if (p.manifest) s += SnapshotsText(*p.manifest);
    }
    if (std::any_of(points.begin(), points.end(),
                    [](const PointInfo& p) { return p.manifest && !p.manifest->encryption_key_id.empty(); }))
      s += "* encrypted (AES-256-GCM): verify and restore need --encryption-key-file with its key\n";
    return s;
  }
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  w.Key("restore_points");
  w.StartArray();
  for (const auto& p : points) {
    w.StartObject();
    Str(w, "id", p.id);
    Str(w, "path", p.path);
    Str(w, "state", p.complete ? "complete" : "incomplete");
    if (!p.problem.empty()) Str(w, "problem", p.problem);
    if (p.manifest) {
      w.Key("manifest");
      ManifestObject(w, *p.manifest);
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return Finish(sb);
}

std::string RenderVerify(const VerifyResult& r, Output out) {
  if (out == Output::kText)
    return "restore point " + r.manifest.id + " verified: " + std::to_string(r.manifest.artifacts.size()) +
           " artifacts, " + FormatSize(r.bytes) + " re-read, checksums match\n" + ArtifactsText(r.manifest) +
           (r.manifest.volume_snapshots.empty() ? ""
                                                : "volume snapshots (recorded; they live in the cluster):\n" +
                                                      SnapshotsText(r.manifest));
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  Str(w, "result", "verified");
  Str(w, "id", r.manifest.id);
  w.Key("bytes");
  w.Uint64(r.bytes);
  w.Key("manifest");
  ManifestObject(w, r.manifest);
  w.EndObject();
  return Finish(sb);
}

std::string RenderPrune(const std::vector<std::string>& deleted, Output out, const SnapshotCleanup* snapshots) {
  if (out == Output::kText)
    return (deleted.empty() ? "nothing to prune\n" : "pruned: " + Join(deleted, ", ") + "\n") + CleanupText(snapshots);
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  w.Key("pruned");
  w.StartArray();
  for (const auto& p : deleted) w.String(p.c_str());
  w.EndArray();
  CleanupJson(w, snapshots);
  w.EndObject();
  return Finish(sb);
}

std::string RenderRestore(const RestoreResult& r, Output out, const std::vector<ClaimFromSnapshot>* claims) {
  if (out == Output::kText) {
    std::string s = std::string(r.dry_run ? "would restore" : "restored") + " restore point " + r.manifest.id + " (" +
                    r.manifest.time + ", release " + (r.manifest.release.empty() ? "-" : r.manifest.release) + "):\n";
    for (const auto& st : r.steps)
      s += "  " + st.kind + " " + st.target + " from " + st.artifact + " (" + FormatSize(st.size) + ")" +
           (r.dry_run ? (st.kind == "database" ? ": its objects would be replaced" : ": its contents would be replaced")
                      : "") + "\n";
    for (const auto& st : r.steps)
      for (const auto& wline : st.warnings) s += "  warning: " + st.target + "/" + wline + "\n";
    if (claims)
      for (const auto& c : *claims)
        s += std::string("  ") + (c.created ? "created" : "would create") + " PVC " + c.ns + "/" + c.name + " (" +
             c.size + (c.storage_class.empty() ? "" : ", class " + c.storage_class) + ") from volume snapshot " +
             c.snapshot + " of " + c.pvc + "\n";
    if (!r.manifest.volume_snapshots.empty() && (!claims || claims->empty()))
      s += "  volume snapshots not restored (pass --restore-snapshots-as SUFFIX to create claims from them):\n" +
           SnapshotsText(r.manifest);
    return s;
  }
  rapidjson::StringBuffer sb;
  JsonWriter w(sb);
  w.StartObject();
  Str(w, "result", r.dry_run ? "dry-run" : "restored");
  Str(w, "id", r.manifest.id);
  w.Key("steps");
  w.StartArray();
  for (const auto& st : r.steps) {
    w.StartObject();
    Str(w, "kind", st.kind);
    Str(w, "source", st.source);
    Str(w, "target", st.target);
    Str(w, "artifact", st.artifact);
    w.Key("size");
    w.Uint64(st.size);
    if (!st.warnings.empty()) {
      w.Key("warnings");
      w.StartArray();
      for (const auto& wline : st.warnings) w.String(wline.c_str(), static_cast<rapidjson::SizeType>(wline.size()));
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  if (claims) {
    w.Key("claims");
    w.StartArray();
    for (const auto& c : *claims) {
      w.StartObject();
      Str(w, "namespace", c.ns);
      Str(w, "name", c.name);
      Str(w, "snapshot", c.snapshot);
      Str(w, "pvc", c.pvc);
      Str(w, "size", c.size);
      Str(w, "storage_class", c.storage_class);
      w.Key("created");
      w.Bool(c.created);
      w.EndObject();
    }
    w.EndArray();
  }
  w.Key("manifest");
  ManifestObject(w, r.manifest);
  w.EndObject();
  return Finish(sb);
}

}  // namespace capstan::backup
