// Network helpers of the probes: name resolution and a TCP connect, both bounded by one attempt's deadline (a
// blocking resolver call runs on its own thread so the attempt can give up on it).
#pragma once
#include <string>
#include <vector>

#include "wait/condition.h"

namespace capstan::probe {

// Resolves host (AF_UNSPEC) within the attempt; returns the addresses as text, or an error message.
bool Resolve(const std::string& host, int port, const wait::AttemptContext& ctx, std::vector<std::string>& addresses,
             std::string& error);
// Opens a TCP connection to host:port within the attempt's deadline, trying each resolved address; closes it.
// Returns "" on success (note receives "connected to 10.0.0.7:5432"), else the last error.
std::string TcpConnect(const std::string& host, int port, const wait::AttemptContext& ctx, std::string& note);
// A local file named by an option (ca=FILE) must be readable when an attempt starts: a missing or unreadable file
// is a usage error (exit 2 at once, like password-file=), not something to retry until the timeout.
void RequireReadableFile(const std::string& path, const std::string& option);

}  // namespace capstan::probe
