// Test servers for tests/s3: s3rver (a real S3 server, npm, installed by scripts/setup.sh into .deps/s3rver) started
// on a free loopback port over TLS (the kube tests' test CA: our client verifies it for real) with a temporary data
// directory and a bucket, waited for until it answers, stopped (its process group killed) at the end; a TCP proxy
// that cuts connections after a number of bytes (mid-upload or mid-download faults, TLS passes through unchanged);
// and the account s3rver knows (S3RVER/S3RVER).
#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "s3/config.h"
#include "support/test_support.h"

namespace capstan::test {

// Where s3rver is (CAPSTAN_DEPS_DIR/s3rver/...); "" plus *why when it or node is missing.
std::string S3rverScript(std::string* why = nullptr);
// The Debian awscli (/usr/bin/aws), "" when absent.
std::string AwsCli();
// The CA bundle that verifies the test servers' certificate.
std::string TestCaBundle();
struct TestCerts;
const TestCerts& Certs();  // kube/kube_test_server.h

class S3rver {
 public:
  explicit S3rver(const std::vector<std::string>& buckets = {"capstan-test"});
  ~S3rver();
  S3rver(const S3rver&) = delete;
  S3rver& operator=(const S3rver&) = delete;

  int port() const { return port_; }
  std::string endpoint() const { return "https://127.0.0.1:" + std::to_string(port_); }
  const std::string& data_dir() const { return data_dir_; }
  std::string log() const;

 private:
  TempDir dir_;
  std::string data_dir_;
  int port_ = 0;
  int pid_ = -1;
};

// A client configuration for a server on this machine: path-style, the test CA, fast retries, the given account.
s3::Config TestConfig(const std::string& endpoint, const std::string& access_key = "S3RVER",
                      const std::string& secret = "S3RVER");

// Forwards 127.0.0.1:port() to 127.0.0.1:upstream. The first `cut_connections` connections are closed after
// `cut_after` bytes went in the chosen direction (to the server: mid-upload; to the client: mid-download); later
// ones pass untouched.
class CuttingProxy {
 public:
  enum class Direction { kToServer, kToClient };
  CuttingProxy(int upstream, Direction direction, size_t cut_after, int cut_connections);
  ~CuttingProxy();
  int port() const { return port_; }
  std::string endpoint() const { return "https://127.0.0.1:" + std::to_string(port_); }
  int cuts() const { return cuts_.load(); }
  int connections() const { return connections_.load(); }

 private:
  void Accept();
  void Pump(int client, bool cut);

  int upstream_;
  Direction direction_;
  size_t cut_after_;
  int cut_connections_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> cuts_{0};
  std::atomic<int> connections_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::thread> pumps_;
};

}  // namespace capstan::test
