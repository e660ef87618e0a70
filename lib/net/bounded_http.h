// HTTP clients whose whole exchange is bounded in time and bytes, for probes that talk to servers we do not trust
// (wait conditions). cpp-httplib bounds each read by a timeout but not the exchange: a server that never ends a
// header line makes it buffer without limit, and a body trickled at one byte per second (or a huge
// Content-Length) keeps one request running for as long as the server likes. BoundedClient / BoundedSslClient read
// through a stream that
//   - fails once the deadline passes (connect, TLS handshake, request, status line, headers and body together),
//   - fails when the status line and headers exceed ExchangeLimits::max_header_bytes,
//   - fails when more than ExchangeLimits::max_total_bytes were read from the connection,
// and say why in limit_error() (httplib itself then reports Error::Read).
#pragma once
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "net/httplib.h"

namespace capstan::net {

struct ExchangeLimits {
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  size_t max_header_bytes = 64 * 1024;        // status line and headers
  size_t max_total_bytes = 8 * 1024 * 1024;  // everything read from the connection (headers, framing, body)
};

// What the bounded stream refused, shared between a client and the stream it creates per request.
struct ExchangeState {
  ExchangeLimits limits;
  std::string limit_error;  // empty unless a limit stopped the exchange
  size_t bytes_read = 0;
};

// Builds the read side of one exchange over an open socket (ssl: null for plain HTTP).
std::unique_ptr<httplib::Stream> MakeBoundedStream(int fd, SSL* ssl, ExchangeState& state, time_t write_sec,
                                                   time_t write_usec);

template <class Base>
class Bounded : public Base {
 public:
  using Base::Base;
  // Limits for the next requests; set connect/read/write timeouts on the client as usual (they still apply).
  void set_limits(const ExchangeLimits& limits) { state_.limits = limits; }
  // Why the last request was cut short by a limit ("" when no limit was hit).
  const std::string& limit_error() const { return state_.limit_error; }
  size_t bytes_read() const { return state_.bytes_read; }

 protected:
  bool process_socket(const typename Base::Socket& socket,
                      std::function<bool(httplib::Stream& strm)> callback) override {
    state_.limit_error.clear();
    state_.bytes_read = 0;
    auto stream = MakeBoundedStream(socket.sock, socket.ssl, state_, this->write_timeout_sec_,
                                    this->write_timeout_usec_);
    return callback(*stream);
  }

 private:
  ExchangeState state_;
};

using BoundedClient = Bounded<httplib::ClientImpl>;
using BoundedSslClient = Bounded<httplib::SSLClient>;

}  // namespace capstan::net
