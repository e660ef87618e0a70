// The plan of an upgrade: for every workload of the old and the new release (each given as fingerprints, from a
// rendered stream or a capstan-postrender report), whether its pods roll and why: which ConfigMap/Secret keys
// changed, which images, which other pod template fields (by path); plus workloads added and removed, and how the
// workload's kind takes a change (a Job runs again, an OnDelete StatefulSet waits for `capstan roll`).
#pragma once
#include <string>
#include <vector>

#include "plan/fingerprint.h"

namespace capstan::plan {

enum class Status { kRolls, kAdded, kRemoved, kUnchanged };
const char* StatusName(Status s);  // "rolls", "added", "removed", "unchanged"

struct Reason {
  enum class Type { kConfig, kImage, kTemplate };
  Type type = Type::kTemplate;
  // kConfig: the object ("ConfigMap/portal-config") and what happened to it: "changed" (keys below), "added" (now
  // consumed), "removed" (no longer consumed), "created" (now in the release), "deleted" (no longer in it).
  std::string object, change;
  std::vector<std::string> keys, keys_added, keys_removed;
  // kImage: the container path ("spec.containers[app]") and its images.
  std::string container, old_image, new_image;
  // kTemplate: the changed field paths (an added or removed list item as its own path, "... (added)"), at most
  // kMaxPaths; more counts the rest.
  std::vector<std::string> paths;
  size_t more = 0;
};
const char* ReasonTypeName(Reason::Type t);  // "config", "image", "template"

inline constexpr size_t kMaxPaths = 20;

struct Entry {
  std::string kind, namespace_, name;
  Status status = Status::kUnchanged;
  Rollout rollout = Rollout::kRollingUpdate;
  std::vector<Reason> reasons;
  std::string Ref() const { return kind + "/" + name; }
};

struct Plan {
  std::vector<Entry> entries;  // the new release's workloads in its order, then the removed ones
  bool first_deploy = false;   // there was no old release (no previous report): every workload is added
  size_t Count(Status s) const;
  size_t Workloads() const { return entries.size() - Count(Status::kRemoved); }  // in the new release
  bool Changes() const { return Count(Status::kRolls) + Count(Status::kAdded) + Count(Status::kRemoved) > 0; }
};

// Compares the workloads of two releases, matched by namespace, kind and name (a workload whose namespace is
// unknown on one side matches the one of that kind and name on the other). Throws UsageError when the two sides'
// digests cannot be compared (one made with an HMAC key, the other without).
Plan Compare(const std::vector<Fingerprint>& old_release, const std::vector<Fingerprint>& new_release);
// The plan of a first deploy: every workload added.
Plan FirstDeploy(const std::vector<Fingerprint>& new_release);

// How the workload takes its change, for people: "rolls", "runs again", "does not roll by itself (updateStrategy
// OnDelete): run `capstan roll`", ...
std::string Effect(const Entry& e);
// Why it rolls, in one line: "image spec.containers[app]: a:1 -> a:2; ConfigMap/portal-config key x; ...".
std::string Why(const Entry& e);

}  // namespace capstan::plan
