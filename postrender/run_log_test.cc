// Where capstan-postrender's failures go: the default log path (XDG state directory, else ~/.local/state), the log
// file's precedence (--log-file, CAPSTAN_LOG_FILE, the file's log-file, the default), Helm 4 plugin detection (the
// terminal is written only then), the terminal line, and an exception that escapes everything.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <exception>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "log/log.h"
#include "postrender/config.h"
#include "postrender/run_log.h"
#include "support/test_support.h"

using namespace capstan;
using postrender::Getenv;

namespace {

Getenv EnvOf(std::map<std::string, std::string> vars) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(vars));
  return [shared](const char* name) -> const char* {
    auto it = shared->find(name);
    return it == shared->end() ? nullptr : it->second.c_str();
  };
}

struct Argv {
  std::vector<std::string> args;
  std::vector<char*> ptrs;
  explicit Argv(std::vector<std::string> a) : args(std::move(a)) {
    args.insert(args.begin(), "capstan-postrender");
    for (auto& s : args) ptrs.push_back(s.data());
  }
  int argc() { return static_cast<int>(ptrs.size()); }
  char** argv() { return ptrs.data(); }
};

}  // namespace

TEST_CASE("run log: the default path is under XDG_STATE_HOME (absolute), else ~/.local/state") {
  using postrender::DefaultLogPath;
  CHECK(DefaultLogPath(EnvOf({{"XDG_STATE_HOME", "/s"}, {"HOME", "/h"}})) == "/s/capstan/postrender.log");
  CHECK(DefaultLogPath(EnvOf({{"XDG_STATE_HOME", "relative"}, {"HOME", "/h"}})) ==
        "/h/.local/state/capstan/postrender.log");  // the XDG spec: a relative path is ignored
  CHECK(DefaultLogPath(EnvOf({{"XDG_STATE_HOME", ""}, {"HOME", "/h/"}})) == "/h/.local/state/capstan/postrender.log");
  CHECK(DefaultLogPath(EnvOf({{"HOME", "/"}})) == "/.local/state/capstan/postrender.log");
  CHECK(DefaultLogPath(EnvOf({})).empty());
}

TEST_CASE("run log: --log-file (either form), then CAPSTAN_LOG_FILE, then the file's log-file, then the default") {
  cli::CommonOptions common;
  Getenv env = EnvOf({{"HOME", "/h"}});
  Argv none({"--release", "r"});
  CHECK(postrender::RunLog(none.argc(), none.argv(), common, env).Path() == "/h/.local/state/capstan/postrender.log");
  common.log_file = "/from/file.log";
  CHECK(postrender::RunLog(none.argc(), none.argv(), common, env).Path() == "/from/file.log");
  Getenv with_var = EnvOf({{"HOME", "/h"}, {"CAPSTAN_LOG_FILE", "/from/env.log"}});
  CHECK(postrender::RunLog(none.argc(), none.argv(), common, with_var).Path() == "/from/env.log");
  Argv spaced({"--log-file", "/from/flag.log"}), joined({"-q", "--log-file=/joined.log"});
  CHECK(postrender::RunLog(spaced.argc(), spaced.argv(), common, with_var).Path() == "/from/flag.log");
  CHECK(postrender::RunLog(joined.argc(), joined.argv(), common, with_var).Path() == "/joined.log");
  Argv after_dashes({"--", "--log-file=/no.log"});
  CHECK(postrender::FlagValue(after_dashes.argc(), after_dashes.argv(), "--log-file").empty());
}

TEST_CASE("run log: Helm 4's plugin is recognised by HELM_PLUGIN_DIR holding the executable") {
  test::TempDir d;
  std::filesystem::create_directories(d.path() + "/plugins/capstan/bin");
  std::string exe = d.Write("plugins/capstan/bin/capstan-postrender", "#!/bin/sh\n");
  std::filesystem::create_directory_symlink(d.path() + "/plugins/capstan", d.path() + "/dev-link");
  std::filesystem::create_directories(d.path() + "/plugins/capstan-other");
  CHECK(postrender::IsHelm4Plugin(EnvOf({{"HELM_PLUGIN_DIR", d.path() + "/plugins/capstan"}}), exe));
  CHECK(postrender::IsHelm4Plugin(EnvOf({{"HELM_PLUGIN_DIR", d.path() + "/dev-link"}}), exe));  // helm plugin install of a dir
  CHECK_FALSE(postrender::IsHelm4Plugin(EnvOf({}), exe));  // Helm 3, or run by hand
  CHECK_FALSE(postrender::IsHelm4Plugin(EnvOf({{"HELM_PLUGIN_DIR", d.path() + "/plugins/capstan-other"}}), exe));
  CHECK_FALSE(postrender::IsHelm4Plugin(EnvOf({{"HELM_PLUGIN_DIR", d.path() + "/missing"}}), exe));
  // The test binary is no plugin: HELM_PLUGIN_DIR of another plugin (helm-diff running helm 3) does not count.
  CHECK_FALSE(postrender::IsHelm4Plugin(EnvOf({{"HELM_PLUGIN_DIR", d.path() + "/plugins/capstan"}})));
}

TEST_CASE("run log: the terminal line names the log, redacted, and the log gets the failure before the flags parse") {
  test::TempDir d;
  cli::CommonOptions common;
  Argv none({});
  std::string log_path = d.path() + "/state/capstan/postrender.log";
  postrender::RunLog run(none.argc(), none.argv(), common, EnvOf({{"XDG_STATE_HOME", d.path() + "/state"}}));
  run.OnFailure("unknown flag --x; token=abcdef123");  // before Configure: RunLog writes it to the file itself
  CHECK(run.TerminalLine("bad value postgres://u:hunter2@db/x") ==
        "capstan-postrender: error: bad value postgres://u:***@db/x (log: " + log_path + ")\n");
  std::string content = test::Slurp(log_path);
  CHECK_THAT(content, Catch::Contains("capstan-postrender["));
  CHECK_THAT(content, Catch::Contains("]: error: unknown flag --x; token=***\n"));
  log::Configure(log::Options{});

  postrender::RunLog nowhere(none.argc(), none.argv(), common, EnvOf({}));
  nowhere.Configure();
  CHECK_THAT(nowhere.TerminalLine("m"), Catch::EndsWith("(no log file: set HOME or --log-file)\n"));
  common.log_file = d.path() + "/missing-dir/x.log";  // named by the user: not created, not fatal
  postrender::RunLog unwritable(none.argc(), none.argv(), common, EnvOf({}));
  unwritable.Configure();
  CHECK_THAT(unwritable.TerminalLine("m"), Catch::Contains("(log not written: cannot open " + common.log_file));
  log::Configure(log::Options{});
}

TEST_CASE("run log: an exception that escapes everything is logged as an internal error before the abort") {
  test::TempDir d;
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(2);  // the child's stderr line is not this test's output
    static cli::CommonOptions common;
    static Argv none({});
    static postrender::RunLog run(none.argc(), none.argv(), common, EnvOf({{"XDG_STATE_HOME", d.path()}}));
    run.InstallTerminateHandler();
    try {
      throw std::runtime_error("boom");
    } catch (...) {
      std::terminate();
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGABRT);
  CHECK_THAT(test::Slurp(d.path() + "/capstan/postrender.log"),
             Catch::Contains("]: error: internal error: boom (please report this as a bug)\n"));
}
