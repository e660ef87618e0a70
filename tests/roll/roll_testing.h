// Helpers for the `capstan roll` tests: the real binary started in the background against the local API server
// (kubeconfig with the test CA), with its stdout and stderr in files, so a test can watch the cluster meanwhile,
// send it SIGTERM or SIGKILL, and start a second one.
#pragma once
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "kube/cluster_sim.h"
#include "kube/kube_test_server.h"
#include "support/test_support.h"

extern char** environ;

namespace capstan::test {

class RollProcess {
 public:
  // Runs `capstan roll ARGS... --kubeconfig KC` with KUBERNETES_SERVICE_HOST unset.
  RollProcess(const TempDir& dir, const std::string& kubeconfig, const std::vector<std::string>& args,
              const std::string& tag = "roll") {
    out_ = dir.path() + "/" + tag + ".out";
    err_ = dir.path() + "/" + tag + ".err";
    std::vector<std::string> argv = {Binary("capstan"), "roll"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("--kubeconfig");
    argv.push_back(kubeconfig);
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e)
      if (std::strncmp(*e, "KUBERNETES_SERVICE_HOST=", 24) != 0) env.emplace_back(*e);
    std::vector<char*> av, ev;
    for (auto& a : argv) av.push_back(a.data());
    av.push_back(nullptr);
    for (auto& e : env) ev.push_back(e.data());
    ev.push_back(nullptr);
    int out = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int err = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    start_ = std::chrono::steady_clock::now();
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out, 1);
      ::dup2(err, 2);
      int devnull = ::open("/dev/null", O_RDONLY);
      ::dup2(devnull, 0);
      ::execve(av[0], av.data(), ev.data());
      ::_exit(127);
    }
    ::close(out);
    ::close(err);
  }
  ~RollProcess() {
    if (running_ && pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int st;
      ::waitpid(pid_, &st, 0);
    }
  }
  RollProcess(const RollProcess&) = delete;
  RollProcess& operator=(const RollProcess&) = delete;

  void Signal(int sig) { ::kill(pid_, sig); }
  // The exit code (128+signal when killed), or -1 when still running after timeout (then it is killed).
  int Wait(std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    if (!running_) return code_;
    auto end = std::chrono::steady_clock::now() + timeout;
    int st = 0;
    while (true) {
      pid_t r = ::waitpid(pid_, &st, WNOHANG);
      if (r == pid_) break;
      if (std::chrono::steady_clock::now() > end) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &st, 0);
        running_ = false;
        code_ = -1;
        return code_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    running_ = false;
    elapsed_ = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_);
    code_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return code_;
  }
  std::string out() const { return Slurp(out_); }
  std::string err() const { return Slurp(err_); }
  std::chrono::milliseconds elapsed() const { return elapsed_; }

 private:
  std::string out_, err_;
  pid_t pid_ = -1;
  bool running_ = true;
  int code_ = -1;
  std::chrono::steady_clock::time_point start_;
  std::chrono::milliseconds elapsed_{0};
};

// Waits up to timeout for cond; returns whether it held.
inline bool Eventually(const std::function<bool()>& cond, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return cond();
}

}  // namespace capstan::test
