#include "backup/rollback_point.h"

#include <limits>

#include "util/error.h"

namespace capstan::backup {

int64_t ParseRevision(const std::string& s) {
  if (s.empty() || s.size() > 12) return 0;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + (c - '0');
  }
  return v;
}

namespace {

std::string Describe(const Manifest& m) {
  std::string s = m.id + " (revision " + (m.revision.empty() ? "?" : m.revision);
  if (ParseRevision(m.previous_revision) > 0) s += ", after " + m.previous_revision;
  return s + ")";
}

}  // namespace

PointInfo SelectForRollback(const std::vector<PointInfo>& points, const std::string& release, int64_t target) {
  if (target <= 0) throw UsageError("invalid rollback revision " + std::to_string(target) + ": Helm revisions start at 1");
  const PointInfo* best = nullptr;
  int64_t best_rev = std::numeric_limits<int64_t>::max();
  std::string known;
  // points: complete ones newest first; among points of the same revision the oldest (the first taken) wins.
  for (const auto& p : points) {
    if (!p.complete || !p.manifest || p.manifest->release != release) continue;
    known += (known.empty() ? "" : ", ") + Describe(*p.manifest);
    int64_t rev = ParseRevision(p.manifest->revision);
    if (rev > target && rev <= best_rev) {
      best = &p;
      best_rev = rev;
    }
  }
  const std::string what = "no restore point for a rollback of release " + release + " to revision " +
                           std::to_string(target) + ": ";
  const std::string what_to_do = "; pick one by hand (capstan backup list, then capstan restore --id ID) or restore "
                           "nothing (helm rollback --no-hooks)";
  const std::string list = known.empty() ? "the release has no restore points" : "restore points: " + known;
  if (!best)
    throw Error(what + "none was taken by an upgrade away from revision " + std::to_string(target) + " (" + list + ")" +
                what_to_do);
  if (best_rev == target + 1) return *best;
  int64_t prev = ParseRevision(best->manifest->previous_revision);
  if (prev > 0 && prev <= target) return *best;
  throw Error(what + "the first restore point after it, " + Describe(*best->manifest) + ", was not taken right after " +
              std::to_string(target) + " and its record does not show that no restore point was taken in between " +
              "(revisions " + std::to_string(target + 1) + ".." + std::to_string(best_rev - 1) +
              " may have changed the data; " + list + ")" + what_to_do);
}

}  // namespace capstan::backup
