// Fuzzes the watch-event stream parser (kube/watch.h) fed in chunks cut where the input says, and what capstan roll
// reads from each event's object: pods (planner view, fatal problems, progress text) and StatefulSets. None may
// crash, hang or read out of bounds; bad input may only throw capstan::Error.
#include <cstddef>
#include <cstdint>
#include <string>

#include "kube/pod_health.h"
#include "kube/watch.h"
#include "roll/next_step.h"
#include "roll/progress.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace capstan;
  if (size == 0) return 0;
  // The first byte picks the chunk size, so lines are split at every kind of place.
  size_t chunk = static_cast<size_t>(data[0] % 64) + 1;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  kube::WatchStreamParser parser(1u << 16);
  try {
    for (size_t off = 0; off < text.size(); off += chunk)
      parser.Feed(text.substr(off, chunk), [](kube::WatchEvent& ev) {
        const kube::Json& obj = ev.object;
        (void)roll::ReadPod("web", obj);
        (void)kube::FatalPodProblem(obj, 3);
        (void)roll::PodStateText(obj);
        (void)kube::DiagnosePod(obj);
        try {
          roll::SetView s = roll::ReadSet(obj);
          roll::StepInput in;
          in.set = s;
          in.pods.push_back(roll::ReadPod(s.name, obj));
          (void)roll::NextStep(in);
        } catch (const Error&) {
        }
        return true;
      });
  } catch (const Error&) {
  }
  return 0;
}
