// Name resolution bounded by the attempt's deadline, and a non-blocking TCP connect: shared by the tcp:, dns:,
// http(s): and postgres: probes.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>

#include "probe/net.h"
#include "util/strings.h"

namespace capstan::probe {

namespace {

struct Lookup {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  int rc = 0;
  std::vector<std::string> addresses;
};

std::string AddrToString(const sockaddr* sa) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (sa->sa_family == AF_INET)
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  else if (sa->sa_family == AF_INET6)
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
  return buf;
}

}  // namespace

bool Resolve(const std::string& host, int /*port*/, const wait::AttemptContext& ctx, std::vector<std::string>& addresses,
             std::string& error) {
  // getaddrinfo blocks for as long as the resolver configuration says (seconds per server); run it on its own
  // thread so an attempt never outlives its deadline. A late lookup finishes in the background and is discarded.
  {
    in6_addr a6{};
    in_addr a4{};
    if (::inet_pton(AF_INET, host.c_str(), &a4) == 1 || ::inet_pton(AF_INET6, host.c_str(), &a6) == 1) {
      addresses = {host};  // an address literal: nothing to look up
      return true;
    }
  }
  auto lookup = std::make_shared<Lookup>();
  std::thread([lookup, host] {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &res);
    std::vector<std::string> found;
    if (rc == 0) {
      for (addrinfo* a = res; a; a = a->ai_next) {
        std::string s = AddrToString(a->ai_addr);
        if (!s.empty() && std::find(found.begin(), found.end(), s) == found.end()) found.push_back(s);
      }
      ::freeaddrinfo(res);
    }
    std::lock_guard<std::mutex> lock(lookup->mu);
    lookup->rc = rc;
    lookup->addresses = std::move(found);
    lookup->done = true;
    lookup->cv.notify_all();
  }).detach();
  std::unique_lock<std::mutex> lock(lookup->mu);
  while (!lookup->done) {
    if (ctx.Stopping()) {
      error = "stopped";
      return false;
    }
    auto slice = std::min(ctx.deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(100));
    lookup->cv.wait_until(lock, slice);
    if (!lookup->done && std::chrono::steady_clock::now() >= ctx.deadline) {
      error = "DNS lookup of " + host + " did not answer within the attempt timeout";
      return false;
    }
  }
  if (lookup->rc != 0) {
    if (lookup->rc == EAI_NONAME || lookup->rc == EAI_NODATA) error = "name " + host + " does not resolve (yet)";
    else error = "DNS lookup of " + host + " failed: " + ::gai_strerror(lookup->rc);
    return false;
  }
  if (lookup->addresses.empty()) {
    error = "name " + host + " resolved to no addresses";
    return false;
  }
  addresses = lookup->addresses;
  return true;
}

std::string TcpConnect(const std::string& host, int port, const wait::AttemptContext& ctx, std::string& note) {
  std::vector<std::string> addresses;
  std::string error;
  if (!Resolve(host, port, ctx, addresses, error)) return error;
  std::string last = "no address to connect to";
  for (const auto& addr : addresses) {
    sockaddr_storage ss{};
    socklen_t len = 0;
    bool v6 = addr.find(':') != std::string::npos;
    if (v6) {
      auto* s6 = reinterpret_cast<sockaddr_in6*>(&ss);
      s6->sin6_family = AF_INET6;
      s6->sin6_port = htons(static_cast<uint16_t>(port));
      ::inet_pton(AF_INET6, addr.c_str(), &s6->sin6_addr);
      len = sizeof(sockaddr_in6);
    } else {
      auto* s4 = reinterpret_cast<sockaddr_in*>(&ss);
      s4->sin_family = AF_INET;
      s4->sin_port = htons(static_cast<uint16_t>(port));
      ::inet_pton(AF_INET, addr.c_str(), &s4->sin_addr);
      len = sizeof(sockaddr_in);
    }
    std::string where = v6 ? "[" + addr + "]:" + std::to_string(port) : addr + ":" + std::to_string(port);
    int fd = ::socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      last = "socket: " + std::string(std::strerror(errno));
      continue;
    }
    int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&ss), len);
    if (rc != 0 && errno != EINPROGRESS) {
      last = "connect to " + where + ": " + std::strerror(errno);
      ::close(fd);
      continue;
    }
    bool connected = rc == 0;
    while (!connected) {
      if (ctx.Stopping()) {
        ::close(fd);
        return "stopped";
      }
      auto left = ctx.Remaining();
      if (left.count() <= 0) {
        last = "connect to " + where + ": no answer within the attempt timeout";
        break;
      }
      pollfd p{fd, POLLOUT, 0};
      int wait_ms = static_cast<int>(std::min<long long>(left.count(), 100));
      int n = ::poll(&p, 1, wait_ms);
      if (n < 0 && errno != EINTR) {
        last = "poll: " + std::string(std::strerror(errno));
        break;
      }
      if (n > 0) {
        int err = 0;
        socklen_t elen = sizeof err;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
        if (err == 0) {
          connected = true;
        } else {
          last = "connect to " + where + ": " + std::strerror(err);
          break;
        }
      }
    }
    ::close(fd);
    if (connected) {
      note = "connected to " + where;
      return "";
    }
    if (ctx.Remaining().count() <= 0) break;
  }
  return last;
}

void RequireReadableFile(const std::string& path, const std::string& option) {
  if (::access(path.c_str(), R_OK) == 0) return;
  int err = errno;
  throw UsageError("cannot read " + option + "=" + path + ": " + std::strerror(err) +
                   " (mount the file there or fix the path)");
}

}  // namespace capstan::probe
