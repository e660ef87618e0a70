// The release record: one ConfigMap per release (capstan-release-<release>) whose data.history holds a JSON array
// of entries, oldest first, one per Helm revision: chart and app version, config digest (post-renderer), restore
// point (backup hook), schema version (migrate hook), time and outcome. Written with optimistic concurrency: GET,
// modify, PUT with the resourceVersion read; a 409 Conflict re-reads and retries (bounded); CREATE when absent,
// with an AlreadyExists race handled the same way. The history is bounded (oldest entries dropped).
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kube/client.h"

namespace capstan::release {

// Fields an entry may carry (besides revision). `capstan record --set KEY=VALUE` accepts exactly these.
const std::vector<std::string>& RecordKeys();
// Throws UsageError with a did-you-mean suggestion for an unknown key.
void CheckRecordKey(const std::string& key);
// Outcomes: "pending" (recorded, not verified yet), "verified", "failed".
void CheckOutcome(const std::string& outcome);

struct RecordEntry {
  int64_t revision = 0;
  std::map<std::string, std::string> fields;
  std::string Get(const std::string& key) const {
    auto it = fields.find(key);
    return it == fields.end() ? "" : it->second;
  }
};

struct ReleaseRecord {
  std::string release;
  std::string resource_version;
  std::vector<RecordEntry> history;  // ascending revision
};

std::string RecordName(const std::string& release);
// Decodes the ConfigMap; throws Error naming the ConfigMap when data.history is not the expected JSON.
ReleaseRecord ParseRecord(const kube::Json& configmap, const std::string& where);
// Encodes the record as a ConfigMap body (with the resourceVersion when set).
kube::JsonDoc RecordToConfigMap(const ReleaseRecord& record, const std::string& ns);

// Adds or merges the entry for `revision` (fields given replace existing ones) and trims to max_history.
void UpsertEntry(ReleaseRecord& record, int64_t revision, const std::map<std::string, std::string>& fields,
                 size_t max_history);
// The entry of the version running now: the newest "verified" entry, else the newest not "failed".
const RecordEntry* DeployedEntry(const ReleaseRecord& record);

std::optional<ReleaseRecord> ReadRecord(kube::Client& client, const std::string& ns, const std::string& release);

struct UpdateResult {
  ReleaseRecord record;
  int attempts = 0;  // 1 when there was no conflict
};
// GET-modify-PUT with retries on 409 (max_attempts in total); CREATE when absent.
UpdateResult UpdateRecord(kube::Client& client, const std::string& ns, const std::string& release,
                          const std::function<void(ReleaseRecord&)>& mutate, int max_attempts = 8);

std::string NowRfc3339();

}  // namespace capstan::release
