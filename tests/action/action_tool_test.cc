// The GitHub Action (action.yml) and the pre-commit hook (.pre-commit-hooks.yaml), run offline on this machine.
// The action: a fake release of the built binaries (capstan_V_linux_A.tar.gz for amd64 and arm64, and SHA256SUMS,
// as scripts/release.sh names them) served by `python3 -m http.server` on 127.0.0.1; tests/action/run_action.py
// runs action.yml's steps as the GitHub runner would (uses: steps recorded, not run) in a workspace holding
// charts/example-portal: good values pass with a SARIF report for upload-sarif, bad values fail with ::error
// annotations, a corrupted tarball fails on the checksum before anything runs. The hook: Debian's pre-commit
// clones a throw-away git repository holding the hook files at a commit, as a consumer's .pre-commit-config.yaml
// names it, and `git commit` runs it: a bad staged values file blocks the commit with lint's message, the fixed file
// passes. Tools (python3 with PyYAML, curl, sha256sum, git, pre-commit: scripts/setup.sh installs them) missing:
// "SKIPPED:".
#include <poll.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "proc/child_process.h"
#include "support/test_support.h"

using namespace capstan::test;

namespace {

const char* kVersion = "9.9.9";
const char* kPath = "/usr/local/bin:/usr/bin:/bin";  // no build directory: capstan must come from the release

// "" when every tool is there, else what is missing.
std::string MissingTools(const std::vector<std::string>& tools) {
  ProcessOptions o;
  o.env["PATH"] = kPath;
  std::string missing;
  for (const auto& t : tools) {
    if (Run({"sh", "-c", "command -v \"$0\"", t}, o).exit_code != 0) missing += " " + t;
  }
  if (missing.empty() && Run({"python3", "-c", "import yaml"}, o).exit_code != 0) missing += " python3-yaml";
  return missing;
}

bool Skip(const std::vector<std::string>& tools) {
  std::string missing = MissingTools(tools);
  if (missing.empty()) return false;
  std::printf("SKIPPED: missing%s (scripts/setup.sh installs them)\n", missing.c_str());
  WARN("SKIPPED: missing" << missing);
  return true;
}

void WriteFile(const std::string& path, const std::string& content) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << content;
  REQUIRE(f.good());
}

void Must(const std::vector<std::string>& argv, const std::string& cwd = "") {
  ProcessOptions o;
  o.cwd = cwd;
  ProcessResult r = Run(argv, o);
  INFO(argv[0] << ": " << r.out << r.err);
  REQUIRE(r.exit_code == 0);
}

// A release directory tree (v<V>/<files>) served over HTTP on a free loopback port.
class FakeRelease {
 public:
  FakeRelease() {
    std::string stage = dir_.path() + "/stage", rel = dir_.path() + "/srv/v" + kVersion;
    std::filesystem::create_directories(stage);
    std::filesystem::create_directories(rel);
    for (const char* bin : {"capstan", "capstan-postrender"})
      std::filesystem::copy_file(Binary(bin), stage + "/" + bin);
    for (const char* arch : {"amd64", "arm64"})
      Must({"tar", "-I", "gzip -1", "-cf", rel + "/" + Tarball(arch), "-C", stage, "capstan", "capstan-postrender"});
    Must({"sh", "-c", "sha256sum *.tar.gz > SHA256SUMS"}, rel);

    capstan::proc::ChildOptions c;
    c.argv = {capstan::proc::FindExecutable("python3", "", {}), "-u", "-m", "http.server", "0", "--bind",
              "127.0.0.1", "--directory", dir_.path() + "/srv"};
    c.pipe_stdout = true;
    server_ = std::make_unique<capstan::proc::Child>(c);
    // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{server_->stdout_fd(), POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      char buf[256];
      ssize_t n = ::read(server_->stdout_fd(), buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<size_t>(n));
    }
    auto at = line.find(" port ");
    INFO("http.server said: " << line);
    REQUIRE(at != std::string::npos);
    port_ = std::stoi(line.substr(at + 6));
  }

  static std::string Tarball(const std::string& arch) {
    return std::string("capstan_") + kVersion + "_linux_" + arch + ".tar.gz";
  }
  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string ReleaseDir() const { return dir_.path() + "/srv/v" + kVersion; }

 private:
  TempDir dir_;
  std::unique_ptr<capstan::proc::Child> server_;  // killed by its destructor
  int port_ = 0;
};

