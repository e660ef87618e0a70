// The post-renderer on the corpus the project collected itself (issue 12 item 1): public charts from publishers
// beyond ../shared/corpus, kept outside the repository in $CAPSTAN_EXTRA_CORPUS (default <project>/../corpus-extra;
// its README.md says how it is made). Over every file, both Helm input formats: the binary never refuses (exit 0, with
// and without --waits), untouched documents come out byte for byte, edited ones read back as their input plus the
// injected fields, and every pod template that consumes a ConfigMap or Secret of the release carries the digest.
// Six charts also go through real Helm 3 (--post-renderer) and Helm 4 (the plugin). Without the corpus every test
// exits 77, which ctest reports as skipped (SKIP_RETURN_CODE): never a silent pass.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "manifest/stream.h"
#include "postrender_testing.h"
#include "support/test_support.h"
#include "yaml/tree.h"

using namespace capstan;

namespace {

constexpr int kSkipped = 77;  // SKIP_RETURN_CODE of this target (CMakeLists.txt)

std::string CorpusDir() {
  if (const char* s = std::getenv("CAPSTAN_EXTRA_CORPUS"); s && *s) return s;
  return test::SourceDir() + "/../corpus-extra";
}

// The corpus files; exits kSkipped (ctest: skipped) when the corpus is absent.
std::vector<std::string> FilesOrSkip() {
  std::string dir = CorpusDir();
  if (!std::filesystem::is_directory(dir + "/rendered") || !std::filesystem::is_directory(dir + "/helm4-input")) {
    std::printf("SKIPPED: no extra corpus at %s (rendered/ and helm4-input/); build it (its tools/build.py) or set "
                "CAPSTAN_EXTRA_CORPUS\n", dir.c_str());
    std::fflush(stdout);
    std::exit(kSkipped);
  }
  auto files = test::CorpusFiles(dir);
  INFO("extra corpus " << dir);
  // At least 60 charts, each in both formats: a partial or emptied corpus must not pass.
  REQUIRE(files.size() >= 120);
  REQUIRE(files.size() % 2 == 0);
  return files;
}

test::ProcessResult PostRenderBinary(const std::string& input, std::vector<std::string> extra = {}) {
  std::vector<std::string> argv = {test::Binary("capstan-postrender"), "--release=rel", "--namespace=ns", "--no-summary"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  test::ProcessOptions o;
  o.stdin_data = input;
  return test::Run(argv, o);
}

// INDEX.tsv: file -> the helm template arguments of that chart (paths made absolute).
std::map<std::string, std::vector<std::string>> HelmArgs() {
  std::map<std::string, std::vector<std::string>> out;
  std::ifstream in(CorpusDir() + "/INDEX.tsv");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, '\t');) cols.push_back(c);
    if (cols.size() < 10) continue;
    std::vector<std::string> args;
    std::stringstream as(cols[9]);
    for (std::string a; as >> a;)
      if (a != "-") args.push_back(a.rfind("tools/", 0) == 0 ? CorpusDir() + "/" + a : a);
    out[cols[0]] = args;
  }
  return out;
}

}  // namespace

TEST_CASE("extra corpus: no chart is refused with or without --waits") {
  size_t runs = 0;
  for (const auto& file : FilesOrSkip()) {
    std::string input = test::Slurp(file);
    for (bool waits : {false, true}) {
      auto r = waits ? PostRenderBinary(input, {"--waits", "--wait-image", "x"}) : PostRenderBinary(input);
      INFO(file << (waits ? " with --waits" : "") << "\nstderr: " << r.err);
      CHECK(r.exit_code == 0);
      CHECK_FALSE(r.out.empty());
      ++runs;
    }
  }
  CHECK(runs >= 240);
}

