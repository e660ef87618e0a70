#include "kube/rollout_wait.h"

#include <thread>

#include "log/log.h"
#include "util/strings.h"

namespace capstan::kube {

RolloutStatus WaitForRollout(Client& client, const Kind& kind, const std::string& ns, const std::string& name,
                             const PollOptions& options) {
  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  RolloutStatus last;
  std::string last_message;
  while (true) {
    auto obj = client.GetIfExists(kind, ns, name);
    if (!obj) {
      last = {RolloutState::kProgressing, kind.kind + " " + Quote(name) + " not found in namespace " + Quote(ns) + " yet"};
    } else {
      if (!obj->HasMember("kind")) obj->AddMember("kind", rapidjson::Value(kind.kind.c_str(), obj->GetAllocator()), obj->GetAllocator());
      last = WorkloadRollout(*obj);
    }
    if (last.state != RolloutState::kProgressing) return last;
    if (last.message != last_message) log::Info(last.message, {{"kind", kind.kind}, {"name", name}, {"namespace", ns}});
    last_message = last.message;
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return last;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(options.interval, deadline - now));
  }
}

}  // namespace capstan::kube
