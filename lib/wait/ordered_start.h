// Ordered start of a StatefulSet without Kubernetes API access (docs/wait.md, "Ordered start"):
// pod 0 writes a marker file on a volume all pods share, carrying the configuration digest it initialised for;
// pods with ordinal > 0 wait (a file: condition with content=DIGEST) until the marker carries the CURRENT digest,
// so a marker left by an earlier configuration never releases them. Pod 0 never waits for itself.
//
//   marker path:    <marker-dir>/<statefulset name>.ready      (one marker per StatefulSet on a shared volume)
//   marker content: "<digest>\n", written atomically (temporary file + rename)
#pragma once
#include <memory>
#include <string>

#include "wait/condition.h"

namespace capstan::wait {

struct PodIdentity {
  std::string set;  // the StatefulSet's name: "portal" for pod "portal-2"
  int ordinal = 0;  // 2 for "portal-2"
};

// Splits a StatefulSet pod name "<set>-<ordinal>". Throws UsageError when the name has no "-<number>" suffix.
PodIdentity ParsePodName(const std::string& pod_name);
// Throws UsageError unless digest is 1-256 characters from [A-Za-z0-9._:+/=-] (e.g. "sha256:3f2a...",
// "sha256:3f2a...+hmac-sha256:9c1e...").
void ValidateDigest(const std::string& digest);
// The digest the post-renderer's injected containers pass (docs/wait.md, "Ordered start, injected by the
// post-renderer"): the pod template's capstan.dev/ordered-start-digest, joined with "+" to the
// capstan.dev/config-digest when the pods consume ConfigMaps or Secrets (the config part may then be empty, when
// the checksum is off). What a rollout driver compares pod 0's marker with.
std::string MarkerDigest(const std::string& template_digest, const std::string& config_digest, bool consumes_config);
// <marker_dir>/<set>.ready
std::string MarkerPath(const std::string& marker_dir, const std::string& set);
// The condition pods > 0 wait for: file:<marker> (content=<digest>).
std::unique_ptr<Condition> MarkerCondition(const std::string& marker_dir, const std::string& set,
                                           const std::string& digest);
// Pod 0: creates marker_dir if needed and writes the marker atomically. Throws Error (exit 1) naming the path when
// the directory is not writable (the volume is missing or read-only).
void WriteMarker(const std::string& marker_dir, const std::string& set, const std::string& digest);
// Pod 0's readiness (`capstan mark-ready --probe`): "" when <marker_dir>/<set>.ready holds digest, else a one-line
// reason naming the marker (not written yet, a stale digest, unreadable). Reads at most 4 KiB of one file; writes
// nothing. Throws UsageError for a relative marker_dir or an invalid digest.
std::string MarkerMismatch(const std::string& marker_dir, const std::string& set, const std::string& digest);

}  // namespace capstan::wait
