// Real servers on 127.0.0.1 for the wait tests: a TCP socket that starts listening late, httplib HTTP/HTTPS
// servers on random ports, a raw peer that answers every connection with a script (slow, endless or oversized
// responses), and a test CA with a server certificate made by the openssl command. Header-only: the
// build compiles only *_test.cc files under tests/.
#pragma once
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <poll.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "net/httplib.h"

#include "support/test_support.h"

namespace capstan::test {

// A TCP socket bound to 127.0.0.1:<random port> that refuses connections until Listen() (connect gets
// ECONNREFUSED while it is bound but not listening, so the port cannot be taken by someone else meanwhile).
class LateListener {
 public:
  LateListener();
  ~LateListener();
  int port() const { return port_; }
  void Listen();
  // Listen() after delay, on a background thread.
  void ListenAfter(std::chrono::milliseconds delay);

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

// Runs an httplib server (plain or TLS) on 127.0.0.1:<random port> on a background thread.
class LoopbackServer {
 public:
  explicit LoopbackServer(std::unique_ptr<httplib::Server> server);
  ~LoopbackServer();
  httplib::Server& server() { return *server_; }
  int port() const { return port_; }

 private:
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;
};

// A TCP server on 127.0.0.1:<random port> that runs script(fd, stop) for every connection it accepts (one thread
// each), for peers httplib cannot play: a header line that never ends, a body trickled a byte at a time. The
// script should return when a write fails or stop becomes true; the destructor sets stop and joins everything.
class RawPeer {
 public:
  using Script = std::function<void(int fd, const std::atomic<bool>& stop)>;
  explicit RawPeer(Script script);
  ~RawPeer();
  int port() const { return port_; }

  // Helpers for scripts: send all of data (false when the peer went away); sleep up to d unless stopping.
  static bool Send(int fd, const std::string& data);
  static void Nap(std::chrono::milliseconds d, const std::atomic<bool>& stop);

 private:
  Script script_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::thread> connections_;
};

// A CA and a server certificate for 127.0.0.1/localhost, plus an unrelated CA, made with openssl in dir.
struct TestPki {
  std::string ca_cert, server_cert, server_key, other_ca_cert;
  explicit TestPki(const std::string& dir);
};

// ---- definitions ------------------------------------------------------------------------------------------

inline LateListener::LateListener() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("socket failed");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("bind failed");
  socklen_t len = sizeof a;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
}

inline LateListener::~LateListener() {
  if (thread_.joinable()) thread_.join();
  if (fd_ >= 0) ::close(fd_);
}

inline void LateListener::Listen() {
  if (::listen(fd_, 16) != 0) throw std::runtime_error("listen failed");
}

inline void LateListener::ListenAfter(std::chrono::milliseconds delay) {
  thread_ = std::thread([this, delay] {
    std::this_thread::sleep_for(delay);
    Listen();
  });
}

inline LoopbackServer::LoopbackServer(std::unique_ptr<httplib::Server> server) : server_(std::move(server)) {
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("cannot bind a loopback HTTP server");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // Bounded wait until the server accepts connections.
  for (int i = 0; i < 200 && !server_->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

inline LoopbackServer::~LoopbackServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

inline RawPeer::RawPeer(Script script) : script_(std::move(script)) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("socket failed");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("bind failed");
  socklen_t len = sizeof a;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  if (::listen(fd_, 16) != 0) throw std::runtime_error("listen failed");
  acceptor_ = std::thread([this] {
    while (!stop_.load()) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      std::lock_guard<std::mutex> lock(mu_);
      connections_.emplace_back([this, c] {
        char buf[4096];
        ::recv(c, buf, sizeof buf, MSG_DONTWAIT);  // the request, if it is there already; scripts ignore it
        script_(c, stop_);
        ::close(c);
      });
    }
  });
}

inline RawPeer::~RawPeer() {
  stop_.store(true);
  if (acceptor_.joinable()) acceptor_.join();
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& t : connections_)
    if (t.joinable()) t.join();
  ::close(fd_);
}

inline bool RawPeer::Send(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}

inline void RawPeer::Nap(std::chrono::milliseconds d, const std::atomic<bool>& stop) {
  auto end = std::chrono::steady_clock::now() + d;
  while (!stop.load() && std::chrono::steady_clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

inline TestPki::TestPki(const std::string& dir) {
  ca_cert = dir + "/ca.crt";
  server_cert = dir + "/server.crt";
  server_key = dir + "/server.key";
  other_ca_cert = dir + "/other-ca.crt";
  std::string script =
      "set -e; cd '" + dir + "'\n"
      "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj '/CN=capstan test CA' "
      "  2>/dev/null\n"
      "openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.crt -days 2 "
      "  -subj '/CN=unrelated CA' 2>/dev/null\n"
      "openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=localhost' 2>/dev/null\n"
      "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > san.ext\n"
      "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 "
      "  -extfile san.ext 2>/dev/null\n";
  ProcessOptions po;
  po.timeout = std::chrono::seconds(60);
  auto r = Run({"sh", "-c", script}, po);
  if (r.exit_code != 0) throw std::runtime_error("openssl failed: " + r.err);
}

}  // namespace capstan::test
