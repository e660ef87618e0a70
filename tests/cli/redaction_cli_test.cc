// Credential redaction across every command of both binaries: each subcommand `capstan --help` lists (and
// capstan-postrender) is run with a credential in a URL, in a flag value, in an unexpected argument and in an
// environment variable the command reads, with text and JSON logs and --log-file; the credential must appear
// neither on stdout, nor on stderr, nor in the log file, whatever the command makes of the input.
#include <catch2/catch.hpp>

#include <set>

#include "support/test_support.h"
#include "util/file_io.h"
#include "util/strings.h"

using namespace capstan::test;
using capstan::FileExists;
using std::chrono::milliseconds;

namespace {

constexpr const char* kSecret = "Pw0rd-S3cret-77";

ProcessResult RunBinary(const std::string& binary, std::vector<std::string> args) {
  std::vector<std::string> argv = {Binary(binary)};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions o;
  o.timeout = milliseconds(30000);
  o.unset_env = {"KUBERNETES_SERVICE_HOST", "CAPSTAN_LOG_FORMAT", "PGPASSWORD", "PGHOST", "PGPORT"};
  o.env = {{"PGCONNECT_TIMEOUT", "2"}};
  return capstan::test::Run(argv, o);
}

// The subcommand names `capstan --help` lists under SUBCOMMANDS.
std::vector<std::string> Subcommands() {
  auto r = RunBinary("capstan", {"--help"});
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> out;
  bool in = false;
  for (const auto& line : capstan::Split(r.out, '\n')) {
    if (capstan::StartsWith(line, "SUBCOMMANDS") || capstan::StartsWith(line, "Subcommands")) {
      in = true;
      continue;
    }
    if (!in) continue;
    auto t = std::string(capstan::Trim(line));
    if (t.empty()) continue;
    if (!capstan::StartsWith(line, "  ")) break;
    if (line.size() > 2 && line[2] == ' ') continue;  // a continuation line of the summary
    out.push_back(t.substr(0, t.find_first_of(" \t")));
  }
  return out;
}

void CheckNoSecret(const std::string& what, const ProcessResult& r, const std::string& log) {
  INFO(what << "\nexit " << r.exit_code << "\nstderr: " << r.err.substr(0, 2000));
  CHECK(r.out.find(kSecret) == std::string::npos);
  CHECK(r.err.find(kSecret) == std::string::npos);
  if (FileExists(log)) CHECK(Slurp(log).find(kSecret) == std::string::npos);
}

}  // namespace

TEST_CASE("no command prints a credential it was given, on stdout, stderr or in --log-file") {
  auto commands = Subcommands();
  INFO("subcommands: " << capstan::Join(commands, ", "));
  REQUIRE(commands.size() >= 8);
  std::set<std::string> names(commands.begin(), commands.end());
  CHECK(names.count("wait") == 1);
  CHECK(names.count("migrate") == 1);
  CHECK(names.count("restore") == 1);
  TempDir t;
  const std::string url = std::string("postgres://app:") + kSecret + "@127.0.0.1:1/db";
  const std::vector<std::vector<std::string>> variants = {
      {"--url", url},
      {url},
      {std::string("--password=") + kSecret},
      {"--url", std::string("postgres://127.0.0.1:1/db?sslmode=disable&password=") + kSecret},
      {"--header", std::string("Authorization: Bearer ") + kSecret},
  };
  int run = 0;
  for (const auto& cmd : commands) {
    for (const auto& v : variants) {
      for (const char* format : {"text", "json"}) {
        std::string log = t.path() + "/log-" + std::to_string(run++);
        std::vector<std::string> args = {cmd};
        args.insert(args.end(), v.begin(), v.end());
        args.insert(args.end(), {"--log-format", format, "--log-file", log});
        CheckNoSecret("capstan " + capstan::Join(args, " "), RunBinary("capstan", args), log);
      }
    }
  }
  for (const auto& v : variants) {
    std::string log = t.path() + "/log-" + std::to_string(run++);
    std::vector<std::string> args = v;
    args.insert(args.end(), {"--log-file", log});
    CheckNoSecret("capstan-postrender " + capstan::Join(args, " "), RunBinary("capstan-postrender", args), log);
  }
}
