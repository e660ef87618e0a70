// tcp://HOST:PORT holds when a TCP connection to HOST:PORT succeeds (every resolved address is tried).
#include "util/strings.h"
#include "wait/kinds.h"

namespace capstan::wait::detail {
namespace {

class TcpCondition : public Condition {
 public:
  explicit TcpCondition(HostPort hp) : Condition("tcp", "tcp://" + hp.Format()), hp_(std::move(hp)) {}
  std::string host() const override { return hp_.host; }
  AttemptResult Check(const AttemptContext& ctx) override {
    std::string note;
    std::string err = TcpConnect(hp_.host, hp_.port, ctx, note);
    if (err.empty()) return AttemptResult::Held(note);
    return AttemptResult::NotYet(err);
  }

 private:
  HostPort hp_;
};

}  // namespace

ConditionFactory TcpFactory() {
  return [](OptionReader& reader) -> std::unique_ptr<Condition> {
    std::string_view body = reader.spec().body;
    size_t skip = StartsWith(body, "//") ? 2 : 0;
    HostPort hp;
    size_t used = ParseHostPort(body.substr(skip), skip, reader, true, hp);
    if (skip + used != body.size())
      reader.FailTarget("unexpected " + Quote(body.substr(skip + used)) + " after the port: write tcp://HOST:PORT",
                        skip + used);
    return std::make_unique<TcpCondition>(std::move(hp));
  };
}

}  // namespace capstan::wait::detail
