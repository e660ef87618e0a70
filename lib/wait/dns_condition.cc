// dns:NAME holds when NAME resolves to at least one address (through the system resolver: /etc/hosts, then the
// servers in /etc/resolv.conf). Note that a Service name resolves as soon as the Service exists, before anything
// listens behind it: prefer tcp:, http(s): or postgres: to wait for readiness. The grammar; the probe is
// lib/probe/dns_probe.cc.
#include "util/strings.h"
#include "wait/kinds.h"

namespace capstan::wait {

DnsCondition::DnsCondition(std::string name) : Condition("dns", "dns:" + name), name_(std::move(name)) {}

namespace detail {

ConditionFactory DnsFactory() {
  return [](OptionReader& reader) -> std::unique_ptr<Condition> {
    std::string_view body = reader.spec().body;
    size_t skip = StartsWith(body, "//") ? 2 : 0;
    std::string name(body.substr(skip));
    if (name.empty() || name == ".") reader.FailTarget("missing name: write dns:NAME (e.g. dns:db.default.svc)", skip);
    if (name.find(':') != std::string::npos && !ValidHostName(name))
      reader.FailTarget("dns: takes a name without a port (use tcp://HOST:PORT to wait for a port)", skip);
    // Checked with its trailing dot, so that "db.." (an empty label) is refused rather than read as "db.".
    if (!ValidHostName(name))
      reader.FailTarget("invalid DNS name " + Quote(name) + " (letters, digits, '-', '.', at most 253 bytes)", skip);
    if (name.back() == '.') name.pop_back();  // a fully qualified "db.example." is fine
    return std::make_unique<DnsCondition>(std::move(name));
  };
}

}  // namespace detail
}  // namespace capstan::wait
