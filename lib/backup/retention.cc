#include "backup/retention.h"

#include <algorithm>
#include <cctype>

#include "util/duration.h"
#include "util/error.h"
#include "util/strings.h"

namespace capstan::backup {

std::chrono::seconds ParseAge(std::string_view text) {
  std::string_view s = Trim(text);
  auto bad = [&] {
    return UsageError("invalid age " + Quote(text) + ": use a number with a unit, e.g. 7d, 2w, 36h, 1d12h, 90m");
  };
  if (s.empty()) throw bad();
  int64_t seconds = 0;
  // Leading day/week parts are ours; the rest (h, m, s, ms) goes to ParseDuration.
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == start || i >= s.size() || (s[i] != 'd' && s[i] != 'w')) {
      i = start;
      break;
    }
    if (i - start > 6) throw bad();
    int64_t n = std::stoll(std::string(s.substr(start, i - start)));
    seconds += n * (s[i] == 'd' ? 86400 : 7 * 86400);
    ++i;
  }
  if (i < s.size()) {
    auto rest = ParseDuration(s.substr(i));
    seconds += std::chrono::duration_cast<std::chrono::seconds>(rest).count();
  } else if (i == 0) {
    throw bad();
  }
  return std::chrono::seconds(seconds);
}

std::vector<std::string> SelectForPruning(std::vector<PointTime> points, const RetentionPolicy& policy, int64_t now_unix) {
  std::vector<std::string> out;
  if (!policy.Any() || points.empty()) return out;
  std::sort(points.begin(), points.end(), [](const PointTime& a, const PointTime& b) {
    return a.time_unix != b.time_unix ? a.time_unix > b.time_unix : a.id > b.id;
  });
  for (size_t i = 0; i < points.size(); ++i) {
    if (i == 0) continue;  // the newest complete restore point is always kept
    bool keep = false;
    if (policy.keep_last && i < *policy.keep_last) keep = true;
    if (policy.keep_within && points[i].time_unix >= now_unix - policy.keep_within->count()) keep = true;
    if (!keep) out.push_back(points[i].id);
  }
  return out;
}

}  // namespace capstan::backup
