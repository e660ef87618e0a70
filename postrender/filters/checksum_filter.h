// Rolls pods exactly when their configuration changes: for every pod template, a digest over exactly the
// ConfigMap/Secret data it consumes (the referenced keys only), written as a pod template annotation (and
// optionally as an environment variable in each container). Without a key the digest is SHA-256 over per-key
// SHA-256s; with a key (--hmac-key-file / CAPSTAN_HMAC_KEY) it is HMAC-SHA-256, so a low-entropy secret cannot be
// brute-forced from the annotation. References to objects that are not in the release are reported (an error
// with strict mode).
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
  bool strict = false;                                      // references to absent objects fail the run
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
  std::map<Key, Seen> objects_;
  std::map<Key, int> duplicates_;
};

}  // namespace capstan::postrender
