// The dns: probe: one lookup through the system resolver per attempt.
#include "probe/net.h"
#include "probe/probes.h"
#include "util/strings.h"
#include "wait/kinds.h"

namespace capstan::probe {
namespace {

class DnsProbe : public wait::Probe {
 public:
  explicit DnsProbe(const wait::DnsCondition& c) : name_(c.name()) {}
  wait::AttemptResult Check(const wait::AttemptContext& ctx) override {
    std::vector<std::string> addresses;
    std::string error;
    if (!Resolve(name_, 0, ctx, addresses, error)) return wait::AttemptResult::NotYet(error);
    return wait::AttemptResult::Held("resolved to " + Join(addresses, ", "));
  }

 private:
  std::string name_;
};

}  // namespace

wait::ProbeFactory DnsProbeFactory() {
  return [](const wait::Condition& c) -> std::unique_ptr<wait::Probe> {
    return std::make_unique<DnsProbe>(dynamic_cast<const wait::DnsCondition&>(c));
  };
}

}  // namespace capstan::probe
