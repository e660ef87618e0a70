// Rolls pods exactly when their configuration changes: for every pod template, a digest over exactly the
// ConfigMap/Secret data it consumes (the referenced keys only), written as a pod template annotation (and
// optionally as an environment variable in each container). Without a key the digest is SHA-256 over per-key
// SHA-256s; with a key (--hmac-key-file / CAPSTAN_HMAC_KEY) it is HMAC-SHA-256, so a low-entropy secret cannot be
// brute-forced from the annotation. References are resolved in the pod's namespace (postrender/namespaces.h: while
// the release namespace is unknown, an unqualified side matches the one object of that kind and name); references
// to objects that are not in the release, and references that stay ambiguous, are reported (errors with --strict).
#pragma once
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "manifest/config_data.h"
#include "manifest/pod_template.h"
#include "postrender/filter.h"

namespace capstan::postrender {

class OptionTable;
struct Config;

struct ChecksumOptions {
  bool enabled = true;
  std::string annotation = "capstan.dev/config-digest";
  std::string opt_out_annotation = "capstan.dev/checksum";  // "false" opts a workload out; "true" opts it in
  bool opt_in = false;                                      // only workloads annotated "true"
  std::string env_name;                                     // also set this env var in every container
  std::string hmac_key;                                     // secret; never logged
  bool strict = false;                                      // absent or ambiguous references fail the run
  std::string namespace_source;  // where the release namespace came from (PipelineOptions), for messages
  std::vector<manifest::WorkloadKind> extra_kinds;
};

class ChecksumFilter : public Filter {
 public:
  explicit ChecksumFilter(ChecksumOptions options) : options_(std::move(options)) {}
  // Declares this filter's options (flag, CAPSTAN_* variable, configuration key): docs/postrender.md.
  static void DeclareOptions(OptionTable& table, Config& config);
  const char* name() const override { return "checksum"; }
  bool Observes(const DocInfo& info) const override;
  void Observe(const DocInfo& info, const yaml::Node& root) override;
  void Prepare(Report& report) override;
  bool Wants(const DocInfo& info) const override;
  void Apply(const DocInfo& info, const yaml::Node& root, yaml::Editor& editor, Report& report) override;

  // The digest of a canonical description (exposed for tests): "sha256:<hex>" or "hmac-sha256:<hex>".
  std::string Digest(const std::string& canonical) const;

 private:
  using Key = std::tuple<std::string, manifest::ConfigKind, std::string>;  // namespace, kind, name
  struct Seen {
    manifest::ConfigData data;
    bool hook = false;
    size_t document = 0;
    std::string source;
  };
  ChecksumOptions options_;
  std::mutex mu_;
  // The objects a reference from a pod in namespace ns resolves to: the one in ns, else (while the release
  // namespace is unknown) every object of that kind and name whose namespace may be ns. More than one: ambiguous.
  std::vector<const std::pair<const Key, Seen>*> Resolve(const std::string& ns, manifest::ConfigKind kind,
                                                         const std::string& name) const;
  // Objects of that kind and name in namespaces other than ns (for the missing-reference message).
  std::vector<const std::pair<const Key, Seen>*> Elsewhere(const std::string& ns, manifest::ConfigKind kind,
                                                           const std::string& name) const;
  std::map<Key, Seen> objects_;
  std::map<Key, int> duplicates_;
  std::multimap<std::pair<manifest::ConfigKind, std::string>, const std::pair<const Key, Seen>*> by_name_;
};

}  // namespace capstan::postrender
