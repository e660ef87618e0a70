// The command-line conventions both binaries share: the common flags and their CAPSTAN_* variables, the version
// string, and RunMain's mapping of outcomes to exit codes (0 ok, 1 failed, 2 usage, 3 precondition).
#include <catch2/catch.hpp>

#include <cstdlib>

#include "capstan_version.h"
#include "cli/cli.h"
#include "log/log.h"
#include "util/error.h"

using namespace capstan;

namespace {

int Run(std::vector<std::string> args, const std::function<int()>& body, cli::CommonOptions* out = nullptr) {
  CLI::App app{"test", "capstan-test"};
  cli::CommonOptions common;
  cli::AddCommonFlags(app, common);
  std::vector<char*> argv;
  args.insert(args.begin(), "capstan-test");
  for (auto& a : args) argv.push_back(a.data());
  int rc = cli::RunMain(app, static_cast<int>(argv.size()), argv.data(), [&] {
    if (out) *out = common;
    return body();
  });
  log::Configure(log::Options{});
  return rc;
}

void Quiet() {
  log::Options o;
  o.level = log::Level::kOff;
  log::Configure(o);
}

}  // namespace

TEST_CASE("RunMain: the body's exit code, errors mapped to their exit codes") {
  CHECK(Run({}, [] { return 0; }) == kExitOk);
  CHECK(Run({}, [] { return 7; }) == 7);
  Quiet();
  CHECK(Run({}, []() -> int { throw Error("failed"); }) == kExitFailed);
  Quiet();
  CHECK(Run({}, []() -> int { throw UsageError("bad"); }) == kExitUsage);
  Quiet();
  CHECK(Run({}, []() -> int { throw PreconditionError("unreachable"); }) == kExitPrecondition);
  Quiet();
  CHECK(Run({}, []() -> int { throw std::runtime_error("bug"); }) == kExitFailed);
  Quiet();
  CHECK(Run({"--no-such-flag"}, [] { return 0; }) == kExitUsage);
  Quiet();
  CHECK(Run({"--log-format", "yaml"}, [] { return 0; }) == kExitUsage);
}

TEST_CASE("the common flags and their environment variables") {
  cli::CommonOptions got;
  CHECK(Run({"--log-format", "json", "-v", "-v", "--log-file", "/tmp/x.log"}, [] { return 0; }, &got) == 0);
  CHECK(got.log_format == "json");
  CHECK(got.verbose == 2);
  CHECK(got.log_file == "/tmp/x.log");
  CHECK_FALSE(got.quiet);
  ::setenv("CAPSTAN_LOG_FORMAT", "text", 1);
  CHECK(Run({"-q"}, [] { return 0; }, &got) == 0);
  ::unsetenv("CAPSTAN_LOG_FORMAT");
  CHECK(got.log_format == "text");
  CHECK(got.quiet);
}

TEST_CASE("ApplyCommonFlags configures logging, VersionString names binary, version and commit") {
  cli::CommonOptions o;
  o.log_format = "json";
  o.quiet = true;
  cli::ApplyCommonFlags(o);
  CHECK(log::Current().format == log::Format::kJson);
  CHECK(log::Current().level == log::Level::kWarn);
  o.quiet = false;
  o.verbose = 1;
  o.log_format = "text";
  cli::ApplyCommonFlags(o);
  CHECK(log::Current().level == log::Level::kDebug);
  CHECK(log::Current().format == log::Format::kText);
  log::Configure(log::Options{});
  CHECK(cli::VersionString("capstan") ==
        std::string("capstan ") + CAPSTAN_VERSION + " (commit " + CAPSTAN_GIT_COMMIT + ")");
}
