// Retention of restore points: keep the last N complete ones and/or those younger than an age ("7d", "36h",
// "2w", "1d12h"); the newest complete restore point is never deleted.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capstan::backup {

// An age with days and weeks as well as what ParseDuration accepts: "7d", "2w", "1d12h", "90m". Throws UsageError.
std::chrono::seconds ParseAge(std::string_view text);

struct RetentionPolicy {
  std::optional<uint64_t> keep_last;
  std::optional<std::chrono::seconds> keep_within;
  bool Any() const { return keep_last.has_value() || keep_within.has_value(); }
};

struct PointTime {
  std::string id;
  int64_t time_unix = 0;
};

// Returns the ids to delete among complete restore points; with no policy, nothing.
std::vector<std::string> SelectForPruning(std::vector<PointTime> points, const RetentionPolicy& policy, int64_t now_unix);

}  // namespace capstan::backup
