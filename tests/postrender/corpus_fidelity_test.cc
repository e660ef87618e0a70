// Fidelity on every real chart of ../shared/corpus, in both Helm input formats: untouched documents come out byte
// for byte; edited ones keep every existing value with the same YAML 1.1 type, their comments, scalar styles and
// key order, and differ only by what was injected; document order is kept.
#include <catch2/catch.hpp>

#include "manifest/stream.h"
#include "postrender_testing.h"
#include "support/test_support.h"
#include "yaml/tree.h"

using namespace capstan;

namespace {

std::vector<std::string> CorpusFiles() { return test::CorpusFiles(test::SharedDir() + "/corpus"); }

}  // namespace

TEST_CASE("corpus fidelity: every chart, both Helm input formats") {
  auto files = CorpusFiles();
  REQUIRE(files.size() == 86);
  size_t edited_docs = 0, untouched_docs = 0, annotated = 0;
  for (const auto& file : files) {
    INFO("corpus file " << file);
    std::string input = test::Slurp(file);
    postrender::Config cfg;
    cfg.pipeline.release = "rel";
    cfg.pipeline.namespace_ = "ns";
    postrender::Report report;
    std::string output = test::PostRender(input, cfg, &report);
    auto in_docs = manifest::Split(input);
    auto out_docs = manifest::Split(output);
    REQUIRE(in_docs.size() == out_docs.size());
    for (size_t i = 0; i < in_docs.size(); ++i) {
      INFO("document " << i);
      if (in_docs[i].text == out_docs[i].text) {
        ++untouched_docs;
        continue;
      }
      ++edited_docs;
      yaml::Tree a = yaml::Tree::Parse(in_docs[i].text);
      yaml::Tree b = yaml::Tree::Parse(out_docs[i].text);
      CHECK(test::OnlyInjected(test::TypedLines(a.root()), test::TypedLines(b.root())));
      CHECK(test::CommentLines(in_docs[i].text) == test::CommentLines(out_docs[i].text));
      // The postrender-filename annotation of Helm 4 input is kept.
      CHECK(manifest::Split(out_docs[i].text).front().source == in_docs[i].source);
    }
    for (const auto& w : report.Workloads())
      if (!w.digest.empty()) ++annotated;
  }
  // The corpus has hundreds of workloads that consume configuration: the check must have edited many of them.
  CHECK(edited_docs > 100);
  CHECK(untouched_docs > 1000);
  CHECK(annotated == edited_docs);
}

TEST_CASE("corpus: post-rendering twice gives the same output as once") {
  for (const auto& file : CorpusFiles()) {
    INFO("corpus file " << file);
    std::string input = test::Slurp(file);
    postrender::Config cfg;
    std::string once = test::PostRender(input, cfg);
    std::string twice = test::PostRender(once, cfg);
    CHECK(once == twice);
  }
}