TEST_CASE("extra corpus: untouched documents stay byte for byte and edits only inject the digest every consumer gets") {
  size_t edited_docs = 0, untouched_docs = 0, consumers_seen = 0;
  for (const auto& file : FilesOrSkip()) {
    INFO("corpus file " << file);
    std::string input = test::Slurp(file);
    auto r = PostRenderBinary(input);
    INFO("stderr: " << r.err);
    CHECK(r.exit_code == 0);
    if (r.exit_code != 0) continue;
    auto in_docs = manifest::Split(input);
    auto out_docs = manifest::Split(r.out);
    REQUIRE(in_docs.size() == out_docs.size());
    for (size_t i = 0; i < in_docs.size(); ++i) {
      if (in_docs[i].text == out_docs[i].text) {
        ++untouched_docs;
        continue;
      }
      INFO("document " << i << " at line " << in_docs[i].first_line + 1);
      ++edited_docs;
      yaml::Tree a = yaml::Tree::Parse(in_docs[i].text);
      yaml::Tree b = yaml::Tree::Parse(out_docs[i].text);
      CHECK(test::OnlyInjected(test::TypedLines(a.root()), test::TypedLines(b.root())));
      CHECK(test::CommentLines(in_docs[i].text) == test::CommentLines(out_docs[i].text));
      CHECK(in_docs[i].source == out_docs[i].source);
    }
    auto digests = test::Digests(r.out);
    for (const auto& w : test::ConsumersOfReleaseConfig(input, "ns")) {
      INFO("workload " << w << " consumes a ConfigMap or Secret of the release");
      CHECK(digests.count(w) == 1);
      ++consumers_seen;
    }
  }
  // The corpus was chosen for workloads that consume configuration: the checks must have had work to do.
  CHECK(edited_docs > 100);
  CHECK(untouched_docs > 1000);
  CHECK(consumers_seen > 100);
}

TEST_CASE("extra corpus: real Helm 3 and Helm 4 post-render charts with quoted annotation keys") {
  FilesOrSkip();
  auto args = HelmArgs();
  for (int helm : {3, 4}) {
    test::TempDir home;
    test::ProcessOptions o;
    o.env = {{"HELM_CONFIG_HOME", home.path() + "/config"},
             {"HELM_DATA_HOME", home.path() + "/data"},
             {"HELM_CACHE_HOME", home.path() + "/cache"}};
    if (helm == 4) {
      auto r = test::Run({test::Helm(4), "plugin", "install", test::BinaryDir() + "/helm-plugin/capstan"}, o);
      INFO(r.out << r.err);
      REQUIRE(r.exit_code == 0);
    }
    // Quoted first keys in test pods (jenkins, argo-cd, mattermost) and in a Deployment's pod template (consul).
    for (const char* name : {"jenkinsci__jenkins", "argoproj__argo-cd", "mattermost__mattermost-team-edition",
                             "hashicorp__consul", "bjw-s__app-template", "nextcloud__nextcloud"}) {
      INFO("helm " << helm << ", chart " << name);
      std::string chart = CorpusDir() + "/charts/" + name + "/" + std::string(name).substr(std::string(name).find("__") + 2);
      REQUIRE(std::filesystem::is_directory(chart));
      REQUIRE(args.count(std::string(name) + ".yaml"));
      std::vector<std::string> argv = {test::Helm(helm), "template", "rel", chart, "-n", "ns", "--include-crds"};
      const auto& extra = args[std::string(name) + ".yaml"];
      argv.insert(argv.end(), extra.begin(), extra.end());
      argv.insert(argv.end(), {"--post-renderer", helm == 3 ? test::Binary("capstan-postrender") : "capstan",
                               "--post-renderer-args", "--release=rel", "--post-renderer-args", "--namespace=ns"});
      auto r = test::Run(argv, o);
      INFO("stderr: " << r.err);
      CHECK(r.exit_code == 0);
      if (r.exit_code != 0) continue;
      auto digests = test::Digests(r.out);
      // Helm 3 gives hooks (test pods included) to no post-renderer; Helm 4 gives it everything.
      auto consumers = test::ConsumersOfReleaseConfig(r.out, "ns", helm == 4);
      CHECK_FALSE(consumers.empty());
      for (const auto& w : consumers) {
        INFO("workload " << w);
        CHECK(digests.count(w) == 1);
      }
    }
  }
}

int main(int argc, char* argv[]) {
  int failed = Catch::Session().run(argc, argv);
  // Catch returns the number of failed assertions; never let it read as "skipped".
  return failed == 0 ? 0 : 1;
}