// A GitHub workspace: the example chart and a values/ folder.
class Workspace {
 public:
  Workspace() {
    std::filesystem::create_directories(dir_.path() + "/charts");
    std::filesystem::copy(SourceDir() + "/charts/example-portal", dir_.path() + "/charts/example-portal",
                          std::filesystem::copy_options::recursive);
    dir_.Write("values/custom_values.yaml", Slurp(SourceDir() + "/values/custom_values.yaml"));
    dir_.Write("values/env/production.yaml", Slurp(SourceDir() + "/values/env/production.yaml"));
  }
  const TempDir& dir() const { return dir_; }
  std::string path() const { return dir_.path(); }

 private:
  TempDir dir_;
};

struct ActionRun {
  ProcessResult process;
  rapidjson::Document record;
  const rapidjson::Value& Step(const std::string& name) const {
    for (const auto& s : record["steps"].GetArray())
      if (s["name"].GetString() == name) return s;
    FAIL("no step named " << name);
    return record["steps"][0];
  }
};

ActionRun RunAction(const Workspace& ws, const std::vector<std::string>& inputs, const std::string& action_ref = "") {
  std::vector<std::string> argv = {"python3", SourceDir() + "/tests/action/run_action.py",
                                   SourceDir() + "/action.yml", "--workspace", ws.path(),
                                   "--record", ws.path() + "/.record.json"};
  if (!action_ref.empty()) argv.insert(argv.end(), {"--action-ref", action_ref});
  for (const auto& i : inputs) argv.insert(argv.end(), {"--input", i});
  ProcessOptions o;
  o.env["PATH"] = kPath;
  o.timeout = std::chrono::milliseconds(180000);
  ActionRun r;
  r.process = Run(argv, o);
  UNSCOPED_INFO("stdout:\n" << r.process.out << "\nstderr:\n" << r.process.err);
  REQUIRE(r.process.exit_code != 3);  // the runner does not support something action.yml uses
  REQUIRE_FALSE(r.record.Parse(Slurp(ws.path() + "/.record.json").c_str()).HasParseError());
  return r;
}

const char* kInstall = "Install capstan (checksum verified)";
const char* kLint = "capstan values lint";
const char* kUpload = "Upload SARIF to code scanning";
const char* kFail = "Fail on findings";

const std::vector<std::string> kActionTools = {"python3", "curl", "sha256sum", "tar", "bash"};

}  // namespace

TEST_CASE("action: installs the checked release and lints good values, the SARIF goes to upload-sarif") {
  if (Skip(kActionTools)) return;
  FakeRelease release;
  Workspace ws;
  ActionRun r = RunAction(ws, {std::string("version=") + kVersion, "chart=charts/example-portal",
                               "values=values/custom_values.yaml\nvalues/env/production.yaml",
                               "base-url=" + release.BaseUrl()});
  CHECK(r.process.exit_code == 0);
  CHECK(std::string(r.record["conclusion"].GetString()) == "success");
  CHECK((r.process.out.find(FakeRelease::Tarball("amd64") + ": OK") != std::string::npos ||
         r.process.out.find(FakeRelease::Tarball("arm64") + ": OK") != std::string::npos));
  CHECK(r.process.out.find("::error") == std::string::npos);
  std::string installed = r.Step(kInstall)["outputs"]["path"].GetString();
  CHECK(installed.find(std::string("/capstan-") + kVersion + "-") != std::string::npos);
  CHECK(std::string(r.Step(kLint)["outputs"]["exit-code"].GetString()) == "0");
  CHECK(std::string(r.record["outputs"]["exit-code"].GetString()) == "0");

  const auto& upload = r.Step(kUpload);
  CHECK(upload["ran"].GetBool());
  CHECK(std::string(upload["uses"].GetString()).rfind("github/codeql-action/upload-sarif@", 0) == 0);
  std::string sarif = upload["with"]["sarif_file"].GetString();
  CHECK(sarif == "capstan-values-lint.sarif");
  CHECK(std::string(upload["with"]["category"].GetString()) == "capstan-values-lint");
  rapidjson::Document doc;
  REQUIRE_FALSE(doc.Parse(Slurp(ws.path() + "/" + sarif).c_str()).HasParseError());
  REQUIRE(doc["runs"][0]["tool"]["driver"]["rules"].IsArray());
  CHECK(doc["runs"][0]["tool"]["driver"]["rules"].Size() > 0);
  CHECK(doc["runs"][0]["results"].Size() == 0);
  CHECK_FALSE(r.Step(kFail)["ran"].GetBool());
}

