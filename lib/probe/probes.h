// The probes that check the network and file condition kinds of lib/wait (tcp:, dns:, http:, https:, file:,
// postgres:): what `capstan wait` does on every attempt. Only the `capstan` binary attaches them (hooks/probes.cc);
// the post-renderer parses and validates conditions without them. One file per kind: tcp_probe.cc, dns_probe.cc,
// http_probe.cc, file_probe.cc, postgres_probe.cc; net.h resolves and connects within an attempt's deadline.
#pragma once
#include "wait/condition.h"

namespace capstan::probe {

// Attaches every probe of this folder to lib/wait (wait::AttachProbe). Idempotent.
void AttachProbes();

wait::ProbeFactory TcpProbeFactory();
wait::ProbeFactory DnsProbeFactory();
wait::ProbeFactory HttpProbeFactory();  // http: and https:
wait::ProbeFactory FileProbeFactory();
wait::ProbeFactory PostgresProbeFactory();

}  // namespace capstan::probe
