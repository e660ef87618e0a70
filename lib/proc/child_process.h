// Child processes without a shell: fork/exec of an absolute path with an explicit argv, extra environment
// variables (secrets such as PGPASSWORD go here, never into argv), stdin from /dev/null or a pipe the parent writes,
// stdout either to a pipe
// the parent streams from or to a file descriptor, and stderr captured (its last bytes) for error messages.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

namespace capstan::proc {

struct ChildOptions {
  std::vector<std::string> argv;          // argv[0] is the executable path (absolute or relative to cwd)
  std::vector<std::string> set_env;       // "NAME=value", added to or replacing the inherited environment
  std::vector<std::string> unset_env;     // names removed from the inherited environment
  bool pipe_stdout = false;               // true: Child::stdout_fd() is the read end of the child's stdout
  int stdout_fd = -1;                     // when not piped: the child's stdout (-1: /dev/null)
  bool pipe_stdin = false;                // true: Child::stdin_fd() is the write end of the child's stdin
};

// A running child. The destructor kills (SIGKILL) and reaps a child that was not waited for.
class Child {
 public:
  explicit Child(const ChildOptions& options);
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  int stdout_fd() const { return stdout_fd_; }
  void CloseStdout();
  int stdin_fd() const { return stdin_fd_; }
  // Closes the write end of the child's stdin: the child reads end of file.
  void CloseStdin();
  pid_t pid() const { return pid_; }
  // Waits for the child; returns its exit code, or 128+signal when killed by a signal.
  int Wait();
  void Kill();
  // The last bytes (up to 4 KiB) the child wrote to stderr, trimmed; valid after Wait().
  std::string StderrTail() const;

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int stdin_fd_ = -1;
  int stderr_fd_ = -1;  // a memfd holding the child's stderr
  bool waited_ = false;
};

// Runs a child to completion, capturing stdout (bounded by max_bytes; more is an error) and the exit code.
struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err_tail;
};
RunResult RunCapture(const ChildOptions& options, size_t max_bytes = 16 << 20);

// Finds an executable: the explicit path if given (must be executable), else `dir/name` for the first dir in
// extra_dirs that has it, else the first match on PATH. Returns "" when not found.
std::string FindExecutable(const std::string& name, const std::string& explicit_path,
                           const std::vector<std::string>& extra_dirs);

}  // namespace capstan::proc
