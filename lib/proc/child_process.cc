#include "proc/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>

#include "util/error.h"
#include "util/strings.h"

extern char** environ;

namespace capstan::proc {

namespace {

std::string Errno() { return std::strerror(errno); }

std::vector<std::string> BuildEnv(const ChildOptions& o) {
  std::map<std::string, std::string> env;
  std::vector<std::string> order;
  for (char** e = environ; e && *e; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq == std::string::npos) continue;
    std::string k = kv.substr(0, eq);
    if (!env.count(k)) order.push_back(k);
    env[k] = kv;
  }
  for (const auto& u : o.unset_env) env.erase(u);
  for (const auto& kv : o.set_env) {
    auto eq = kv.find('=');
    std::string k = kv.substr(0, eq);
    if (!env.count(k)) order.push_back(k);
    env[k] = kv;
  }
  std::vector<std::string> out;
  for (const auto& k : order) {
    auto it = env.find(k);
    if (it != env.end()) {
      out.push_back(it->second);
      env.erase(it);
    }
  }
  return out;
}

}  // namespace

Child::Child(const ChildOptions& o) {
  if (o.argv.empty()) throw Error("internal error: empty argv for a child process");
  std::vector<std::string> env = BuildEnv(o);
  std::vector<char*> argv_p, env_p;
  for (const auto& a : o.argv) argv_p.push_back(const_cast<char*>(a.c_str()));
  argv_p.push_back(nullptr);
  for (const auto& e : env) env_p.push_back(const_cast<char*>(e.c_str()));
  env_p.push_back(nullptr);

  int out_pipe[2] = {-1, -1};
  if (o.pipe_stdout && ::pipe2(out_pipe, O_CLOEXEC) != 0) throw Error("cannot create a pipe: " + Errno());
  int in_pipe[2] = {-1, -1};
  if (o.pipe_stdin && ::pipe2(in_pipe, O_CLOEXEC) != 0) {
    if (out_pipe[0] >= 0) { ::close(out_pipe[0]); ::close(out_pipe[1]); }
    throw Error("cannot create a pipe: " + Errno());
  }
  stderr_fd_ = ::memfd_create("capstan-child-stderr", MFD_CLOEXEC);
  int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (stderr_fd_ < 0 || devnull < 0) {
    if (out_pipe[0] >= 0) { ::close(out_pipe[0]); ::close(out_pipe[1]); }
    if (in_pipe[0] >= 0) { ::close(in_pipe[0]); ::close(in_pipe[1]); }
    if (devnull >= 0) ::close(devnull);
    throw Error("cannot prepare a child process: " + Errno());
  }
  int child_in = o.pipe_stdin ? in_pipe[0] : devnull;
  int child_out = o.pipe_stdout ? out_pipe[1] : (o.stdout_fd >= 0 ? o.stdout_fd : devnull);
  pid_ = ::fork();
  if (pid_ == 0) {
    // Child: only async-signal-safe calls from here on.
    ::signal(SIGPIPE, SIG_DFL);
    ::signal(SIGXFSZ, SIG_DFL);
    if (::dup2(child_in, 0) < 0 || ::dup2(child_out, 1) < 0 || ::dup2(stderr_fd_, 2) < 0) ::_exit(126);
    ::execve(argv_p[0], argv_p.data(), env_p.data());
    const char msg[] = "exec failed\n";
    ssize_t ignored = ::write(2, msg, sizeof msg - 1);
    (void)ignored;
    ::_exit(127);
  }
  int fork_errno = errno;
  ::close(devnull);
  if (o.pipe_stdout) ::close(out_pipe[1]);
  if (o.pipe_stdin) ::close(in_pipe[0]);
  if (pid_ < 0) {
    if (o.pipe_stdout) ::close(out_pipe[0]);
    if (o.pipe_stdin) ::close(in_pipe[1]);
    ::close(stderr_fd_);
    stderr_fd_ = -1;
    throw Error("cannot start " + o.argv[0] + ": fork failed: " + std::strerror(fork_errno));
  }
  stdout_fd_ = o.pipe_stdout ? out_pipe[0] : -1;
  stdin_fd_ = o.pipe_stdin ? in_pipe[1] : -1;
}

Child::~Child() {
  if (pid_ > 0 && !waited_) {
    Kill();
    Wait();
  }
  CloseStdin();
  CloseStdout();
  if (stderr_fd_ >= 0) ::close(stderr_fd_);
}

void Child::CloseStdout() {
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  stdout_fd_ = -1;
}

void Child::CloseStdin() {
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  stdin_fd_ = -1;
}

void Child::Kill() {
  if (pid_ > 0 && !waited_) ::kill(pid_, SIGKILL);
}

int Child::Wait() {
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0) {
    if (errno != EINTR) {
      waited_ = true;
      return 128;
    }
  }
  waited_ = true;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 128;
}

std::string Child::StderrTail() const {
  if (stderr_fd_ < 0) return "";
  struct stat st {};
  if (::fstat(stderr_fd_, &st) != 0) return "";
  off_t size = st.st_size;
  off_t start = size > 4096 ? size - 4096 : 0;
  std::string buf(static_cast<size_t>(size - start), '\0');
  ssize_t n = ::pread(stderr_fd_, buf.data(), buf.size(), start);
  if (n < 0) return "";
  buf.resize(static_cast<size_t>(n));
  std::string t(Trim(buf));
  for (char& c : t)
    if (c == '\n') c = ' ';
  return t;
}

RunResult RunCapture(const ChildOptions& options, size_t max_bytes) {
  ChildOptions o = options;
  o.pipe_stdout = true;
  Child child(o);
  RunResult r;
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::read(child.stdout_fd(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (r.out.size() + static_cast<size_t>(n) > max_bytes) {
      child.Kill();
      child.Wait();
      throw Error(o.argv[0] + " wrote more than " + std::to_string(max_bytes) + " bytes to its output");
    }
    r.out.append(buf, static_cast<size_t>(n));
  }
  child.CloseStdout();
  r.exit_code = child.Wait();
  r.err_tail = child.StderrTail();
  return r;
}

std::string FindExecutable(const std::string& name, const std::string& explicit_path,
                           const std::vector<std::string>& extra_dirs) {
  auto executable = [](const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
  };
  if (!explicit_path.empty()) return executable(explicit_path) ? explicit_path : "";
  for (const auto& d : extra_dirs)
    if (!d.empty() && executable(d + "/" + name)) return d + "/" + name;
  const char* path = std::getenv("PATH");
  for (const auto& d : Split(path ? path : "/usr/local/bin:/usr/bin:/bin", ':', true))
    if (executable(d + "/" + name)) return d + "/" + name;
  return "";
}

}  // namespace capstan::proc
