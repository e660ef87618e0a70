// Host names and "host[:port]" targets: the part of the wait language shared by tcp:, dns:, http(s): (syntax only;
// resolving and connecting are the probes' business, lib/probe/net.h).
#include <arpa/inet.h>

#include "util/strings.h"
#include "wait/kinds.h"

namespace capstan::wait {

std::string HostPort::Format() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return port ? h + ":" + std::to_string(port) : h;
}

namespace detail {

bool ValidHostName(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  if (host.find(':') != std::string_view::npos) {  // IPv6 literal
    in6_addr a{};
    return ::inet_pton(AF_INET6, std::string(host).c_str(), &a) == 1;
  }
  size_t label = 0;
  for (size_t i = 0; i < host.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(host[i]);
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    if (!(std::isalnum(c) || c == '-' || c == '_')) return false;
    if (++label > 63) return false;
  }
  return true;
}

size_t ParseHostPort(std::string_view text, size_t offset_in_body, const OptionReader& reader, bool require_port,
                     HostPort& out) {
  size_t authority = text.find_first_of("/?#");
  size_t at = text.substr(0, authority).find('@');
  if (at != std::string_view::npos)
    reader.FailTarget("a user name or password does not belong in this target", offset_in_body);
  size_t i = 0;
  if (!text.empty() && text[0] == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) reader.FailTarget("'[' of an IPv6 address is never closed", offset_in_body);
    out.host = std::string(text.substr(1, close - 1));
    if (!ValidHostName(out.host) || out.host.find(':') == std::string::npos)
      reader.FailTarget("invalid IPv6 address " + Quote(out.host), offset_in_body + 1);
    i = close + 1;
  } else {
    while (i < text.size() && text[i] != ':' && text[i] != '/' && text[i] != '?' && text[i] != '#') ++i;
    out.host = std::string(text.substr(0, i));
    if (out.host.empty()) reader.FailTarget("missing host name", offset_in_body);
    if (out.host.find('@') != std::string::npos)
      reader.FailTarget("a user name or password does not belong in this target", offset_in_body);
    if (!ValidHostName(out.host))
      reader.FailTarget("invalid host name " + Quote(out.host) + " (letters, digits, '-', '.'; IPv6 in [ ])",
                        offset_in_body);
  }
  out.port = 0;
  if (i < text.size() && text[i] == ':') {
    size_t ps = i + 1, pe = ps;
    while (pe < text.size() && std::isdigit(static_cast<unsigned char>(text[pe]))) ++pe;
    if (pe == ps) reader.FailTarget("expected a port number after ':'", offset_in_body + ps);
    if (pe - ps > 5) reader.FailTarget("port out of range (1-65535)", offset_in_body + ps);
    int port = std::stoi(std::string(text.substr(ps, pe - ps)));
    if (port < 1 || port > 65535) reader.FailTarget("port out of range (1-65535)", offset_in_body + ps);
    out.port = port;
    i = pe;
  } else if (require_port) {
    reader.FailTarget("missing port: write " + out.Format() + ":PORT", offset_in_body + i);
  }
  return i;
}

}  // namespace detail
}  // namespace capstan::wait