TEST_CASE("action: bad values fail the job with ::error annotations, the version comes from the action's tag") {
  if (Skip(kActionTools)) return;
  FakeRelease release;
  Workspace ws;
  ws.dir().Write("values/bad.yaml", "app:\n  replicas: 2\n  imgae: acme/portal\ncountry: NO\n");
  ActionRun r = RunAction(ws, {"chart=charts/example-portal", "values=values/custom_values.yaml values/bad.yaml",
                               "sarif-file=reports/lint.sarif", "upload-sarif=true", "base-url=" + release.BaseUrl()},
                          std::string("v") + kVersion);
  CHECK(r.process.exit_code == 1);
  CHECK(std::string(r.record["conclusion"].GetString()) == "failure");
  CHECK(r.process.out.find("::error file=values/bad.yaml,line=3,col=3,title=capstan schema::app.imgae:") !=
        std::string::npos);
  CHECK(std::string(r.Step(kLint)["outputs"]["exit-code"].GetString()) == "1");
  // The findings still reach code scanning, then the last step fails the job.
  const auto& upload = r.Step(kUpload);
  CHECK(upload["ran"].GetBool());
  CHECK(std::string(upload["with"]["sarif_file"].GetString()) == "reports/lint.sarif");
  rapidjson::Document doc;
  REQUIRE_FALSE(doc.Parse(Slurp(ws.path() + "/reports/lint.sarif").c_str()).HasParseError());
  REQUIRE(doc["runs"][0]["tool"]["driver"]["rules"].IsArray());
  REQUIRE(doc["runs"][0]["results"].Size() > 0);
  CHECK(std::string(doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                        .GetString()) == "values/bad.yaml");
  CHECK(r.Step(kFail)["ran"].GetBool());
  CHECK(std::string(r.Step(kFail)["outcome"].GetString()) == "failure");
}

TEST_CASE("action: a corrupted tarball fails on the checksum before anything runs") {
  if (Skip(kActionTools)) return;
  FakeRelease release;
  Workspace ws;
  for (const char* arch : {"amd64", "arm64"}) {  // the runner's architecture is this machine's
    std::string path = release.ReleaseDir() + "/" + FakeRelease::Tarball(arch);
    std::string bytes = Slurp(path);
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x55);
    WriteFile(path, bytes);
  }
  ActionRun r = RunAction(ws, {std::string("version=") + kVersion, "chart=charts/example-portal",
                               "values=values/custom_values.yaml", "base-url=" + release.BaseUrl()});
  CHECK(r.process.exit_code == 1);
  CHECK(r.process.out.find("::error title=capstan install::checksum mismatch") != std::string::npos);
  CHECK(std::string(r.Step(kInstall)["outcome"].GetString()) == "failure");
  for (const char* later : {kLint, kUpload, kFail}) CHECK_FALSE(r.Step(later)["ran"].GetBool());
  CHECK_FALSE(std::filesystem::exists(ws.path() + "/capstan-values-lint.sarif"));
}

