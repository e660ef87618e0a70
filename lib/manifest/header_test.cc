// ScanHeader: it answers exactly what Describe() reads from the parsed document, or gives up.
#include <catch2/catch.hpp>

#include "manifest/header.h"
#include "yaml/tree.h"

using namespace capstan;
using manifest::ScanHeader;

namespace {

// The scan answers and agrees with the parser on every field.
void Agrees(const std::string& text) {
  INFO(text);
  auto scanned = ScanHeader(text);
  REQUIRE(scanned);
  yaml::Tree tree = yaml::Tree::Parse(text);
  manifest::ObjectInfo parsed = manifest::Describe(tree.root());
  CHECK(scanned->is_object == parsed.is_object);
  CHECK(scanned->api_version == parsed.api_version);
  CHECK(scanned->kind == parsed.kind);
  CHECK(scanned->name == parsed.name);
  CHECK(scanned->namespace_ == parsed.namespace_);
  CHECK(scanned->hook_events == parsed.hook_events);
  CHECK(scanned->helm_filename == parsed.helm_filename);
}

void GivesUp(const std::string& text) {
  INFO(text);
  CHECK_FALSE(ScanHeader(text));
}

}  // namespace

TEST_CASE("header scan: the layouts Helm renders are read exactly") {
  Agrees("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: prod\ndata:\n  a: \"1\"\n");
  Agrees("---\n# Source: c/templates/crd.yaml\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
         "metadata:\n  name: foos.example.com\n  annotations:\n    controller-gen.kubebuilder.io/version: v0.14.0\n"
         "spec:\n  group: example.com\n  names:\n    kind: Foo\n    plural: foos\n  versions:\n  - name: v1\n"
         "    schema:\n      openAPIV3Schema:\n        description: \"kind: Deployment\"\n");
  Agrees("kind: Job\napiVersion: batch/v1\nmetadata:\n  annotations:\n    \"helm.sh/hook\": Pre-Install, post-upgrade\n"
         "    helm.sh/hook-weight: \"-5\"\n    postrenderer.helm.sh/postrender-filename: 'c/templates/job.yaml'\n"
         "  name: 'migrate'  # comment\n  labels:\n    app: x\nspec:\n  template:\n    spec: {}\n");
  Agrees("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: ~\ntype: Opaque\n");
  Agrees("apiVersion: v1\nkind: Service\nmetadata: {}\nspec:\n  ports:\n  - port: 80\n");
  Agrees("apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  annotations: {}\n");
  Agrees("apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n  - a\n  name: x\n");
  Agrees("apiVersion: v1\nkind: \"null\"\n");
  Agrees("apiVersion: v1\nkind: null\nmetadata:\n  name: x\n");  // not an object
  Agrees("foo: bar\n");
  Agrees("kind: OnlyKind\n");
  Agrees("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name:\n  namespace:\ndata:\n  k: |\n    kind: Deployment\n");
  Agrees("apiVersion: v1\nkind: ConfigMap\n# a comment\nmetadata:\n# a comment\n  name: web # trailing\n\n  annotations:\n"
         "    a: |\n      multi\n      line\n    helm.sh/hook: test\n");
  Agrees("apiVersion: v1\nkind: List\nitems:\n- kind: Deployment\n  metadata:\n    name: inner\n");
  Agrees("--- # Source: x\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  a: 1\n");
}

TEST_CASE("header scan: gives up where it cannot be sure") {
  GivesUp("- a\n- b\n");                                              // a list
  GivesUp("just a scalar\n");
  GivesUp("{apiVersion: v1, kind: Pod}\n");                          // flow mapping at the top
  GivesUp("apiVersion: v1\nkind: Pod\nspec: {a: 1}\n");
  GivesUp("apiVersion: v1\nkind: &k Pod\n");
  GivesUp("apiVersion: v1\nkind: Pod\nspec: &s\n  a: 1\n");                          // anchor
  GivesUp("apiVersion: v1\nkind: !!str Pod\n");                       // tag
  GivesUp("apiVersion: v1\nkind: *k\n");                              // alias
  GivesUp("apiVersion: v1\n<<: {kind: Pod}\n");                       // merge key
  GivesUp("apiVersion: v1\n? kind\n: Pod\n");                         // explicit key
  GivesUp("apiVersion: v1\n\"kind\": Pod\n");                          // quoted top-level key
  GivesUp("apiVersion: v1\nkind: Pod\nkind: Deployment\n");          // duplicate key
  GivesUp("apiVersion: v1\nkind: Pod\n  Deployment\n");              // plain scalar continues
  GivesUp("apiVersion: v1\nkind:\n  Pod\n");
  GivesUp("apiVersion: v1\nkind: \"Po\\x64\"\n");                      // escapes
  GivesUp("apiVersion: v1\nkind: \"Pod\n  x\"\n");                    // quoted scalar continues
  GivesUp("apiVersion: v1\nkind: |\n  Pod\n");                        // block scalar
  GivesUp("apiVersion: v1\r\nkind: Pod\r\n");                         // carriage returns
  GivesUp("apiVersion: v1\nspec:\n  a: 1\rkind: Pod\n");              // a bare CR breaks the line in YAML
  GivesUp("apiVersion: v1\nkind:\tPod\n");                            // tab
  GivesUp("apiVersion: v1\nkind: Pod\n...\nfoo: 1\n");                // document end
  GivesUp("%YAML 1.1\n---\nkind: Pod\n");                              // directive
  GivesUp("--- !!map\nkind: Pod\n");
  GivesUp("kind: Pod\nmetadata:\n  name: a\n  name: b\n");            // duplicate name
  GivesUp("kind: Pod\nmetadata:\n  <<: *m\n");
  GivesUp("kind: Pod\nmetadata:\n  \"name\": a\n");
  GivesUp("kind: Pod\nmetadata:\n    name: a\n  namespace: b\n");     // less indented than the first entry
  GivesUp("kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: a\n    helm.sh/hook: b\n");
  GivesUp("kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: >\n      pre-install\n");
  GivesUp("kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install,\n      post-install\n");
  GivesUp("kind: Pod\nmetadata:\n  annotations:\n  - a\n");
  GivesUp("kind: Pod\nmetadata:\n  annotations: {helm.sh/hook: x}\n");
  GivesUp("kind: Pod\nmetadata: {name: x}\n");
  GivesUp("kind: Pod\nmetadata: &m\n  name: x\n");
  GivesUp("kind: Pod\nmetadata:\n  name: a: b\n");
  GivesUp("kind: Pod\n- x\n");
  GivesUp("kind: Pod\nspec:\n  x: 1\xC2\x85kind: y\n");            // NEL
  GivesUp("# only a comment\n");
}

