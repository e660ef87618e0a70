// Child processes without a shell: exit codes and signals, stdout captured (and its bound), stderr's tail,
// environment set and unset, stdin through a pipe, and FindExecutable's search order.
#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "proc/child_process.h"
#include "support/test_support.h"
#include "util/error.h"

using namespace capstan;
using proc::ChildOptions;

namespace {
ChildOptions Sh(const std::string& script) {
  ChildOptions o;
  o.argv = {"/bin/sh", "-c", script};
  return o;
}
}  // namespace

TEST_CASE("RunCapture: stdout, exit code and the tail of stderr") {
  auto r = proc::RunCapture(Sh("printf 'out'; echo 'err line' >&2; exit 3"));
  CHECK(r.exit_code == 3);
  CHECK(r.out == "out");
  CHECK(r.err_tail == "err line");
  auto big = proc::RunCapture(Sh("head -c 5000 /dev/zero"), 1 << 20);
  CHECK(big.exit_code == 0);
  CHECK(big.out.size() == 5000);
  CHECK_THROWS_WITH(proc::RunCapture(Sh("head -c 5000 /dev/zero"), 100),
                    Catch::Contains("/bin/sh wrote more than 100 bytes to its output"));
}

TEST_CASE("the environment: set_env adds or replaces, unset_env removes, argv is passed as is") {
  ::setenv("CAPSTAN_PROC_TEST_KEEP", "kept", 1);
  ::setenv("CAPSTAN_PROC_TEST_DROP", "dropped", 1);
  auto o = Sh("printf '%s|%s|%s|%s' \"$CAPSTAN_PROC_TEST_KEEP\" \"${CAPSTAN_PROC_TEST_DROP-unset}\" \"$NEW\" \"$1\"");
  o.argv.push_back("argv0");
  o.argv.push_back("a b; $(not run)");
  o.set_env = {"NEW=new value", "CAPSTAN_PROC_TEST_KEEP=replaced"};
  o.unset_env = {"CAPSTAN_PROC_TEST_DROP"};
  auto r = proc::RunCapture(o);
  CHECK(r.out == "replaced|unset|new value|a b; $(not run)");
  ::unsetenv("CAPSTAN_PROC_TEST_KEEP");
  ::unsetenv("CAPSTAN_PROC_TEST_DROP");
}

TEST_CASE("Child: stdin through a pipe, stdout through a pipe, a signal is 128+N") {
  ChildOptions o;
  o.argv = {"/bin/cat"};
  o.pipe_stdin = true;
  o.pipe_stdout = true;
  proc::Child cat(o);
  std::string msg = "through the pipe";
  REQUIRE(::write(cat.stdin_fd(), msg.data(), msg.size()) == static_cast<ssize_t>(msg.size()));
  cat.CloseStdin();
  std::string got;
  char buf[256];
  for (ssize_t n; (n = ::read(cat.stdout_fd(), buf, sizeof buf)) > 0;) got.append(buf, static_cast<size_t>(n));
  CHECK(cat.Wait() == 0);
  CHECK(got == msg);
  proc::Child sleeper(Sh("sleep 30"));
  sleeper.Kill();
  CHECK(sleeper.Wait() == 128 + 9);
}

TEST_CASE("FindExecutable: the explicit path, then extra directories, then PATH") {
  test::TempDir dir;
  std::string tool = dir.Write("mytool", "#!/bin/sh\n");
  ::chmod(tool.c_str(), 0755);
  CHECK(proc::FindExecutable("mytool", "", {dir.path()}) == tool);
  CHECK(proc::FindExecutable("sh", "", {dir.path()}).find("/sh") != std::string::npos);
  CHECK(proc::FindExecutable("capstan-no-such-tool", "", {dir.path()}).empty());
  CHECK(proc::FindExecutable("anything", tool, {}) == tool);
  std::string plain = dir.Write("plain", "not executable");
  CHECK(proc::FindExecutable("plain", plain, {}).empty());  // an explicit path must be executable
  CHECK(proc::FindExecutable("plain", "", {dir.path()}).empty());
}