TEST_CASE("action: a release without the version asked for fails clearly") {
  if (Skip(kActionTools)) return;
  FakeRelease release;
  Workspace ws;
  ActionRun r = RunAction(ws, {"version=1.2.3", "chart=charts/example-portal", "base-url=" + release.BaseUrl()});
  CHECK(r.process.exit_code == 1);
  CHECK(r.process.out.find("::error title=capstan install::could not download " + release.BaseUrl() + "/v1.2.3/") !=
        std::string::npos);
  // No version input and no release tag (a branch): ask for the input.
  ActionRun b = RunAction(ws, {"chart=charts/example-portal", "base-url=" + release.BaseUrl()}, "main");
  CHECK(b.process.exit_code == 1);
  CHECK(b.process.out.find("no version: set the 'version' input") != std::string::npos);
}

TEST_CASE("pre-commit hook: a bad staged values file blocks the commit, the fixed file passes") {
  if (Skip({"git", "pre-commit", "bash"})) return;
  TempDir t;
  // The hook repository, as pre-commit clones it: the hook files at a commit.
  std::string hooks = t.path() + "/hooks";
  std::filesystem::create_directories(hooks + "/scripts");
  std::filesystem::copy_file(SourceDir() + "/.pre-commit-hooks.yaml", hooks + "/.pre-commit-hooks.yaml");
  std::filesystem::copy_file(SourceDir() + "/scripts/pre-commit-values-lint.sh",
                             hooks + "/scripts/pre-commit-values-lint.sh");  // keeps its executable bit
  std::filesystem::create_directories(t.path() + "/bin");
  std::filesystem::create_symlink(Binary("capstan"), t.path() + "/bin/capstan");

  ProcessOptions o;
  o.env = {{"HOME", t.path()}, {"PRE_COMMIT_HOME", t.path() + "/cache"}, {"GIT_CONFIG_NOSYSTEM", "1"},
           {"GIT_AUTHOR_NAME", "t"}, {"GIT_AUTHOR_EMAIL", "t@example.com"}, {"GIT_COMMITTER_NAME", "t"},
           {"GIT_COMMITTER_EMAIL", "t@example.com"}, {"PATH", t.path() + "/bin:" + kPath}};
  o.timeout = std::chrono::milliseconds(180000);
  auto git = [&](const std::string& cwd, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"git"};
    argv.insert(argv.end(), args.begin(), args.end());
    ProcessOptions oo = o;
    oo.cwd = cwd;
    return Run(argv, oo);
  };
  auto must = [&](const ProcessResult& r) {
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
  };
  must(git(hooks, {"init", "-q", "-b", "main"}));
  must(git(hooks, {"add", "-A"}));
  must(git(hooks, {"commit", "-q", "-m", "hooks"}));
  ProcessResult rev = git(hooks, {"rev-parse", "HEAD"});
  must(rev);
  std::string commit = rev.out.substr(0, rev.out.find('\n'));

  // The consumer: a chart, a base values file and the config naming the hook repository at that commit.
  std::string app = t.path() + "/app";
  std::filesystem::create_directories(app + "/charts");
  std::filesystem::copy(SourceDir() + "/charts/example-portal", app + "/charts/example-portal",
                        std::filesystem::copy_options::recursive);
  std::filesystem::create_directories(app + "/values");
  std::filesystem::copy_file(SourceDir() + "/values/custom_values.yaml", app + "/values/base.yaml");
  {
    std::string config = "repos:\n  - repo: " + hooks + "\n    rev: " + commit +
                         "\n    hooks:\n      - id: capstan-values-lint\n"
                         "        args: [--chart, charts/example-portal, -f, values/base.yaml]\n";
    WriteFile(app + "/.pre-commit-config.yaml", config);
  }
  must(git(app, {"init", "-q", "-b", "main"}));
  must(git(app, {"add", "-A"}));
  must(git(app, {"commit", "-q", "-m", "chart"}));
  {
    ProcessOptions oo = o;
    oo.cwd = app;
    must(Run({"pre-commit", "install"}, oo));
  }

  auto write = [&](const std::string& content) {
    WriteFile(app + "/values/prod.yaml", content);
    must(git(app, {"add", "values/prod.yaml"}));
  };
  write("app:\n  replicas: 2\n  imgae: acme/portal\n");
  ProcessResult bad = git(app, {"commit", "-m", "prod values"});
  INFO(bad.out << bad.err);
  CHECK(bad.exit_code != 0);
  std::string said = bad.out + bad.err;
  CHECK(said.find("capstan values lint") != std::string::npos);
  CHECK(said.find("Failed") != std::string::npos);
  CHECK(said.find("values/prod.yaml:3:3: error: app.imgae: property 'imgae' is not allowed") != std::string::npos);
  CHECK(said.find("did you mean 'image'?") != std::string::npos);

  write("app:\n  replicas: 2\n  image:\n    tag: \"1.10\"\n");
  ProcessResult good = git(app, {"commit", "-m", "prod values"});
  INFO(good.out << good.err);
  CHECK(good.exit_code == 0);
  CHECK((good.out + good.err).find("Passed") != std::string::npos);
  ProcessResult log = git(app, {"log", "--oneline"});
  CHECK(log.out.find("prod values") != std::string::npos);

  // The wrapper on its own: without capstan on PATH, and without --chart, it says what is missing (exit 2).
  ProcessOptions bare;
  bare.env["PATH"] = kPath;
  bare.cwd = app;
  std::string wrapper = SourceDir() + "/scripts/pre-commit-values-lint.sh";
  ProcessResult no_capstan = Run({"bash", wrapper, "--chart", "charts/example-portal", "values/prod.yaml"}, bare);
  CHECK(no_capstan.exit_code == 2);
  CHECK(no_capstan.err.find("'capstan' not found: put capstan on PATH") != std::string::npos);
  bare.env["CAPSTAN"] = Binary("capstan");
  ProcessResult no_chart = Run({"bash", wrapper, "values/prod.yaml"}, bare);
  CHECK(no_chart.exit_code == 2);
  CHECK(no_chart.err.find("no chart: give the hook args: [--chart, path/to/chart]") != std::string::npos);
  ProcessResult direct = Run({"bash", wrapper, "--chart=charts/example-portal", "--strict", "values/prod.yaml"}, bare);
  INFO(direct.out << direct.err);
  CHECK(direct.exit_code == 0);
}

