// The pod template fingerprint of a workload, which capstan-postrender stores in its --report so that two reports can
// be compared (capstan plan, --previous-report) without holding any value that may be sensitive: per leaf field of
// the pod template (the canonical form of lib/manifest/template_digest.h, minus what Capstan writes) a short digest of
// its value, the images in clear, and per consumed ConfigMap/Secret a short digest of each key's data. Lists of
// named items (containers, volumes, env, ...) are addressed by name, so a reorder or an insertion names the right
// path: spec.containers[app].env[JAVA_OPTS].value. Digests are SHA-256, or HMAC-SHA-256 with the post-renderer's
// --hmac-key-file (as the config digest), truncated to 16 hex digits: they identify a change, never a value.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "manifest/object.h"
#include "manifest/pod_template.h"
#include "manifest/template_digest.h"
#include "yaml/tree.h"

namespace capstan::plan {

// How a workload's pods take a change of their template.
enum class Rollout {
  kRollingUpdate,  // Deployment, StatefulSet, DaemonSet (and other kinds with a template): the controller rolls
  kRecreate,       // Deployment with strategy Recreate: every old pod stops before the new ones start
  kOnDelete,       // StatefulSet/DaemonSet with updateStrategy OnDelete: only a deleted pod gets the change
  kRunsAgain,      // Job, CronJob: a new run uses the change
  kNoRollout,      // a bare ReplicaSet or Pod: nothing replaces the running pods
};
const char* RolloutName(Rollout r);  // "rolling-update", "recreate", "on-delete", "runs-again", "none"
bool ParseRollout(std::string_view name, Rollout* r);

struct ConfigFingerprint {
  std::string kind, name;  // "ConfigMap", "portal-config"
  bool present = true;     // the object is in the release
  bool all_keys = false;   // the workload consumes every key (envFrom, a volume without items)
  std::map<std::string, std::string> keys;  // consumed key -> short digest of its data ("absent" when missing)
  std::string Ref() const { return kind + "/" + name; }
};

struct Fingerprint {
  std::string kind, namespace_, name;
  std::string source;                          // '# Source:' of the document, for messages
  std::string algorithm = "sha256";            // of the short digests: "sha256" or "hmac-sha256"
  std::string key_id;                          // hmac-sha256: KeyId() of the key, so two keys are never compared
  Rollout rollout = Rollout::kRollingUpdate;
  bool config_rolls = true;                    // false: opted out of the config digest (a config change rolls nothing)
  std::map<std::string, std::string> images;   // "spec.containers[app].image" -> image, in clear
  std::map<std::string, std::string> fields;   // every other leaf path -> short digest of its canonical value
  std::vector<ConfigFingerprint> config;       // sorted by kind, name
  std::string Ref() const { return kind + "/" + name; }
};

struct FingerprintOptions {
  std::string hmac_key;                                 // secret; never logged or written
  std::string release_namespace;                        // of objects without metadata.namespace ("" unknown)
  manifest::TemplateDigestExclusions exclusions = manifest::CapstanWrites();
  std::vector<std::string> ignored_env;                 // env vars Capstan writes (--digest-env)
  bool checksum = true;                                 // the config digest is on
  bool opt_in = false;                                  // only workloads annotated opt_annotation: "true" get one
  std::string opt_annotation = "capstan.dev/checksum";
  std::vector<manifest::WorkloadKind> extra_kinds;
};

// The short digest of a value: 16 hex digits of SHA-256, or of HMAC-SHA-256 with a key.
std::string ShortDigest(std::string_view value, const std::string& hmac_key);
// Names an HMAC key without revealing it (a short digest of a fixed text under the key).
std::string KeyId(const std::string& hmac_key);

// The leaf fields of a pod template ("spec.containers[app].env[JAVA_OPTS].value" -> canonical typed value, e.g.
// "str:-Xmx1g"), with the exclusions applied. Empty collections are leaves ("{}", "[]").
std::map<std::string, std::string> TemplateFields(const yaml::Node& pod_template,
                                                  const manifest::TemplateDigestExclusions& exclusions);

// Every workload of a rendered manifest stream (helm template output, post-rendered or not), with its consumed
// ConfigMaps and Secrets resolved in the stream. origin names the stream in errors ("new.yaml"). Throws Error
// (exit 1) naming the origin and document of a document that is not YAML.
std::vector<Fingerprint> FingerprintStream(std::string_view stream, const FingerprintOptions& options,
                                           const std::string& origin);

}  // namespace capstan::plan
