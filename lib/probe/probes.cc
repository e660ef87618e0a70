// Attaches the probes of this folder, one per condition kind.
#include "probe/probes.h"

namespace capstan::probe {

void AttachProbes() {
  wait::AttachProbe("tcp", TcpProbeFactory());
  wait::AttachProbe("dns", DnsProbeFactory());
  wait::AttachProbe("http", HttpProbeFactory());
  wait::AttachProbe("https", HttpProbeFactory());
  wait::AttachProbe("file", FileProbeFactory());
  wait::AttachProbe("postgres", PostgresProbeFactory());
}

}  // namespace capstan::probe
