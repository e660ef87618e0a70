// The tcp: probe: one TCP connection per attempt (every resolved address is tried), closed at once.
#include "probe/net.h"
#include "probe/probes.h"
#include "wait/kinds.h"

namespace capstan::probe {
namespace {

class TcpProbe : public wait::Probe {
 public:
  explicit TcpProbe(const wait::TcpCondition& c) : hp_(c.address()) {}
  wait::AttemptResult Check(const wait::AttemptContext& ctx) override {
    std::string note;
    std::string err = TcpConnect(hp_.host, hp_.port, ctx, note);
    if (err.empty()) return wait::AttemptResult::Held(note);
    return wait::AttemptResult::NotYet(err);
  }

 private:
  wait::HostPort hp_;
};

}  // namespace

wait::ProbeFactory TcpProbeFactory() {
  return [](const wait::Condition& c) -> std::unique_ptr<wait::Probe> {
    return std::make_unique<TcpProbe>(dynamic_cast<const wait::TcpCondition&>(c));
  };
}

}  // namespace capstan::probe
