// The pipeline with filters of its own test: which documents each step shows to a filter, that untouched bytes go
// out as they came, where errors point (input lines), and what is validated in documents nobody reads.
#include <catch2/catch.hpp>

#include <mutex>
#include <set>
#include <string>

#include "postrender/pipeline.h"
#include "util/error.h"
#include "yaml/snippet.h"

using namespace capstan;
using namespace capstan::postrender;

namespace {

// Observes ConfigMaps (reading their data), edits Deployments, appends one document.
class Probe : public Filter {
 public:
  const char* name() const override { return "probe"; }
  bool Observes(const DocInfo& info) const override { return info.object.kind == "ConfigMap"; }
  void Observe(const DocInfo& info, const yaml::Node& root) override {
    std::lock_guard<std::mutex> l(mu_);
    observed.insert(info.object.name + "=" + std::string(root.Get("data").Get("k").scalar()));
  }
  void Prepare(Report&) override { prepared = observed.size(); }
  bool Wants(const DocInfo& info) const override { return info.object.kind == "Deployment"; }
  void Apply(const DocInfo& info, const yaml::Node& root, yaml::Editor& editor, Report&) override {
    {
      std::lock_guard<std::mutex> l(mu_);
      applied.insert(info.object.name + "@" + info.namespace_ + " " + info.source);
    }
    editor.Set(root, {"metadata", "annotations", "probe"}, yaml::Snippet::String(std::to_string(prepared)));
  }
  std::vector<std::string> NewDocuments(Report&) override { return extra; }

  std::set<std::string> observed, applied;
  size_t prepared = 0;
  std::vector<std::string> extra;

 private:
  std::mutex mu_;
};

struct Result {
  std::string out;
  size_t edited = 0;
  size_t sink_calls = 0;
};

Result RunWith(const std::string& input, Probe* probe, unsigned threads = 2) {
  std::vector<std::unique_ptr<Filter>> filters;
  std::unique_ptr<Probe> owned;
  if (!probe) {
    owned = std::make_unique<Probe>();
    probe = owned.get();
  }
  struct Forward : Filter {  // the pipeline owns its filters: forward to the test's probe
    explicit Forward(Probe* p) : p_(p) {}
    const char* name() const override { return p_->name(); }
    bool Observes(const DocInfo& i) const override { return p_->Observes(i); }
    void Observe(const DocInfo& i, const yaml::Node& r) override { p_->Observe(i, r); }
    void Prepare(Report& r) override { p_->Prepare(r); }
    bool Wants(const DocInfo& i) const override { return p_->Wants(i); }
    void Apply(const DocInfo& i, const yaml::Node& r, yaml::Editor& e, Report& rep) override { p_->Apply(i, r, e, rep); }
    std::vector<std::string> NewDocuments(Report& r) override { return p_->NewDocuments(r); }
    Probe* p_;
  };
  filters.push_back(std::make_unique<Forward>(probe));
  PipelineOptions o;
  o.namespace_ = "rel-ns";
  o.threads = threads;
  Pipeline p(o, std::move(filters));
  Report report;
  Result r;
  r.edited = p.Run(input, [&](std::string_view s) { r.out.append(s); ++r.sink_calls; }, report);
  return r;
}

std::string ErrorOf(const std::string& input) {
  try {
    RunWith(input, nullptr);
  } catch (const capstan::Error& e) {
    return e.what();
  }
  return "no error";
}

const std::string kCrd =
    "---\n# Source: c/templates/crd.yaml\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
    "metadata:\n  name: foos.example.com\nspec:\n  group: example.com\n  names:   {kind: Foo}\n";
const std::string kConfig = "---\n# Source: c/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                            "  name: cm\ndata:\n  k: v1\n";
const std::string kDeploy = "---\n# Source: c/templates/web.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
                            "  name: web\n  namespace: prod\nspec:\n  replicas: 2 # keep\n";

}  // namespace

