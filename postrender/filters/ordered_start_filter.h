// Ordered start for StatefulSets, opt-in with capstan.dev/ordered-start: "true" (on the StatefulSet or its pod
// template), without Kubernetes API access (docs/wait.md, "Ordered start"): pod 0 writes a marker carrying the
// current config digest on a volume all pods share once it has initialised; pods 1..n wait for that marker.
// Injected into the pod template:
//   - an init container `capstan wait --ordered-start`: pods > 0 wait until <volume>/.capstan/<set>.ready holds the
//     current digest (pod 0 goes on at once);
//   - a container `capstan mark-ready --keep-running`: on pod 0 it waits for the conditions of
//     capstan.dev/ordered-start-ready (e.g. its own health page), then writes the marker; elsewhere it idles. Its
//     exec readinessProbe `/capstan mark-ready --probe` keeps pod 0 not Ready until the marker holds its digest;
//   - the pod name and the marker digest reach both through the downward API: metadata.name, and the pod template's
//     capstan.dev/ordered-start-digest annotation, which this filter writes: a digest over the pod template as
//     rendered (manifest/template_digest.h, minus what Capstan writes into it), so it is never empty and changes
//     with every change of the template. When the pods consume ConfigMaps or Secrets, the marker digest is
//     "<template digest>+<config digest>" (the checksum filter's capstan.dev/config-digest annotation, joined by
//     Kubernetes' $(VAR) expansion of the container's env), so a configuration change also makes pods > 0 wait.
// The shared volume is named by capstan.dev/ordered-start-volume (its mountPath is taken from the pod's containers).
// A StatefulSet rolling update replaces the highest ordinal first, so pods > 0 would wait for a pod 0 that is
// replaced last: the filter sets updateStrategy OnDelete when the chart sets none, and reports an error when the
// chart asks for RollingUpdate. Every configuration that cannot work is a finding (ordered_start_checks.h); in check
// mode (check_only) the filter reports those findings and changes nothing.
#pragma once
#include <string>

#include "postrender/filter.h"

namespace capstan::postrender {

class OptionTable;
struct Config;

struct OrderedStartOptions {
  bool enabled = false;
  std::string image;  // the wait filter's --wait-image; "" : capstan.dev/wait-image, else DefaultHookImage()
  std::string timeout = "30m";
  std::string digest_annotation = "capstan.dev/config-digest";  // the checksum filter's
  bool config_digest = true;  // the checksum filter is on (it writes digest_annotation)
  std::string checksum_opt_annotation = "capstan.dev/checksum";  // the checksum filter's per-workload switch
  bool checksum_opt_in = false;                                  // the checksum filter's --opt-in
  bool check_only = false;    // check mode: findings only, no edits
};

// The pod template annotation the ordered-start filter writes and the injected containers read.
inline constexpr const char* kOrderedStartDigestAnnotation = "capstan.dev/ordered-start-digest";

class OrderedStartFilter : public Filter {
 public:
  explicit OrderedStartFilter(OrderedStartOptions options) : options_(std::move(options)) {}
  // Declares this filter's options (flag, CAPSTAN_* variable, configuration key): docs/postrender.md.
  static void DeclareOptions(OptionTable& table, Config& config);
  const char* name() const override { return "ordered-start"; }
  bool Wants(const DocInfo& info) const override;
  void Apply(const DocInfo& info, const yaml::Node& root, yaml::Editor& editor, Report& report) override;

 private:
  OrderedStartOptions options_;
};

}  // namespace capstan::postrender
