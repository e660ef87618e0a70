#include "test_support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace capstan::test {

std::string SourceDir() { return CAPSTAN_SOURCE_DIR; }
std::string BinaryDir() { return CAPSTAN_BINARY_DIR; }
std::string SharedDir() {
  if (const char* s = std::getenv("CAPSTAN_SHARED_DIR")) return s;
  return CAPSTAN_SHARED_DIR;
}
std::string Binary(const std::string& name) { return BinaryDir() + "/" + name; }
std::string Helm(int major) { return std::string(CAPSTAN_DEPS_DIR) + "/helm/" + std::to_string(major) + "/helm"; }
std::string Kubectl() { return std::string(CAPSTAN_DEPS_DIR) + "/helm/4/kubectl"; }

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "capstan-test-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& name, const std::string& content) const {
  std::string full = path_ + "/" + name;
  std::filesystem::create_directories(std::filesystem::path(full).parent_path());
  std::ofstream f(full, std::ios::binary);
  f << content;
  if (!f) throw std::runtime_error("cannot write " + full);
  return full;
}

int FreeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot bind a loopback port");
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

int ConnectLoopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::vector<std::string> ChildEnvironment(const std::map<std::string, std::string>& env,
                                          const std::vector<std::string>& unset) {
  std::map<std::string, std::string> all;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (eq != std::string::npos) all[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& [k, v] : env) all[k] = v;
  for (const auto& k : unset) all.erase(k);
  std::vector<std::string> out;
  for (const auto& [k, v] : all) out.push_back(k + "=" + v);
  return out;
}

ProcessResult Run(const std::vector<std::string>& argv, const ProcessOptions& options) {
  // Everything the child needs is built here: between fork and exec a child of a threaded process may only make
  // async-signal-safe calls (no malloc: another thread may hold its lock at the fork, and the child would hang).
  std::vector<std::string> env_strings = ChildEnvironment(options.env, options.unset_env);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<char*> args;
  // A cross build's tests run under an emulator (qemu-aarch64-static): so do the project's binaries they start.
  static char emulator[] = CAPSTAN_TEST_EMULATOR;
  if (emulator[0] != '\0' && !argv.empty() && argv.front().rfind(BinaryDir() + "/", 0) == 0) args.push_back(emulator);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const char* cwd = options.cwd.empty() ? nullptr : options.cwd.c_str();
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC))
    throw std::runtime_error("pipe failed");
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (options.new_session) ::setsid();
    else ::setpgid(0, 0);
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    if (cwd && ::chdir(cwd) != 0) ::_exit(127);
    ::execvpe(args[0], args.data(), envp.data());
    static const char kExecFailed[] = "exec failed: ";
    (void)!::write(2, kExecFailed, sizeof kExecFailed - 1);
    (void)!::write(2, args[0], std::strlen(args[0]));
    (void)!::write(2, "\n", 1);
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  ProcessResult r;
  size_t written = 0;
  bool in_open = true;
  if (options.stdin_data.empty()) {
    ::close(in[1]);
    in_open = false;
  } else {
    ::fcntl(in[1], F_SETFL, O_NONBLOCK);
  }
  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  bool out_open = true, err_open = true;
  ::signal(SIGPIPE, SIG_IGN);
  while (out_open || err_open) {
    pollfd fds[3];
    int n = 0;
    int io = -1, oo = -1, eo = -1;
    if (in_open) { fds[n] = {in[1], POLLOUT, 0}; io = n++; }
    if (out_open) { fds[n] = {out[0], POLLIN, 0}; oo = n++; }
    if (err_open) { fds[n] = {err[0], POLLIN, 0}; eo = n++; }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      r.timed_out = true;
      ::kill(-pid, SIGKILL);
      break;
    }
    int pr = ::poll(fds, static_cast<nfds_t>(n), static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (pr < 0 && errno != EINTR) break;
    char buf[65536];
    if (io >= 0 && (fds[io].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t w = ::write(in[1], options.stdin_data.data() + written, options.stdin_data.size() - written);
      if (w > 0) written += static_cast<size_t>(w);
      if (w < 0 && errno != EAGAIN) written = options.stdin_data.size();
      if (written >= options.stdin_data.size()) { ::close(in[1]); in_open = false; }
    }
    if (oo >= 0 && (fds[oo].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t k = ::read(out[0], buf, sizeof buf);
      if (k > 0) r.out.append(buf, static_cast<size_t>(k)); else if (k == 0 || errno != EINTR) out_open = false;
    }
    if (eo >= 0 && (fds[eo].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t k = ::read(err[0], buf, sizeof buf);
      if (k > 0) r.err.append(buf, static_cast<size_t>(k)); else if (k == 0 || errno != EINTR) err_open = false;
    }
  }
  if (in_open) ::close(in[1]);
  ::close(out[0]);
  ::close(err[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  if (r.timed_out) r.exit_code = -1;
  return r;
}

std::map<std::string, std::string> PgEnv() {
  const char* file = std::getenv("CAPSTAN_TEST_PG_ENV");
  std::string path = file ? file : std::string(CAPSTAN_BINARY_DIR) + "/../.pg-test/env";
  std::ifstream f(path);
  if (!f) throw std::runtime_error("the test PostgreSQL server is not running (no " + path +
                                   "): start it with tests/harness/pg.sh start, or run scripts/test.sh");
  std::map<std::string, std::string> env;
  std::string line;
  while (std::getline(f, line)) {
    auto eq = line.find('=');
    if (eq != std::string::npos && line.rfind("export ", 0) != 0) env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return env;
}

}  // namespace capstan::test