TEST_CASE("pipeline: observe, prepare, apply, write in order, untouched documents keep their bytes") {
  for (unsigned threads : {1u, 3u}) {
    Probe probe;
    probe.extra = {"apiVersion: v1\nkind: Extra"};
    std::string input = kCrd + kConfig + kDeploy + kCrd;
    Result r = RunWith(input, &probe, threads);
    CHECK(probe.observed == std::set<std::string>{"cm=v1"});
    CHECK(probe.prepared == 1);
    CHECK(probe.applied == std::set<std::string>{"web@prod c/templates/web.yaml"});
    CHECK(r.edited == 1);
    std::string edited_deploy = "---\n# Source: c/templates/web.yaml\napiVersion: apps/v1\nkind: Deployment\n"
                                "metadata:\n  annotations:\n    probe: \"1\"\n  name: web\n  namespace: prod\n"
                                "spec:\n  replicas: 2 # keep\n";
    CHECK(r.out == kCrd + kConfig + edited_deploy + kCrd + "---\napiVersion: v1\nkind: Extra\n");
  }
}

TEST_CASE("pipeline: nothing is written until every document passed, empty output says why") {
  Result r = RunWith("", nullptr);
  CHECK(r.out == "# capstan-postrender: the release renders no resources\n");
  std::string bad = kConfig + kDeploy + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [x\n";
  size_t calls = 0;
  std::vector<std::unique_ptr<Filter>> none;
  Pipeline p(PipelineOptions{}, std::move(none));
  Report report;
  CHECK_THROWS_AS(p.Run(bad, [&](std::string_view) { ++calls; }, report), capstan::Error);
  CHECK(calls == 0);
}

TEST_CASE("pipeline: errors name the input line, the document, the object and its source") {
  // a YAML error in a document some filter reads: the line of the error in the input
  CHECK_THAT(ErrorOf(kCrd + "---\n# Source: c/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                          "  name: cm\ndata:\n  k: [v1\n"),
             Catch::Contains("input line 18, document 1 (ConfigMap/cm, # Source: c/templates/cm.yaml): invalid YAML"));
  // the lines inside the message are input lines too
  CHECK_THAT(ErrorOf(kCrd + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n  a: c\n"),
             Catch::Contains("input line 17, document 1 (ConfigMap/x): invalid YAML: duplicate key 'a' (first at line 16)"));
  // a document that is not a mapping
  CHECK_THAT(ErrorOf(kCrd + "---\n- a\n"), Catch::Contains("input line 10, document 1: the document is a list"));
  // invalid UTF-8 in a comment-only document
  CHECK_THAT(ErrorOf(kCrd + "---\n# Source: c/templates/x.yaml\n# \xc0\xaf\n"),
             Catch::Contains("input line 12, document 1 (# Source: c/templates/x.yaml): invalid YAML: invalid UTF-8"));
  // an edit the data contradicts (annotations is a list): the line in the input, not in the document (issue 14)
  std::string listed = "---\n# Source: c/templates/web.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
                       "  name: web\n  annotations: [x]\n";
  CHECK_THAT(ErrorOf(kCrd + kCrd + listed), Catch::Contains("input line 19, document 2 (Deployment/web, # Source: "
                                                           "c/templates/web.yaml): cannot edit the YAML at line 25"));
  // '...' ends the document: what follows is reported where it is (issue 14)
  CHECK_THAT(ErrorOf(kCrd + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n...\ngarbage\n"),
             Catch::Contains("input line 16, document 1 (ConfigMap/x): invalid YAML: a second YAML document"));
}

TEST_CASE("pipeline: documents nobody reads are copied as bytes, validated as text only") {
  // The header scan reads this CRD exactly; no filter observes or edits a CRD, so its body is not parsed: an
  // error in it is Kubernetes' to report (Helm parses the output before applying it).
  std::string crd_with_bad_body = kCrd + "  versions: v1: v2\n";
  CHECK(RunWith(crd_with_bad_body, nullptr).out == crd_with_bad_body);
  // ... but text that is not UTF-8, or holds control characters, is refused in every document
  CHECK_THAT(ErrorOf(kCrd + "  description: \"\xff\"\n"), Catch::Contains("invalid UTF-8"));
  CHECK_THAT(ErrorOf(kCrd + std::string("  description: a\0b\n", 19)), Catch::Contains("control character U+0000"));
  // and a document the scan is unsure of is parsed, as before
  CHECK_THAT(ErrorOf("{apiVersion: v1, kind: Foo\n"), Catch::Contains("invalid YAML"));
  CHECK_THAT(ErrorOf("apiVersion: v1\nkind: Foo\nkind: Bar\n"), Catch::Contains("duplicate key 'kind'"));
}