TEST_CASE("action: strict makes warnings fail the job, a bad input stops it at the lint step") {
  if (Skip(kActionTools)) return;
  FakeRelease release;
  Workspace ws;
  ws.dir().Write("values/warn.yaml", "app:\n  replicas: 2\n  replicas: 3\n");  // duplicate-key: a warning
  std::vector<std::string> inputs = {std::string("version=") + kVersion, "chart=charts/example-portal",
                                     "values=values/warn.yaml", "base-url=" + release.BaseUrl()};
  ActionRun lax = RunAction(ws, inputs);
  CHECK(lax.process.exit_code == 0);
  CHECK(lax.process.out.find("::warning file=values/warn.yaml,line=2,col=3,title=capstan duplicate-key::") !=
        std::string::npos);

  inputs.push_back("strict=true");
  ActionRun strict = RunAction(ws, inputs);
  CHECK(strict.process.exit_code == 1);
  CHECK(strict.process.out.find("--strict") != std::string::npos);
  CHECK(strict.Step(kUpload)["ran"].GetBool());
  CHECK(std::string(strict.Step(kFail)["outcome"].GetString()) == "failure");
  CHECK(strict.process.out.find("the values have errors or warnings (strict)") != std::string::npos);

  inputs.push_back("helm-version=5");
  ActionRun bad = RunAction(ws, inputs);
  CHECK(bad.process.exit_code == 1);
  CHECK(bad.process.out.find("helm-version must be 3 or 4, not '5'") != std::string::npos);
  CHECK(std::string(bad.Step(kLint)["outcome"].GetString()) == "failure");
  CHECK_FALSE(bad.Step(kUpload)["ran"].GetBool());
  CHECK_FALSE(bad.Step(kFail)["ran"].GetBool());

  // A usage error from capstan itself (exit 2: no such file): no SARIF file is offered for upload.
  ActionRun missing = RunAction(ws, {std::string("version=") + kVersion, "chart=charts/example-portal",
                                     "values=values/nope.yaml", "base-url=" + release.BaseUrl()});
  CHECK(missing.process.exit_code == 1);
  CHECK(std::string(missing.Step(kLint)["outputs"]["exit-code"].GetString()) == "2");
  CHECK(missing.process.out.find("capstan could not lint (exit 2)") != std::string::npos);
  CHECK_FALSE(missing.Step(kUpload)["ran"].GetBool());
}

