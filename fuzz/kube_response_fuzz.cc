// Fuzzes the decoding of Kubernetes API answers: Status errors, rollout status of workloads and Jobs, pod
// diagnosis over lists, the release record ConfigMap, resource paths. None may crash, hang or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "kube/client.h"
#include "kube/pod_health.h"
#include "kube/resources.h"
#include "kube/rollout.h"
#include "release/record.h"
#include "upgrade/check.h"
#include "upgrade/semver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capstan;
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)kube::ParseStatus(text);
  (void)kube::ParseResourcePath(text);
  (void)upgrade::ImageTag(text);
  if (auto v = upgrade::ParseSemVer(text)) (void)upgrade::Compare(*v, *v);
  kube::JsonDoc d;
  d.Parse(text.c_str(), text.size());
  if (d.HasParseError()) return 0;
  (void)kube::WorkloadRollout(d);
  (void)kube::DeploymentRollout(d);
  (void)kube::StatefulSetRollout(d);
  (void)kube::DaemonSetRollout(d);
  (void)kube::JobCompletion(d);
  (void)kube::UnhealthyPods(d);
  (void)kube::DiagnosePod(d);
  try {
    auto r = release::ParseRecord(d, "fuzz");
    (void)release::DeployedEntry(r);
    release::UpsertEntry(r, 1, {{"outcome", "verified"}}, 3);
    (void)release::RecordToConfigMap(r, "ns");
  } catch (const Error&) {
  }
  return 0;
}
