// tcp://HOST:PORT holds when a TCP connection to HOST:PORT succeeds (every resolved address is tried). The grammar;
// the probe is lib/probe/tcp_probe.cc.
#include "util/strings.h"
#include "wait/kinds.h"

namespace capstan::wait {

TcpCondition::TcpCondition(HostPort hp) : Condition("tcp", "tcp://" + hp.Format()), hp_(std::move(hp)) {}

namespace detail {

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

}  // namespace detail
}  // namespace capstan::wait
