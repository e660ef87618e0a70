// The command-line conventions both binaries share: the common flags and their CAPSTAN_* variables, the version
// string, and RunMain's mapping of outcomes to exit codes (0 ok, 1 failed, 2 usage, 3 precondition).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>
#include <sstream>

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
        std::string("capstan ") + CAPSTAN_VERSION + " (commit " + CAPSTAN_GIT_COMMIT + ", built " +
            CAPSTAN_BUILD_DATE + ")");
}

TEST_CASE("RunMain: the failure hook gets each failure once, on one line, redacted, never a success or --help") {
  auto run = [](std::vector<std::string> args, const std::function<int()>& body) {
    CLI::App app{"test", "capstan-test"};
    cli::CommonOptions common;
    cli::AddCommonFlags(app, common);
    std::vector<char*> argv;
    args.insert(args.begin(), "capstan-test");
    for (auto& a : args) argv.push_back(a.data());
    std::vector<std::string> got;
    Quiet();
    std::ostringstream swallow;  // --help's text
    auto* old = std::cout.rdbuf(swallow.rdbuf());
    cli::RunMain(app, static_cast<int>(argv.size()), argv.data(), body,
                 [&](const std::string& m) { got.push_back(m); });
    std::cout.rdbuf(old);
    log::Configure(log::Options{});
    return got;
  };
  CHECK(run({}, [] { return 0; }).empty());
  CHECK(run({"--help"}, [] { return 0; }).empty());
  CHECK(run({}, [] { return 1; }).empty());  // an exit code without an error: the command said why itself
  CHECK(run({}, []() -> int { throw Error("failed at postgres://app:hunter2@db/x"); }) ==
        std::vector<std::string>{"failed at postgres://app:***@db/x"});
  CHECK(run({}, []() -> int { throw std::runtime_error("bug"); }) ==
        std::vector<std::string>{"internal error: bug (please report this as a bug)"});
  CHECK(run({"--log-fil", "x"}, [] { return 0; }) ==
        std::vector<std::string>{"unknown flag --log-fil (did you mean --log-file?); run 'capstan-test --help' for its flags"});
  auto cli11 = run({"--log-format", "yaml"}, [] { return 0; });  // CLI11's own two-line message
  REQUIRE(cli11.size() == 1);
  CHECK(cli11[0].find('\n') == std::string::npos);
  CHECK_THAT(cli11[0], Catch::Contains("--log-format"));
}