TEST_CASE("run_action.py: GitHub's expression and file-command semantics, and loud failures on the rest") {
  if (Skip({"python3", "bash"})) return;
  TempDir t;
  const std::string head = "name: t\ndescription: t\ninputs:\n  flag: {description: x, default: 'TRUE'}\n"
                           "runs:\n  using: composite\n  steps:\n";
  t.Write("ok/action.yml", head + R"(    - id: a
      shell: bash
      run: |
        echo "one=1" >> "$GITHUB_OUTPUT"
        { echo "multi<<EOF"; echo "x"; echo "y"; echo "EOF"; } >> "$GITHUB_OUTPUT"
        echo "FROM_ENV=hello" >> "$GITHUB_ENV"
        mkdir -p "$RUNNER_TEMP/bin" && printf '#!/bin/sh\necho tool-ran\n' > "$RUNNER_TEMP/bin/mytool"
        chmod +x "$RUNNER_TEMP/bin/mytool" && echo "$RUNNER_TEMP/bin" >> "$GITHUB_PATH"
    - name: case-insensitive
      if: inputs.flag == 'true' && steps.a.outputs.one == 1
      shell: bash
      env:
        M: ${{ steps.a.outputs.multi }}
      run: |
        echo "env=$FROM_ENV multi=$M ref=${{ github.action_ref }}"
        mytool
    - name: null-is-empty
      if: ${{ steps.a.outputs.missing == '' && !(runner.os != 'linux') }}
      shell: bash
      run: exit 7
    - name: after-failure
      shell: bash
      run: echo should-not-run
    - name: on-failure
      if: failure()
      shell: bash
      run: echo failure-seen
)");
  ProcessOptions o;
  o.env["PATH"] = kPath;
  auto run = [&](const std::string& dir, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {"python3", SourceDir() + "/tests/action/run_action.py",
                                     t.path() + "/" + dir + "/action.yml", "--workspace", t.path(),
                                     "--action-ref", "v1.2.3"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    ProcessResult r = Run(argv, o);
    UNSCOPED_INFO(dir << ": " << r.out << r.err);
    return r;
  };
  ProcessResult ok = run("ok");
  CHECK(ok.exit_code == 1);  // the step that exits 7 fails the action
  CHECK(ok.out.find("env=hello multi=x\ny ref=v1.2.3\ntool-ran\n") != std::string::npos);
  CHECK(ok.out.find("should-not-run") == std::string::npos);
  CHECK(ok.out.find("failure-seen") != std::string::npos);
  CHECK(run("ok", {"--input", "nope=1"}).exit_code == 3);

  t.Write("wd/action.yml", head + "    - shell: bash\n      working-directory: sub\n      run: 'true'\n");
  CHECK(run("wd").exit_code == 3);
  t.Write("fn/action.yml", head + "    - if: contains(inputs.flag, 'T')\n      shell: bash\n      run: 'true'\n");
  CHECK(run("fn").exit_code == 3);
  t.Write("sh/action.yml", head + "    - shell: sh\n      run: 'true'\n");
  CHECK(run("sh").exit_code == 3);
  t.Write("ctx/action.yml", head + "    - shell: bash\n      run: echo ${{ github.event_name }}\n");
  CHECK(run("ctx").exit_code == 3);
}
