// What a post-renderer run did and found: per workload, the configuration it consumes and its digest (and whether
// that changed since a previous report); every change a filter made; every warning or risk finding. Written as
// JSON with --report, summarised for humans on stderr. With --report it also holds each workload's pod template
// fingerprint (lib/plan/fingerprint.h), and with --previous-report the plan: which workloads roll and why.
// Thread-safe: filters add to it from worker threads. It never holds a secret value.
#pragma once
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "findings/finding.h"
#include "plan/fingerprint.h"
#include "plan/plan.h"

namespace capstan::postrender {

struct ConsumedConfig {
  std::string kind, name;
  bool all_keys = false;
  std::vector<std::string> keys;  // when !all_keys
  bool present = true;            // the object is in the rendered release
  bool optional = false;
  std::vector<std::string> via;
  std::string digest;             // digest of just this object's consumed data
};

struct WorkloadEntry {
  size_t document = 0;
  std::string kind, name, namespace_, source;
  bool hook = false;
  std::string digest;           // empty: not annotated
  std::string skipped;          // why no digest was written (opted out, consumes nothing, ...)
  std::string previous_digest;  // from --previous-report
  std::vector<ConsumedConfig> consumes;
  std::vector<std::string> changed;  // "ConfigMap/app" whose digest differs from the previous report
  // What says which version is deployed (read by `capstan check-upgrade --deployed REPORT`): the workload's own
  // labels and its pod template's containers (name, image). Written to the JSON only when set.
  std::map<std::string, std::string> labels;
  std::vector<std::pair<std::string, std::string>> containers;
};

// One finding of a run: the shared findings model (severity, rule id such as "missing-reference", message, and
// as file the document's '# Source:'), plus the document and object it is about.
struct Finding : findings::Finding {
  Finding() = default;
  Finding(findings::Severity severity_, std::string rule_, std::string message_, size_t document_,
          std::string object_, std::string source)
      : document(document_), object(std::move(object_)) {
    severity = severity_;
    rule = std::move(rule_);
    message = std::move(message_);
    file = std::move(source);
  }
  size_t document = 0;
  std::string object;  // "Deployment/web"
};

struct Change {
  std::string filter;  // "checksum", "wait", ...
  size_t document = 0;
  std::string object;
  std::string description;
};

class Report {
 public:
  void SetRun(std::string release, std::string namespace_, std::string input_format, size_t documents);
  void AddWorkload(WorkloadEntry w);
  void AddFinding(Finding f);
  void AddChange(Change c);
  // Loads a previous report's digests (from --previous-report) to say what changed.
  void LoadPrevious(const std::string& json_text);
  std::string PreviousDigest(const std::string& ns, const std::string& kind, const std::string& name) const;
  std::string PreviousSourceDigest(const std::string& ns, const std::string& kind, const std::string& name,
                                   const std::string& source_ref) const;

  // The fingerprints of the release's workloads (written into their entries) and the plan against the previous
  // report (written as "plan", summarised one line per rolling workload).
  void SetFingerprints(std::vector<plan::Fingerprint> fingerprints);
  void SetPlan(plan::Plan plan);

  std::string ToJson() const;
  std::string Summary() const;  // human text for stderr
  std::vector<Finding> Findings() const;
  std::vector<WorkloadEntry> Workloads() const;
  size_t CountFindings(findings::Severity severity) const;

 private:
  mutable std::mutex mu_;
  std::string release_, namespace_, input_format_;
  size_t documents_ = 0;
  std::vector<WorkloadEntry> workloads_;
  std::vector<Finding> findings_;
  std::vector<Change> changes_;
  std::vector<plan::Fingerprint> fingerprints_;
  std::optional<plan::Plan> plan_;
  std::map<std::string, std::string> previous_;  // "ns/Kind/name" -> digest; "ns/Kind/name|Kind/name" -> source
};

}  // namespace capstan::postrender
