#include "release/record.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <random>
#include <thread>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "log/log.h"
#include "util/strings.h"
#include "util/suggest.h"

namespace capstan::release {

using kube::GetString;
using kube::Json;
using kube::JsonDoc;

const std::vector<std::string>& RecordKeys() {
  static const std::vector<std::string> keys = {"chart",         "chartVersion",  "appVersion", "configDigest",
                                                "restorePoint",  "schemaVersion", "outcome",    "time",
                                                "message"};
  return keys;
}

void CheckRecordKey(const std::string& key) {
  const auto& keys = RecordKeys();
  if (std::find(keys.begin(), keys.end(), key) != keys.end()) return;
  std::string best = SuggestClosest(key, keys);
  throw UsageError("unknown release record field " + Quote(key) +
                   (best.empty() ? "" : " (did you mean " + Quote(best) + "?)") + "; fields: " + Join(keys, ", "));
}

void CheckOutcome(const std::string& outcome) {
  if (outcome != "pending" && outcome != "verified" && outcome != "failed")
    throw UsageError("outcome " + Quote(outcome) + " is not one of pending, verified, failed");
}

std::string RecordName(const std::string& release) { return "capstan-release-" + release; }

ReleaseRecord ParseRecord(const Json& cm, const std::string& where) {
  ReleaseRecord r;
  r.release = GetString(cm, {"data", "release"});
  r.resource_version = GetString(cm, {"metadata", "resourceVersion"});
  std::string history = GetString(cm, {"data", "history"});
  if (history.empty()) return r;
  JsonDoc d;
  d.Parse(history.c_str(), history.size());
  if (d.HasParseError() || !d.IsArray())
    throw Error(where + ": data.history is not a JSON array (edited by hand?); fix or delete the ConfigMap");
  for (const auto& e : d.GetArray()) {
    if (!e.IsObject()) throw Error(where + ": data.history holds a non-object entry");
    RecordEntry entry;
    for (const auto& m : e.GetObject()) {
      std::string key(m.name.GetString(), m.name.GetStringLength());
      if (key == "revision") {
        if (!m.value.IsInt64()) throw Error(where + ": an entry's revision is not an integer");
        entry.revision = m.value.GetInt64();
      } else if (m.value.IsString()) {
        entry.fields[key] = std::string(m.value.GetString(), m.value.GetStringLength());
      }
    }
    r.history.push_back(std::move(entry));
  }
  std::sort(r.history.begin(), r.history.end(),
            [](const RecordEntry& a, const RecordEntry& b) { return a.revision < b.revision; });
  return r;
}

JsonDoc RecordToConfigMap(const ReleaseRecord& r, const std::string& ns) {
  JsonDoc hist(rapidjson::kArrayType);
  auto& ha = hist.GetAllocator();
  for (const auto& e : r.history) {
    rapidjson::Value o(rapidjson::kObjectType);
    o.AddMember("revision", rapidjson::Value(e.revision), ha);
    for (const auto& [k, v] : e.fields) kube::SetString(o, k, v, ha);
    hist.PushBack(o, ha);
  }
  rapidjson::StringBuffer sb;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(sb);
  w.SetIndent(' ', 1);
  hist.Accept(w);

  JsonDoc cm(rapidjson::kObjectType);
  auto& a = cm.GetAllocator();
  kube::SetString(cm, "apiVersion", "v1", a);
  kube::SetString(cm, "kind", "ConfigMap", a);
  rapidjson::Value meta(rapidjson::kObjectType);
  kube::SetString(meta, "name", RecordName(r.release), a);
  kube::SetString(meta, "namespace", ns, a);
  if (!r.resource_version.empty()) kube::SetString(meta, "resourceVersion", r.resource_version, a);
  rapidjson::Value labels(rapidjson::kObjectType);
  kube::SetString(labels, "app.kubernetes.io/managed-by", "capstan", a);
  kube::SetString(labels, "capstan.dev/release", r.release, a);
  meta.AddMember("labels", labels, a);
  cm.AddMember("metadata", meta, a);
  rapidjson::Value data(rapidjson::kObjectType);
  kube::SetString(data, "release", r.release, a);
  kube::SetString(data, "history", std::string_view(sb.GetString(), sb.GetSize()), a);
  cm.AddMember("data", data, a);
  return cm;
}

void UpsertEntry(ReleaseRecord& r, int64_t revision, const std::map<std::string, std::string>& fields,
                 size_t max_history) {
  auto it = std::find_if(r.history.begin(), r.history.end(), [&](const RecordEntry& e) { return e.revision == revision; });
  if (it == r.history.end()) {
    RecordEntry e;
    e.revision = revision;
    r.history.push_back(e);
    std::sort(r.history.begin(), r.history.end(),
              [](const RecordEntry& a, const RecordEntry& b) { return a.revision < b.revision; });
    it = std::find_if(r.history.begin(), r.history.end(), [&](const RecordEntry& e2) { return e2.revision == revision; });
  }
  for (const auto& [k, v] : fields) it->fields[k] = v;
  if (it->fields.find("time") == it->fields.end()) it->fields["time"] = NowRfc3339();
  if (it->fields.find("outcome") == it->fields.end()) it->fields["outcome"] = "pending";
  if (max_history == 0) max_history = 1;
  while (r.history.size() > max_history) r.history.erase(r.history.begin());
}

const RecordEntry* DeployedEntry(const ReleaseRecord& r) {
  for (auto it = r.history.rbegin(); it != r.history.rend(); ++it)
    if (it->Get("outcome") == "verified") return &*it;
  for (auto it = r.history.rbegin(); it != r.history.rend(); ++it)
    if (it->Get("outcome") != "failed") return &*it;
  return nullptr;
}

std::optional<ReleaseRecord> ReadRecord(kube::Client& client, const std::string& ns, const std::string& release) {
  const auto& kind = kube::LookupKind("ConfigMap");
  auto cm = client.GetIfExists(kind, ns, RecordName(release));
  if (!cm) return std::nullopt;
  ReleaseRecord r = ParseRecord(*cm, "ConfigMap " + ns + "/" + RecordName(release));
  r.release = release;
  return r;
}

UpdateResult UpdateRecord(kube::Client& client, const std::string& ns, const std::string& release,
                          const std::function<void(ReleaseRecord&)>& mutate, int max_attempts) {
  const auto& kind = kube::LookupKind("ConfigMap");
  std::mt19937 rng{std::random_device{}()};
  for (int attempt = 1; attempt <= max_attempts; ++attempt) {
    auto existing = ReadRecord(client, ns, release);
    ReleaseRecord r;
    if (existing) {
      r = std::move(*existing);
    } else {
      r.release = release;
    }
    mutate(r);
    JsonDoc body = RecordToConfigMap(r, ns);
    try {
      JsonDoc saved = existing ? client.Update(kind, ns, RecordName(release), body) : client.Create(kind, ns, body);
      UpdateResult out;
      out.record = ParseRecord(saved, "ConfigMap " + ns + "/" + RecordName(release));
      out.record.release = release;
      out.attempts = attempt;
      return out;
    } catch (const kube::ApiError& e) {
      if (e.status() != 409 || attempt == max_attempts) {
        if (e.status() == 409)
          throw Error("release record ConfigMap " + ns + "/" + RecordName(release) + ": still conflicting after " +
                      std::to_string(max_attempts) + " attempts (other writers keep changing it); retry the hook");
        throw;
      }
      log::Info("release record changed concurrently; re-reading and retrying",
                {{"configmap", RecordName(release)}, {"namespace", ns}, {"attempt", attempt},
                 {"reason", e.reason()}});
      std::uniform_int_distribution<int> jitter(10, 60 * attempt);
      std::this_thread::sleep_for(std::chrono::milliseconds(jitter(rng)));
    }
  }
  throw Error("release record: no attempts");  // max_attempts < 1
}

std::string NowRfc3339() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace capstan::release
