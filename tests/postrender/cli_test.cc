// capstan-postrender as a process: exit codes, nothing on stdout on failure, the static binary.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "support/test_support.h"

using namespace capstan;

namespace {
test::ProcessResult PostRender(const std::string& input, std::vector<std::string> args = {}) {
  std::vector<std::string> argv = {test::Binary("capstan-postrender"), "--no-summary"};
  argv.insert(argv.end(), args.begin(), args.end());
  test::ProcessOptions o;
  o.stdin_data = input;
  if (input.empty()) o.stdin_data = "";
  return test::Run(argv, o);
}
}  // namespace

TEST_CASE("bad input: exit 1, a located error, nothing on stdout") {
  struct Case {
    std::string name, input, expect;
  };
  std::string big = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n  k: \"" +
                    std::string(100u << 20, 'x') + "\"\n";
  std::string garbage;
  uint32_t x = 12345;
  for (int i = 0; i < 4096; ++i) {
    x = x * 1103515245 + 12345;
    garbage.push_back(static_cast<char>(x >> 24));
  }
  std::vector<Case> cases = {
      {"malformed", "---\n# Source: c/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: [x\n",
       "input line 6, document 0 (ConfigMap/?, # Source: c/templates/a.yaml): invalid YAML: flow sequence without a closing bracket"},
      {"tabs", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n", "input line 4, document 0"},
      {"non-mapping", "---\napiVersion: v1\n---\n- just\n- a list\n", "document 1: the document is a list"},
      {"duplicate keys", "apiVersion: v1\nkind: Secret\nkind: ConfigMap\n", "duplicate key 'kind'"},
      {"100 MB document", big, "larger than --max-document-size"},
      {"binary garbage", garbage, "invalid YAML"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    auto r = PostRender(c.input);
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::Contains(c.expect));
  }
}

TEST_CASE("usage errors exit 2, empty input still produces output") {
  CHECK(PostRender("", {"--no-such-flag"}).exit_code == 2);
  CHECK(PostRender("", {"--hmac-key-file", "/nonexistent/key"}).exit_code == 2);
  auto r = PostRender("");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "# capstan-postrender: the release renders no resources\n");
  auto v = test::Run({test::Binary("capstan-postrender"), "--version"});
  CHECK(v.exit_code == 0);
  CHECK_THAT(v.out, Catch::StartsWith("capstan-postrender 0.1.0 (commit "));
}

TEST_CASE("the configuration file sets defaults, flags override it, unknown keys are refused") {
  test::TempDir t;
  std::string cfg = t.Write("capstan.yaml", "checksum:\n  annotation: example.com/digest\n  env: DIGEST\n");
  std::string doc = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n"
                    "      envFrom: [{configMapRef: {name: cm}}]\n";
  auto r = PostRender(doc, {"--config", cfg});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("example.com/digest: \"sha256:") != std::string::npos);
  CHECK(r.out.find("\"DIGEST\"") != std::string::npos);
  r = PostRender(doc, {"--config", cfg, "--annotation", "flag.example.com/digest"});
  CHECK(r.out.find("flag.example.com/digest: ") != std::string::npos);
  std::string bad = t.Write("bad.yaml", "checksum:\n  anotation: x\n");
  r = PostRender(doc, {"--config", bad});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("bad.yaml:2: unknown key 'anotation' (did you mean 'annotation'?)"));
}

TEST_CASE("typos: unknown flags get a did-you-mean, file keys are the flag names, env CAPSTAN_<FLAG>") {
  auto r = PostRender("", {"--wait-imag", "x"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("unknown flag --wait-imag (did you mean --wait-image?)"));
  r = PostRender("", {"-o", "jsn", "--check"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--output: unknown value 'jsn' for output (did you mean 'json'?)"));

  test::TempDir t;
  std::string doc = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n"
                    "      envFrom: [{configMapRef: {name: cm}}]\n";
  std::string cfg = t.Write("capstan.yaml", "annotation: file.example.com/digest\ndigest-env: DIGEST\n");
  r = PostRender(doc, {"--config", cfg});
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("deprecated") == std::string::npos);
  CHECK(r.out.find("file.example.com/digest: \"sha256:") != std::string::npos);
  CHECK(r.out.find("\"DIGEST\"") != std::string::npos);
  test::ProcessOptions o;
  o.stdin_data = doc;
  o.env = {{"CAPSTAN_ANNOTATION", "env.example.com/digest"}, {"CAPSTAN_SUMMARY", "false"}};
  r = test::Run({test::Binary("capstan-postrender"), "--config", cfg}, o);
  CHECK(r.out.find("env.example.com/digest: ") != std::string::npos);
  CHECK(r.err.empty());
  std::string old = t.Write("old.yaml", "checksum:\n  annotation: old.example.com/digest\n");
  r = PostRender(doc, {"--config", old});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("old.example.com/digest: ") != std::string::npos);
  CHECK_THAT(r.err, Catch::Contains("old.yaml:2: the key 'checksum.annotation' is deprecated: write 'annotation'"));
  std::string typo = t.Write("typo.yaml", "release: r\npbd: true\n");
  r = PostRender(doc, {"--config", typo});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("typo.yaml:2: unknown key 'pbd' (did you mean 'pdb'?)"));
}

#if CAPSTAN_STATIC_BUILD
TEST_CASE("capstan-postrender is linked fully statically") {
  auto r = test::Run({"ldd", test::Binary("capstan-postrender")});
  CHECK_THAT(r.out + r.err, Catch::Contains("not a dynamic executable"));
}
#endif

TEST_CASE("check mode: findings on stdout as text or JSON, exit 1 with --fail-on") {
  std::string doc = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: one\nspec:\n  template:\n    spec:\n"
                    "      containers: [{name: c, image: i, readinessProbe: {tcpSocket: {port: 1}}}]\n";
  auto r = PostRender(doc, {"--check"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "<stdin>:4: warning: Deployment/one: 1 replica: every upgrade and node drain interrupts it; run 2 or "
                 "more with a PodDisruptionBudget [single-replica] (in document 0)\n0 errors, 1 warning, 0 infos in 1 "
                 "file\n");
  r = PostRender(doc, {"--check", "--fail-on", "warning", "-o", "json"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("\"single-replica\"") != std::string::npos);
  r = PostRender(doc, {"--check", "-o", "sarif"});
  CHECK(r.out.find("\"version\": \"2.1.0\"") != std::string::npos);
  CHECK(PostRender(doc, {"--check", "--fail-on", "error"}).exit_code == 0);
}
