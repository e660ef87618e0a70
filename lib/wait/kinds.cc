// The table of built-in condition kinds (their grammar; probes attach separately), read once by the registry
// (condition.cc).
#include "wait/kinds.h"

namespace capstan::wait::detail {

std::vector<BuiltinKind> BuiltinKinds() {
  return {
      {"tcp", TcpFactory(), "tcp://HOST:PORT  a TCP connection succeeds"},
      {"http", HttpFactory(false), "http://HOST[:PORT]/PATH (expect=TEXT)  GET answers 2xx [and the body has TEXT]"},
      {"https", HttpFactory(true),
       "https://HOST[:PORT]/PATH (expect=TEXT, ca=FILE)  as http:, over verified TLS"},
      {"dns", DnsFactory(), "dns:NAME  the name resolves"},
      {"file", FileFactory(), "file:/PATH (content=TEXT)  the file exists [and holds TEXT]"},
      {"postgres", PostgresFactory(),
       "postgres://[USER@]HOST[:PORT]/DB (schema>=N, password-file=FILE, ca=FILE, table=NAME)  PostgreSQL "
       "accepts a connection [and the migration history is at version N or above]"},
      {"postgresql", PostgresFactory(), "postgresql://...  same as postgres://"},
      {"job", JobFactory(), "job:NAME (namespace=NS)  a Kubernetes Job completed (a failed Job fails the wait)"},
      {"rollout", RolloutFactory(),
       "rollout:KIND/NAME (namespace=NS)  a Deployment, StatefulSet or DaemonSet rolled out (as kubectl rollout "
       "status)"},
  };
}

}  // namespace capstan::wait::detail
