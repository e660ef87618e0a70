// Helpers for tests: temporary directories, running a process with input and a timeout, paths of the built
// binaries, the real Helm binaries and the shared reference folder, and the test PostgreSQL server.
#pragma once
#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace capstan::test {

std::string SourceDir();  // the project checkout
std::string BinaryDir();  // the CMake build directory
std::string SharedDir();  // ../shared (corpus, test suites)
std::string Binary(const std::string& name);  // BinaryDir()/name
std::string Helm(int major);                  // .deps/helm/<major>/helm
std::string Kubectl();                        // kubectl from the Helm 4 package (kustomize v5.6)

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Write(const std::string& name, const std::string& content) const;  // returns the full path

 private:
  std::string path_;
};

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal or timed out
  int signal = 0;
  bool timed_out = false;
  std::string out;
  std::string err;
};

struct ProcessOptions {
  std::string stdin_data;
  std::map<std::string, std::string> env;  // added to (or overriding) the inherited environment
  std::vector<std::string> unset_env;
  std::string cwd;
  std::chrono::milliseconds timeout{120000};
  bool new_session = false;  // run in a session of its own, without a controlling terminal (as in CI or cron)
};

ProcessResult Run(const std::vector<std::string>& argv, const ProcessOptions& options = {});
// A child's environment ("K=V" each): the inherited one, `env` added or overriding, `unset` removed. Built before a
// fork: a child of a threaded process must not allocate between fork and exec.
std::vector<std::string> ChildEnvironment(const std::map<std::string, std::string>& env,
                                          const std::vector<std::string>& unset);
std::string Slurp(const std::string& path);
// A TCP port on 127.0.0.1 that was free a moment ago (bound, read, closed).
int FreeLoopbackPort();
// A connected TCP socket to 127.0.0.1:port, or -1.
int ConnectLoopback(int port);

// Connection settings of the PostgreSQL server started by tests/harness/pg.sh (PGHOST, PGPORT, PGUSER,
// PGPASSWORD...). Fails the test (not skips) when the harness is not running: CI always runs it.
std::map<std::string, std::string> PgEnv();

}  // namespace capstan::test