TEST_CASE("escapes make the scan give up, so the parser decides (libfyaml misreads some runs of '')") {
  GivesUp("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 'mig''rate'\n");
  GivesUp("apiVersion: batch/v2\nkind: " + std::string(79, '\'') + ":ep  e" + std::string(17, '\'') + "\n");
  GivesUp("apiVersion: v1\nkind: \"Config\\u004dap\"\n");
}

TEST_CASE("header scan: quoted keys are read when plain enough, else the scan gives up (never refuses)") {
  // the test Pod of issue 12: a quoted first annotation key is read
  Agrees("apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"rel-ui-test-eikgo\"\n  annotations:\n"
         "    \"helm.sh/hook\": test-success\nspec:\n  containers: []\n");
  Agrees("apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    'helm.sh/hook': test\n    \"x/y\": \"1\"\n");
  // quoted keys where the scan reads only plain ones, and escapes in quoted keys: the parser decides
  GivesUp("apiVersion: v1\nkind: Pod\n\"metadata\":\n  name: x\n");
  GivesUp("apiVersion: v1\nkind: Pod\n'metadata':\n  name: x\n");
  GivesUp("apiVersion: v1\nkind: Pod\nmetadata:\n  \"name\": x\n");
  GivesUp("apiVersion: v1\nkind: Pod\nmetadata:\n  'name': x\n");
  GivesUp("apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    \"helm.sh\\/hook\": test\n");
  GivesUp("apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    'it''s': test\n");
}

TEST_CASE("header scan: quoted scalars and flow collections that go on past their line") {
  // Parsers accept their continuation lines at any indentation, where they look like keys the scan reads. A flow
  // collection makes the scan give up; a quoted scalar nobody reads is skipped to its closing quote.
  GivesUp("apiVersion: v1\nkind: Pod\nmetadata:\n  labels: [a,\n  name: x]\n");
  GivesUp("apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    a: {b: 'c',\n    helm.sh/hook: x}\n");
  GivesUp("apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    'a''b\n  name: y': c\n");  // a key: invalid
  GivesUp("apiVersion: v1\nkind: Pod\nmetadata:\n  labels: \"never closed\n  name: y\n");
  GivesUp("apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"read and\n  continued\"\n");  // a value it reads
  Agrees("apiVersion: v1\nspec: 'x\nkind: y'\n");
  Agrees("apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    app: \"x\n  name: y\"\n");
  Agrees("apiVersion: v1\nkind: Pod\nmetadata:\n  labels: \"x\n  name: y\"\n  name: z\n");
  Agrees("apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n  - &a \"x\\\n  name: y \\\" '\"\n");  // escapes
  Agrees("apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    a: 'it''s\n  name: ''y'''\n  name: n\n");
  Agrees("apiVersion: v1\nkind: CustomResourceDefinition\nspec:\n  description: \"A long text\n    kind: Deployment,\n"
         "    \\\"quoted\\\"\" # c\nmetadata:\n  name: crd\n");
  // closed on their line, in every place a node starts: still read
  Agrees("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: \"x # y\" # c\n    b: 'it''s'\n"
         "    c: [\"a, b\", {d: 'e'}, f]\n    \"g\": {h: \"i\\\"\"}\n    j: it's \"plain\"\n    k: !!str &a 'l'\n"
         "  annotations:\n    helm.sh/hook: pre-install\nspec:\n  - ? 'a'\n    : \"b\"\n");
}
