// The pod template digest of ordered start: the same for the same meaning (key order, quoting, flow or block
// style, merge keys), different for any change of a value or type, blind to what Capstan writes into the template.
#include <catch2/catch.hpp>

#include "manifest/template_digest.h"
#include "yaml/tree.h"

using namespace capstan;

namespace {

const manifest::TemplateDigestExclusions kEx{{"capstan.dev/config-digest", "capstan.dev/ordered-start-digest"},
                                             {"capstan-ordered-start", "capstan-mark-ready"}};

std::string D(const std::string& yaml) {
  yaml::Tree t = yaml::Tree::Parse(yaml);
  return manifest::TemplateDigest(t.root(), kEx);
}

const char* kBase = R"(metadata:
  labels: {app: cms}
spec:
  containers:
    - name: cms
      image: cms:1.0
      ports: [{containerPort: 8080}]
)";

}  // namespace

TEST_CASE("template digest: the same meaning gives the same digest") {
  std::string base = D(kBase);
  CHECK(base.rfind("sha256:", 0) == 0);
  CHECK(base.size() == 7 + 64);
  // Key order, quoting and flow/block layout do not count.
  CHECK(D("spec:\n  containers:\n    - {image: \"cms:1.0\", name: 'cms', ports: [{containerPort: 8080}]}\n"
          "metadata:\n  labels:\n    app: cms\n") == base);
  // A merge key that supplies the same entries.
  CHECK(D("metadata:\n  labels: &l {app: cms}\nspec:\n  containers:\n    - <<: {name: cms, image: cms:1.0}\n"
          "      ports: [{containerPort: 8080}]\n") == base);
  // What Capstan writes into the template is left out.
  CHECK(D(std::string(kBase).replace(0, 10, "metadata:\n  annotations: {capstan.dev/config-digest: x, "
                                            "capstan.dev/ordered-start-digest: y}\n")) == base);
  CHECK(D(std::string(kBase) + "  initContainers: [{name: capstan-ordered-start, image: capstan}]\n") ==
        D(std::string(kBase) + "  initContainers: []\n"));
}

TEST_CASE("template digest: any change of a value, a type or the structure changes it") {
  std::string base = D(kBase);
  CHECK(D(std::string(kBase).replace(std::string(kBase).find("cms:1.0"), 7, "cms:1.1")) != base);
  CHECK(D(std::string(kBase).replace(std::string(kBase).find("8080"), 4, "\"8080\"")) != base);  // int vs string
  CHECK(D(std::string(kBase) + "      args: [a]\n") != base);
  CHECK(D(std::string(kBase).replace(0, 10, "metadata:\n  annotations: {other: x}\n")) != base);
  // Sequence order counts (containers, args, env are ordered lists).
  std::string two = "spec:\n  containers:\n    - {name: a}\n    - {name: b}\n";
  std::string swapped = "spec:\n  containers:\n    - {name: b}\n    - {name: a}\n";
  CHECK(D(two) != D(swapped));
  // Length-prefixed: a key cannot forge a value boundary.
  CHECK(D("metadata: {labels: {ab: c}}\n") != D("metadata: {labels: {a: bc}}\n"));
  // Only the annotations and containers named are left out, and only where they are annotations and containers.
  CHECK(D("metadata:\n  labels: {capstan.dev/config-digest: x}\n") != D("metadata:\n  labels: {}\n"));
  CHECK(D("spec:\n  volumes: [{name: capstan-mark-ready}]\n") != D("spec:\n  volumes: []\n"));
}
