// Failures of capstan-postrender reach the user under the real Helm 4.1.4, which throws a post-renderer plugin's
// stderr away and says only `plugin "capstan" exited with error`: at a terminal (a pseudo-terminal, as a person
// sees it) the message is shown once, with where the log is; without one (CI) it is in the log file at the default
// location; under Helm 3.17.3, which shows the post-renderer's stderr itself, the message is shown once, not twice.
// And one argument configures everything: --config=FILE alone, or CAPSTAN_CONFIG alone.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "support/terminal_run.h"
#include "support/test_support.h"

using namespace capstan;

namespace {

std::string Chart() { return test::SourceDir() + "/tests/postrender/data/testchart"; }

// A private Helm home, the plugin from the build (HELM_PLUGINS), a private HOME and no CAPSTAN_* settings.
struct Env {
  test::TempDir dir;
  std::string home = dir.path() + "/home";
  // Helm 3 cannot read a postrenderer/v1 plugin.yaml (it warns): only Helm 4 gets HELM_PLUGINS.
  std::map<std::string, std::string> vars(int helm) const {
    std::map<std::string, std::string> v = {{"HELM_CONFIG_HOME", dir.path() + "/config"},
                                            {"HELM_DATA_HOME", dir.path() + "/data"},
                                            {"HELM_CACHE_HOME", dir.path() + "/cache"},
                                            {"HOME", home}};
    if (helm == 4) v["HELM_PLUGINS"] = test::BinaryDir() + "/helm-plugin";
    return v;
  }
  std::vector<std::string> unset() const {
    return {"XDG_STATE_HOME", "CAPSTAN_CONFIG", "CAPSTAN_LOG_FILE", "CAPSTAN_LOG_FORMAT", "HELM_NAMESPACE"};
  }
  std::string DefaultLog() const { return home + "/.local/state/capstan/postrender.log"; }
};

std::vector<std::string> HelmTemplate(int helm, const std::vector<std::string>& pr_args) {
  std::vector<std::string> argv = {test::Helm(helm), "template", "rel", Chart(), "-n", "ns", "--post-renderer",
                                   helm == 3 ? test::Binary("capstan-postrender") : "capstan"};
  for (const auto& a : pr_args) argv.insert(argv.end(), {"--post-renderer-args", a});
  return argv;
}

test::TerminalResult AtTerminal(int helm, const Env& e, const std::vector<std::string>& pr_args,
                                std::map<std::string, std::string> extra_env = {}) {
  test::TerminalOptions o;
  o.env = e.vars(helm);
  o.unset_env = e.unset();
  for (const auto& [k, v] : extra_env) {
    o.env[k] = v;
    o.unset_env.erase(std::remove(o.unset_env.begin(), o.unset_env.end(), k), o.unset_env.end());
  }
  return test::RunAtTerminal(HelmTemplate(helm, pr_args), o);
}

// Without a controlling terminal, as in CI.
test::ProcessResult Detached(int helm, const Env& e, const std::vector<std::string>& pr_args,
                             std::map<std::string, std::string> extra_env = {},
                             std::vector<std::string> unset = {}) {
  test::ProcessOptions o;
  o.env = e.vars(helm);
  o.unset_env = e.unset();
  for (const auto& [k, v] : extra_env) {
    o.env[k] = v;
    o.unset_env.erase(std::remove(o.unset_env.begin(), o.unset_env.end(), k), o.unset_env.end());
  }
  for (const auto& k : unset) {
    o.env.erase(k);
    o.unset_env.push_back(k);
  }
  o.new_session = true;
  return test::Run(HelmTemplate(helm, pr_args), o);
}

unsigned Mode(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

struct Failure {
  std::string name;
  std::vector<std::string> pr_args;
  std::string message;  // what the user must read
};

std::vector<Failure> Failures(const test::TempDir& t) {
  std::string bad = t.Write("capstan.yaml", "release: rel\npbd: true\n");
  std::string secret = t.Write("secret.yaml", "output: postgres://app:hunter2@db/portal\n");
  return {
      {"configuration file", {"--config=" + bad}, bad + ":2: unknown key 'pbd' (did you mean 'pdb'?)"},
      {"secret in a bad value", {"--config=" + secret}, "unknown value 'postgres://app:***@db/portal' for output"},
      {"flag", {"--wait-imag=x"}, "unknown flag --wait-imag (did you mean --wait-image?)"},
      {"input", {"--max-document-size=64"}, "larger than --max-document-size"},
      {"--strict finding", {"--release=rel", "--namespace=ns", "--strict"}, "Secret/external-credentials"},
  };
}

}  // namespace

TEST_CASE("helm 4 at a terminal: every failure is shown once, with where the log is, before Helm's own line") {
  Env e;
  test::TempDir t;
  for (const auto& f : Failures(t)) {
    INFO(f.name);
    auto r = AtTerminal(4, e, f.pr_args);
    INFO(r.screen);
    CHECK(r.exit_code == 1);
    CHECK(test::CountOf(r.screen, "capstan-postrender: error: ") == 1);
    CHECK(test::CountOf(r.screen, f.message) == 1);
    CHECK(r.screen.find("hunter2") == std::string::npos);
    size_t ours = r.screen.find("capstan-postrender: error: ");
    size_t theirs = r.screen.find("plugin \"capstan\" exited with error");  // Helm's final line, unchanged
    CHECK(ours < theirs);
    CHECK(theirs != std::string::npos);
    std::string line = r.screen.substr(ours, r.screen.find('\n', ours) - ours);
    CHECK_THAT(line, Catch::EndsWith("(log: " + e.DefaultLog() + ")"));
    std::string log = test::Slurp(e.DefaultLog());
    CHECK(test::CountOf(log, f.message) == 1);
    CHECK(log.find("hunter2") == std::string::npos);
    std::filesystem::remove(e.DefaultLog());
  }
  CHECK(Mode(e.home + "/.local/state/capstan") == 0700);
}

TEST_CASE("helm 4 without a terminal (CI): the failure is in the log file at the default location") {
  test::TempDir t;
  auto failures = Failures(t);
  SECTION("under $HOME/.local/state, created 0600, each line stamped with the time and the run's pid") {
    Env e;
    for (const auto& f : failures) {
      INFO(f.name);
      auto r = Detached(4, e, f.pr_args);
      CHECK(r.exit_code == 1);
      CHECK_THAT(r.err, Catch::Contains("plugin \"capstan\" exited with error"));
      CHECK(r.err.find(f.message) == std::string::npos);  // Helm 4 threw it away: the log is the only place
      CHECK(r.out.find(f.message) == std::string::npos);
      std::string log = test::Slurp(e.DefaultLog());
      CHECK(test::CountOf(log, f.message) == 1);
      CHECK(log.find("hunter2") == std::string::npos);
    }
    CHECK(Mode(e.DefaultLog()) == 0600);
    std::string log = test::Slurp(e.DefaultLog());
    std::string last = log.substr(log.rfind("\n20", log.size() - 2) + 1);  // the last run's line (a message may
    last = last.substr(0, last.find('\n'));                                  // go on over more lines)
    INFO(last);
    CHECK(last.size() > 30);
    CHECK(last[4] == '-');
    CHECK(last.substr(10, 1) == "T");
    CHECK_THAT(last, Catch::Contains("Z capstan-postrender["));
    CHECK_THAT(last, Catch::Contains("]: error: "));
  }
  SECTION("under $XDG_STATE_HOME when it is set") {
    Env e;
    std::string state = e.dir.path() + "/state";
    auto r = Detached(4, e, failures[0].pr_args, {{"XDG_STATE_HOME", state}});
    CHECK(r.exit_code == 1);
    CHECK_THAT(test::Slurp(state + "/capstan/postrender.log"), Catch::Contains(failures[0].message));
    CHECK_FALSE(std::filesystem::exists(e.DefaultLog()));
  }
  SECTION("--log-file or CAPSTAN_LOG_FILE instead of the default") {
    Env e;
    std::string flag_log = e.dir.path() + "/flag.log", env_log = e.dir.path() + "/env.log";
    std::vector<std::string> args = failures[3].pr_args;
    args.push_back("--log-file=" + flag_log);
    CHECK(Detached(4, e, args).exit_code == 1);
    CHECK_THAT(test::Slurp(flag_log), Catch::Contains(failures[3].message));
    CHECK(Detached(4, e, failures[0].pr_args, {{"CAPSTAN_LOG_FILE", env_log}}).exit_code == 1);
    CHECK_THAT(test::Slurp(env_log), Catch::Contains(failures[0].message));
    CHECK_FALSE(std::filesystem::exists(e.DefaultLog()));
  }
  SECTION("no HOME and no XDG_STATE_HOME: no log file, and the run is not worse for it") {
    Env e;
    auto r = Detached(4, e, {"--release=rel"}, {}, {"HOME"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("capstan.dev/config-digest"));
  }
}

TEST_CASE("helm 3 at a terminal: the failure is shown once (Helm 3 shows the post-renderer's stderr itself)") {
  Env e;
  test::TempDir t;
  for (const auto& f : Failures(t)) {
    INFO(f.name);
    auto r = AtTerminal(3, e, f.pr_args);
    INFO(r.screen);
    CHECK(r.exit_code == 1);
    CHECK(test::CountOf(r.screen, f.message) == 1);
    CHECK(r.screen.find("capstan-postrender: error: ") == std::string::npos);  // not written to the terminal again
    CHECK(r.screen.find("hunter2") == std::string::npos);
    CHECK_THAT(test::Slurp(e.DefaultLog()), Catch::Contains(f.message));  // and in the log as under Helm 4
  }
}

TEST_CASE("helm 4: one argument configures everything: --config=FILE alone, or CAPSTAN_CONFIG alone") {
  Env e;
  test::TempDir t;
  std::string report = t.path() + "/report.json", log = t.path() + "/capstan.log";
  std::string cfg = t.Write("capstan.yaml", "release: rel\nnamespace: ns\nreport: " + report + "\nlog-file: " + log +
                                                "\npdb: true\nsummary: true\n");
  auto check = [&](const test::ProcessResult& r) {
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("capstan.dev/config-digest: \"sha256:"));
    CHECK_THAT(r.out, Catch::Contains("kind: \"PodDisruptionBudget\""));  // pdb: true
    std::string rep = test::Slurp(report);
    CHECK_THAT(rep, Catch::Contains("\"release\": \"rel\""));
    CHECK_THAT(rep, Catch::Contains("\"namespace\": \"ns\""));
    CHECK_THAT(test::Slurp(log), Catch::Contains("capstan-postrender: "));  // the summary, in log-file
    CHECK_FALSE(std::filesystem::exists(e.DefaultLog()));
    std::filesystem::remove(report);
    std::filesystem::remove(log);
  };
  SECTION("--post-renderer-args --config=FILE") { check(Detached(4, e, {"--config=" + cfg})); }
  SECTION("CAPSTAN_CONFIG and no --post-renderer-args") { check(Detached(4, e, {}, {{"CAPSTAN_CONFIG", cfg}})); }
  SECTION("the same under helm 3") { check(Detached(3, e, {"--config=" + cfg})); }
}
