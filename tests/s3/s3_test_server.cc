#include "s3/s3_test_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

#include "kube/kube_test_server.h"

namespace capstan::test {

namespace {

bool Executable(const std::string& p) { return !p.empty() && ::access(p.c_str(), X_OK) == 0; }

std::string FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (!path) return "";
  std::string p(path);
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find(':', start);
    std::string dir = p.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!dir.empty() && Executable(dir + "/" + name)) return dir + "/" + name;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return "";
}

}  // namespace

std::string S3rverScript(std::string* why) {
  std::string script = std::string(CAPSTAN_DEPS_DIR) + "/s3rver/node_modules/s3rver/bin/s3rver.js";
  if (::access(script.c_str(), R_OK) != 0) {
    if (why) *why = script + " not found (scripts/setup.sh installs s3rver 3.7.1)";
    return "";
  }
  if (FindOnPath("node").empty()) {
    if (why) *why = "node not found on PATH (scripts/setup.sh installs it)";
    return "";
  }
  return script;
}

std::string AwsCli() { return Executable("/usr/bin/aws") ? "/usr/bin/aws" : ""; }

std::string TestCaBundle() { return Certs().ca_crt; }

S3rver::S3rver(const std::vector<std::string>& buckets) {
  std::string why;
  std::string script = S3rverScript(&why);
  if (script.empty()) throw std::runtime_error(why);
  data_dir_ = dir_.path() + "/data";
  ::mkdir(data_dir_.c_str(), 0700);
  port_ = FreeLoopbackPort();
  // s3rver encrypts ListObjectsV2 continuation tokens with DES, which Node's OpenSSL 3 keeps in its legacy provider.
  std::vector<std::string> args = {"node", "--openssl-legacy-provider", script, "-d", data_dir_, "-a", "127.0.0.1", "-p", std::to_string(port_),
                                   "--key", Certs().server_key, "--cert", Certs().server_crt, "--no-vhost-buckets"};
  for (const auto& b : buckets) {
    args.push_back("--configure-bucket");
    args.push_back(b);
  }
  std::string log_path = dir_.path() + "/s3rver.log";
  std::vector<std::string> env = ChildEnvironment({}, {});
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string node = FindOnPath("node");
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::setpgid(0, 0);
    int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    ::execve(node.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  pid_ = pid;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("s3rver exited at start: " + log());
    }
    int fd = ConnectLoopback(port_);
    if (fd >= 0) {
      ::close(fd);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("s3rver did not answer within 30 s: " + log());
}

S3rver::~S3rver() {
  if (pid_ > 0) {
    ::kill(-pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(-pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

std::string S3rver::log() const { return Slurp(dir_.path() + "/s3rver.log"); }

s3::Config TestConfig(const std::string& endpoint, const std::string& access_key, const std::string& secret) {
  s3::Config c;
  s3::SetEndpoint(c, endpoint);
  c.path_style = true;
  c.region = "us-east-1";
  c.ca_bundle = TestCaBundle();
  c.credentials = s3::StaticCredentials(s3::Credentials{access_key, secret, "", "the test account", 0});
  c.part_size = s3::kMinPartSize;
  c.max_attempts = 4;
  c.backoff_initial = std::chrono::milliseconds(20);
  c.backoff_max = std::chrono::milliseconds(100);
  c.io_timeout_sec = 20;
  return c;
}

CuttingProxy::CuttingProxy(int upstream, Direction direction, size_t cut_after, int cut_connections)
    : upstream_(upstream), direction_(direction), cut_after_(cut_after), cut_connections_(cut_connections) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listen_fd_, 16) != 0) {
    throw std::runtime_error("proxy: cannot listen");
  }
  socklen_t len = sizeof a;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  acceptor_ = std::thread([this] { Accept(); });
}

CuttingProxy::~CuttingProxy() {
  stop_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  ::close(listen_fd_);
  acceptor_.join();
  std::lock_guard<std::mutex> g(mu_);
  for (auto& t : pumps_) t.join();
}

void CuttingProxy::Accept() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    int client = ::accept(listen_fd_, nullptr, nullptr);
    if (client < 0) continue;
    int n = connections_++;
    std::lock_guard<std::mutex> g(mu_);
    pumps_.emplace_back([this, client, n] { Pump(client, n < cut_connections_); });
  }
}

void CuttingProxy::Pump(int client, bool cut) {
  int server = ConnectLoopback(upstream_);
  if (server < 0) {
    ::close(client);
    return;
  }
  size_t counted = 0;
  char buf[16384];
  bool done = false;
  while (!done && !stop_) {
    pollfd p[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
    if (::poll(p, 2, 100) <= 0) continue;
    for (int i = 0; i < 2 && !done; ++i) {
      if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      int from = i == 0 ? client : server;
      int to = i == 0 ? server : client;
      ssize_t n = ::read(from, buf, sizeof buf);
      if (n <= 0) {
        done = true;
        break;
      }
      size_t len = static_cast<size_t>(n);
      bool counts = (i == 0) == (direction_ == Direction::kToServer);
      if (cut && counts && counted + len >= cut_after_) {
        size_t part = cut_after_ - counted;
        if (part > 0 && ::write(to, buf, part) < 0) {
        }
        ++cuts_;
        done = true;
        break;
      }
      if (counts) counted += len;
      size_t off = 0;
      while (off < len) {
        ssize_t w = ::write(to, buf + off, len - off);
        if (w <= 0) {
          done = true;
          break;
        }
        off += static_cast<size_t>(w);
      }
    }
  }
  ::shutdown(client, SHUT_RDWR);
  ::shutdown(server, SHUT_RDWR);
  ::close(client);
  ::close(server);
}

}  // namespace capstan::test
