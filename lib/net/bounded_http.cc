#include "net/bounded_http.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace capstan::net {

namespace {

using Clock = std::chrono::steady_clock;

std::string KiB(size_t n) { return std::to_string(n / 1024) + " KiB"; }

// Reads with poll() against the exchange deadline (and SSL_read for TLS), counts bytes and finds the end of the
// header block; writes go through httplib's own stream.
class BoundedStream : public httplib::Stream {
 public:
  BoundedStream(int fd, SSL* ssl, ExchangeState& state, time_t write_sec, time_t write_usec)
      : fd_(fd), ssl_(ssl), state_(state) {
    // On a blocking socket SSL_read waits for a whole TLS record, however slowly it is trickled: read TLS without
    // blocking so that every wait goes through poll() and its deadline (httplib's writer handles WANT_WRITE).
    if (ssl_) {
      int flags = ::fcntl(fd, F_GETFL, 0);
      if (flags >= 0) ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    }
    if (ssl_) writer_ = std::make_unique<httplib::detail::SSLSocketStream>(fd, ssl, 0, 0, write_sec, write_usec);
    else writer_ = std::make_unique<httplib::detail::SocketStream>(fd, 0, 0, write_sec, write_usec);
  }

  bool is_readable() const override {
    if (pos_ < len_ || (ssl_ && SSL_pending(ssl_) > 0)) return true;
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, RemainingMs()) > 0;
  }
  bool is_writable() const override { return writer_->is_writable(); }
  ssize_t write(const char* ptr, size_t size) override {
    if (Clock::now() >= state_.limits.deadline) return Fail(TimeoutMessage());
    return writer_->write(ptr, size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    httplib::detail::get_remote_ip_and_port(fd_, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    httplib::detail::get_local_ip_and_port(fd_, ip, port);
  }
  socket_t socket() const override { return fd_; }

  ssize_t read(char* ptr, size_t size) override {
    if (pos_ >= len_) {
      ssize_t n = Fill();
      if (n <= 0) return n;
    }
    size_t n = std::min(size, len_ - pos_);
    std::memcpy(ptr, buf_ + pos_, n);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }

 private:
  int RemainingMs() const {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(state_.limits.deadline - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, 24LL * 3600 * 1000));
  }
  std::string TimeoutMessage() const {
    return std::string("timed out waiting for the response ") + (headers_done_ ? "body" : "headers") + " (" +
           std::to_string(state_.bytes_read) + " bytes read within the attempt timeout)";
  }
  ssize_t Fail(std::string why) {
    if (state_.limit_error.empty()) state_.limit_error = std::move(why);
    return -1;
  }

  // Reads the next chunk into buf_: at most what the limits still allow, before the deadline.
  ssize_t Fill() {
    pos_ = len_ = 0;
    const auto& lim = state_.limits;
    size_t allowed = lim.max_total_bytes > state_.bytes_read ? lim.max_total_bytes - state_.bytes_read : 0;
    if (!headers_done_)
      allowed = std::min(allowed, lim.max_header_bytes > state_.bytes_read ? lim.max_header_bytes - state_.bytes_read
                                                                           : size_t{0});
    if (allowed == 0)
      return Fail(headers_done_ ? "the response is larger than " + KiB(lim.max_total_bytes) + " (stopped reading)"
                                : "the response status line and headers exceed " + KiB(lim.max_header_bytes));
    size_t want = std::min(allowed, sizeof buf_);
    ssize_t n = -1;
    for (;;) {
      if (Clock::now() >= lim.deadline) return Fail(TimeoutMessage());
      if (!(ssl_ && SSL_pending(ssl_) > 0)) {
        pollfd p{fd_, POLLIN, 0};
        int rc = ::poll(&p, 1, RemainingMs());
        if (rc < 0 && errno == EINTR) continue;
        if (rc < 0) return -1;
        if (rc == 0) continue;  // the deadline check above ends the loop
      }
      if (ssl_) {
        int r = SSL_read(ssl_, buf_, static_cast<int>(want));
        if (r > 0) {
          n = r;
          break;
        }
        int err = SSL_get_error(ssl_, r);
        if (err == SSL_ERROR_WANT_READ) continue;  // a partial TLS record: wait for the rest
        if (err == SSL_ERROR_WANT_WRITE) {           // renegotiation: wait until the socket takes data
          pollfd w{fd_, POLLOUT, 0};
          ::poll(&w, 1, std::min(RemainingMs(), 100));
          continue;
        }
        if (err == SSL_ERROR_ZERO_RETURN) return 0;
        return -1;
      }
      n = ::recv(fd_, buf_, want, 0);
      if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
      break;
    }
    if (n <= 0) return n;
    len_ = static_cast<size_t>(n);
    state_.bytes_read += len_;
    if (!headers_done_) FindHeaderEnd();
    return n;
  }

  // The header block ends at the first empty line ("\r\n\r\n", or "\n\n" from a sloppy server).
  void FindHeaderEnd() {
    for (size_t i = 0; i < len_ && !headers_done_; ++i) {
      char c = buf_[i];
      if (c == '\n') {
        headers_done_ = line_len_ == 0;
        line_len_ = 0;
      } else if (c != '\r') {
        ++line_len_;
      }
    }
  }

  int fd_;
  SSL* ssl_;
  ExchangeState& state_;
  std::unique_ptr<httplib::Stream> writer_;
  char buf_[16 * 1024];
  size_t pos_ = 0, len_ = 0;
  bool headers_done_ = false;
  size_t line_len_ = 0;
};

}  // namespace

std::unique_ptr<httplib::Stream> MakeBoundedStream(int fd, SSL* ssl, ExchangeState& state, time_t write_sec,
                                                   time_t write_usec) {
  return std::make_unique<BoundedStream>(fd, ssl, state, write_sec, write_usec);
}

}  // namespace capstan::net
