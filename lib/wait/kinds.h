// Internal to lib/wait: the built-in condition kinds (tcp, dns, http, https, file, postgres) and the helpers they
// share (host:port parsing, resolving and connecting within an attempt's deadline). One file per kind:
// tcp_condition.cc, dns_condition.cc, http_condition.cc, file_condition.cc, postgres_condition.cc.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "wait/condition.h"

namespace capstan::wait::detail {

struct BuiltinKind {
  std::string scheme;
  ConditionFactory factory;
  std::string summary;
};
std::vector<BuiltinKind> BuiltinKinds();

ConditionFactory TcpFactory();
ConditionFactory DnsFactory();
ConditionFactory HttpFactory(bool tls);
ConditionFactory FileFactory();
ConditionFactory PostgresFactory();

struct HostPort {
  std::string host;  // without brackets for IPv6
  int port = 0;      // 0: none given
  std::string Format() const;  // "db:5432", "[::1]:80"
};
// Parses "host[:port]" (IPv6 in brackets) at the start of text; returns how many bytes it used. Reports errors
// through reader.FailTarget (offsets relative to body_offset_in_body). require_port: a missing port is an error.
size_t ParseHostPort(std::string_view text, size_t offset_in_body, const OptionReader& reader, bool require_port,
                     HostPort& out);
// A local file named by an option (ca=FILE) must be readable when an attempt starts: a missing or unreadable file
// is a usage error (exit 2 at once, like password-file=), not something to retry until the timeout.
void RequireReadableFile(const std::string& path, const std::string& option);
// A DNS name or IP literal that can appear in a target.
bool ValidHostName(std::string_view host);

// Resolves host (AF_UNSPEC) within the attempt; returns the addresses as text, or an error message.
bool Resolve(const std::string& host, int port, const AttemptContext& ctx, std::vector<std::string>& addresses,
             std::string& error);
// Opens a TCP connection to host:port within the attempt's deadline, trying each resolved address; closes it.
// Returns "" on success (note receives "connected to 10.0.0.7:5432"), else the last error.
std::string TcpConnect(const std::string& host, int port, const AttemptContext& ctx, std::string& note);

}  // namespace capstan::wait::detail
