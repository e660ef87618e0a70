// Upgrade-safety settings, each opt-in, never overwriting what the chart already set:
//   - pdb: a PodDisruptionBudget (maxUnavailable 1, unhealthyPodEvictionPolicy AlwaysAllow) for every Deployment or
//     StatefulSet with 2 or more replicas that no PodDisruptionBudget of the release selects;
//   - preStop: a preStop sleep in every container that has none, and a terminationGracePeriodSeconds that covers
//     it when the pod sets none (a shorter one is reported, not changed);
//   - keep PVCs: helm.sh/resource-policy: keep on PersistentVolumeClaims, so helm uninstall never deletes data;
//   - rolling update: Deployments without a strategy get RollingUpdate with maxUnavailable 0 and maxSurge 1, so a
//     rollout never drops below the desired replicas.
// Hook workloads are left alone.
#pragma once
#include <mutex>
#include <string>
#include <vector>

#include "manifest/selector.h"
#include "postrender/filter.h"

namespace capstan::postrender {

class OptionTable;
struct Config;

struct SafetyOptions {
  bool pdb = false;
  int prestop_seconds = 0;  // 0: off
  bool keep_pvcs = false;
  bool rolling_update = false;
  bool any() const { return pdb || prestop_seconds > 0 || keep_pvcs || rolling_update; }
};

class SafetyFilter : public Filter {
 public:
  explicit SafetyFilter(SafetyOptions options) : options_(options) {}
  // Declares this filter's options (flag, CAPSTAN_* variable, configuration key): docs/postrender.md.
  static void DeclareOptions(OptionTable& table, Config& config);
  const char* name() const override { return "safety"; }
  bool Observes(const DocInfo& info) const override;
  void Observe(const DocInfo& info, const yaml::Node& root) override;
  bool Wants(const DocInfo& info) const override;
  void Apply(const DocInfo& info, const yaml::Node& root, yaml::Editor& editor, Report& report) override;
  std::vector<std::string> NewDocuments(Report& report) override;

 private:
  struct Budget {
    std::string namespace_;
    manifest::Selector selector;
  };
  struct NewPdb {
    size_t document;
    std::string text;
  };
  void AddPdb(const DocInfo& info, const yaml::Node& root, Report& report);
  SafetyOptions options_;
  std::mutex mu_;
  std::vector<Budget> budgets_;
  std::vector<NewPdb> new_pdbs_;
};

}  // namespace capstan::postrender
