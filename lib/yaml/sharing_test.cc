// The editor never changes what Kubernetes reads (go-yaml v2: aliases expanded, merge keys applied) beyond the
// injected fields. A generator writes one Deployment in many layouts (each map or list the post-renderer edits
// written plain, as an alias, through a merge key, anchored and reused), applies the edits the filters make, and
// compares the result read back as Kubernetes reads it with the same edits applied to the plain layout.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "util/error.h"
#include "values/output.h"
#include "values/yaml_load.h"
#include "yaml/editor.h"
#include "yaml/tree.h"

using namespace capstan;
using namespace capstan::yaml;

namespace {

// What Kubernetes gets from a document: go-yaml v2's reading, as JSON with sorted keys.
std::string K8sReads(const std::string& doc) {
  auto layer = std::make_shared<values::Layer>();
  layer->kind = values::LayerKind::kValuesFile;
  layer->file = "d.yaml";
  return values::ToJson(values::ParseValuesYaml(doc, layer, 3));
}

// A small document model to write the same content in different layouts.
struct Doc {
  enum Kind { kMap, kList, kLeaf } kind = kLeaf;
  std::string leaf;                                          // flow text
  std::vector<std::pair<std::string, std::shared_ptr<Doc>>> entries;
  std::vector<std::shared_ptr<Doc>> items;
};
using DocPtr = std::shared_ptr<Doc>;
DocPtr Leaf(std::string s) { auto d = std::make_shared<Doc>(); d->leaf = std::move(s); return d; }
DocPtr Map(std::vector<std::pair<std::string, DocPtr>> e) { auto d = std::make_shared<Doc>(); d->kind = Doc::kMap; d->entries = std::move(e); return d; }
DocPtr List(std::vector<DocPtr> i) { auto d = std::make_shared<Doc>(); d->kind = Doc::kList; d->items = std::move(i); return d; }

std::string Flow(const DocPtr& d) {
  if (d->kind == Doc::kLeaf) return d->leaf;
  std::string out = d->kind == Doc::kMap ? "{" : "[";
  bool first = true;
  for (const auto& [k, v] : d->entries) out += (first ? "" : ", ") + k + ": " + Flow(v), first = false;
  for (const auto& v : d->items) out += (first ? "" : ", ") + Flow(v), first = false;
  return out + (d->kind == Doc::kMap ? "}" : "]");
}

enum class Layout {
  kPlain,          // written out
  kAlias,          // key: *s, the anchor on a top-level x-shared entry
  kMergeAlias,     // key: {<<: *s} (flow) with the anchor on x-shared
  kMergeBlock,     // key:\n  <<: *s  (block) with the anchor on x-shared
  kMergeInline,    // key: {<<: {...}}
  kMergeOverride,  // key: {<<: *s, first: ...}: the first entry explicit after the merge
  kAnchorReused,   // key: &s {...}, and x-shared: *s after it
};
const char* Name(Layout l) {
  switch (l) {
    case Layout::kPlain: return "plain";
    case Layout::kAlias: return "alias";
    case Layout::kMergeAlias: return "merge (flow, alias)";
    case Layout::kMergeBlock: return "merge (block, alias)";
    case Layout::kMergeInline: return "merge (inline map)";
    case Layout::kMergeOverride: return "merge with an explicit key after it";
    case Layout::kAnchorReused: return "anchored here, aliased later";
  }
  return "?";
}

struct Writer {
  const Doc* site;
  Layout layout;
  std::string before, after;  // top-level entries written before / after the document's own

  void Block(const DocPtr& d, size_t indent, std::string& out) {
    for (const auto& [k, v] : d->entries) {
      out += std::string(indent, ' ') + k + ":";
      Value(v, indent, out);
    }
    for (const auto& v : d->items) {
      out += std::string(indent, ' ') + "-";
      if (v.get() == site) {
        Value(v, indent, out);  // only alias layouts apply to list items
      } else if (v->kind == Doc::kMap && !v->entries.empty()) {
        std::string inner;
        Block(v, indent + 2, inner);
        out += " " + inner.substr(indent + 2);
      } else {
        out += " " + Flow(v) + "\n";
      }
    }
  }
  // The value after "key:" or "-".
  void Value(const DocPtr& v, size_t indent, std::string& out) {
    if (v.get() == site && layout != Layout::kPlain) {
      std::string flow = Flow(v);
      switch (layout) {
        case Layout::kAlias: before += "x-shared: &s " + flow + "\n"; out += " *s\n"; return;
        case Layout::kMergeAlias: before += "x-shared: &s " + flow + "\n"; out += " {<<: *s}\n"; return;
        case Layout::kMergeBlock:
          before += "x-shared: &s " + flow + "\n";
          out += "\n" + std::string(indent + 2, ' ') + "<<: *s  # merged\n";
          return;
        case Layout::kMergeInline: out += " {<<: " + flow + "}\n"; return;
        case Layout::kMergeOverride: {
          before += "x-shared: &s " + flow + "\n";
          const auto& [k, first] = v->entries.front();
          out += " {<<: *s, " + k + ": " + Flow(first) + "}\n";
          return;
        }
        case Layout::kAnchorReused: after += "x-shared: *s\n"; out += " &s " + flow + "\n"; return;
        default: break;
      }
    }
    if (v->kind == Doc::kMap && !v->entries.empty()) {
      out += "\n";
      Block(v, indent + 2, out);
    } else if (v->kind == Doc::kList && !v->items.empty()) {
      out += "\n";
      Block(v, indent, out);
    } else {
      out += " " + Flow(v) + "\n";
    }
  }
  // The whole document; for the plain layout, the same top-level x-shared entry the layout has (written out).
  std::string Write(const DocPtr& doc) {
    std::string body;
    Block(doc, 0, body);
    return before + body + after;
  }
};

struct Model {
  DocPtr doc, spec, strategy, tmpl, tmeta, annotations, pspec, containers, container, env, volumes;
  Model() {
    env = List({Map({{"name", Leaf("X")}, {"value", Leaf("\"1\"")}})});
    container = Map({{"name", Leaf("app")}, {"image", Leaf("nginx")}, {"env", env}});
    containers = List({container, Map({{"name", Leaf("side")}, {"image", Leaf("envoy")}})});
    volumes = List({Map({{"name", Leaf("data")}, {"emptyDir", Leaf("{}")}})});
    pspec = Map({{"containers", containers}, {"volumes", volumes}});
    annotations = Map({{"a", Leaf("\"1\"")}, {"b", Leaf("two")}});
    tmeta = Map({{"labels", Leaf("{app: web}")}, {"annotations", annotations}});
    tmpl = Map({{"metadata", tmeta}, {"spec", pspec}});
    strategy = Map({{"type", Leaf("RollingUpdate")}});
    spec = Map({{"replicas", Leaf("2")}, {"strategy", strategy}, {"template", tmpl}});
    doc = Map({{"apiVersion", Leaf("apps/v1")}, {"kind", Leaf("Deployment")}, {"metadata", Leaf("{name: web}")},
               {"spec", spec}});
  }
};

// The edits the filters make (checksum, safety, wait); with containers, also the per-container env prepend.
// also_shared: the per-container edit also goes to the containers written on x-shared (where an anchor the pod
// reaches through an alias or merge key sits: the editor edits a container it is handed wherever it appears).
std::string EditLikeFilters(const std::string& text, bool containers, bool also_shared = false) {
  Tree t = Tree::Parse(text);
  Edits edits;
  Editor ed(t, edits);
  Node root = t.root();
  ed.Set(root, {"spec", "template", "metadata", "annotations", "capstan.dev/config-digest"}, Snippet::String("sha256:0"));
  ed.Set(root, {"spec", "template", "spec", "terminationGracePeriodSeconds"}, Snippet::Int(60));
  ed.Set(root, {"spec", "strategy", "rollingUpdate"}, Snippet::Map().Set("maxUnavailable", Snippet::Int(0)));
  ed.Prepend(root, {"spec", "template", "spec", "initContainers"}, Snippet::Map().Set("name", Snippet::String("wait")));
  ed.Prepend(root, {"spec", "template", "spec", "volumes"}, Snippet::Map().Set("name", Snippet::String("capstan")));
  if (containers)
    for (const auto& ctr : root.Get("spec").Get("template").Get("spec").Get("containers").Items())
      ed.Prepend(ctr, {"env"}, Snippet::Map().Set("name", Snippet::String("CAPSTAN")).Set("value", Snippet::String("d")));
  if (containers && also_shared) {
    Node shared = root.Get("x-shared");
    std::vector<Node> ctrs;
    if (shared.IsSequence()) ctrs = shared.Items();
    else if (shared.Get("image")) ctrs = {shared};
    else if (shared.Get("containers")) ctrs = shared.Get("containers").Items();
    else if (shared.Get("spec").Get("containers")) ctrs = shared.Get("spec").Get("containers").Items();
    else ctrs = shared.Get("template").Get("spec").Get("containers").Items();
    for (const auto& ctr : ctrs)
      ed.Prepend(ctr, {"env"}, Snippet::Map().Set("name", Snippet::String("CAPSTAN")).Set("value", Snippet::String("d")));
  }
  ed.Commit();
  return edits.Apply(text);
}

}  // namespace

TEST_CASE("edits through aliases and merge keys read back as the plain layout edited, never refused") {
  Model m;
  struct Site {
    const char* name;
    DocPtr node;
    bool map;
  };
  std::vector<Site> sites = {{"spec", m.spec, true},
                             {"strategy", m.strategy, true},
                             {"template", m.tmpl, true},
                             {"template metadata", m.tmeta, true},
                             {"annotations", m.annotations, true},
                             {"pod spec", m.pspec, true},
                             {"containers", m.containers, false},
                             {"a container", m.container, true},
                             {"env", m.env, false},
                             {"volumes", m.volumes, false}};
  int edited = 0;
  for (const auto& site : sites) {
    for (Layout layout : {Layout::kAlias, Layout::kMergeAlias, Layout::kMergeBlock, Layout::kMergeInline,
                          Layout::kMergeOverride, Layout::kAnchorReused}) {
      bool merge = layout != Layout::kAlias && layout != Layout::kAnchorReused;
      if (merge && !site.map) continue;
      if (site.node == m.container && layout != Layout::kAlias && layout != Layout::kAnchorReused) continue;
      Writer w{site.node.get(), layout, "", ""};
      std::string text = w.Write(m.doc);
      Writer plain{nullptr, Layout::kPlain, "", ""};
      std::string reference = plain.Write(m.doc);
      // the plain reference holds the same x-shared entry, written out
      if (!w.before.empty()) reference = "x-shared: " + Flow(site.node) + "\n" + reference;
      if (!w.after.empty()) reference += "x-shared: " + Flow(site.node) + "\n";
      INFO("site: " << site.name << ", layout: " << Name(layout) << "\n" << text);
      REQUIRE(K8sReads(text) == K8sReads(reference));  // the generator writes equivalent layouts
      for (bool containers : {false, true}) {
        INFO("with the per-container edit: " << containers);
        std::string out;
        out = EditLikeFilters(text, containers);
        // a container the document holds both in place (on x-shared, where its anchor is) and through an alias or
        // merge key is edited wherever it appears
        bool container_in_place = containers && (!w.before.empty() || !w.after.empty()) &&
                                  (site.node == m.spec || site.node == m.tmpl || site.node == m.pspec ||
                                   site.node == m.containers || site.node == m.container);
        INFO("edited:\n" << out);
        Tree::Parse(out);
        std::string expected = K8sReads(EditLikeFilters(reference, containers, container_in_place));
        if (container_in_place && K8sReads(out) != expected)  // the anchor on the pod's own text: edited in place only
          expected = K8sReads(EditLikeFilters(reference, containers));
        CHECK(K8sReads(out) == expected);
        ++edited;
      }
    }
  }
  CHECK(edited > 0);
}

TEST_CASE("a merge key supplying the pod template gets an explicit copy after it, containers kept") {
  std::string doc =
      "x-base: &b\n  template:\n    metadata:\n      annotations: {a: \"1\"}\n    spec:\n      containers:\n"
      "      - name: app\n        image: nginx\nspec:\n  replicas: 2\n  <<: *b\n";
  Tree t = Tree::Parse(doc);
  Edits e;
  Editor ed(t, e);
  ed.Set(t.root(), {"spec", "template", "metadata", "annotations", "k"}, Snippet::String("v"));
  ed.Commit();
  std::string out = e.Apply(doc);
  CHECK(out ==
        "x-base: &b\n  template:\n    metadata:\n      annotations: {a: \"1\"}\n    spec:\n      containers:\n"
        "      - name: app\n        image: nginx\nspec:\n  replicas: 2\n  <<: *b\n  template:\n    metadata:\n"
        "      annotations:\n        a: \"1\"\n        k: \"v\"\n    spec:\n      containers:\n        - name: \"app\"\n"
        "          image: \"nginx\"\n");
  CHECK(K8sReads(out).find(R"("spec":{"replicas":2,"template":{"metadata":{"annotations":{"a":"1","k":"v"}},"spec":{"containers":[{"image":"nginx","name":"app"}]}}})") !=
        std::string::npos);
}

TEST_CASE("an alias token is replaced by an edited copy, the anchor and its other aliases stay") {
  std::string doc = "a: &c {name: app, env: [{name: X}]}\nlist:\n- *c\n- *c\n";
  Tree t = Tree::Parse(doc);
  Edits e;
  Editor ed(t, e);
  for (const auto& item : t.root().Get("list").Items()) ed.Prepend(item, {"env"}, Snippet::String("new"));
  ed.Set(t.root().Get("list").At(0), {"name"}, Snippet::String("first"));
  ed.Commit();
  CHECK(e.Apply(doc) ==
        "a: &c {name: app, env: [{name: X}]}\nlist:\n- {\"name\": \"first\", \"env\": [\"new\", {\"name\": \"X\"}]}\n"
        "- {\"name\": \"app\", \"env\": [\"new\", {\"name\": \"X\"}]}\n");
}

TEST_CASE("an edit of an anchor's own place re-emits it, and aliases elsewhere get copies of what it held") {
  std::string doc = "a: &c\n  name: app\nb: *c\n";
  Tree t = Tree::Parse(doc);
  Edits e;
  Editor ed(t, e);
  ed.Set(t.root(), {"a", "k"}, Snippet::String("v"));
  ed.Commit();
  CHECK(e.Apply(doc) == "a:\n  name: \"app\"\n  k: \"v\"\nb: {\"name\": \"app\"}\n");
  // a merge after an explicit key overrides it (go-yaml v2): the editor will not guess which one to edit
  std::string over = "s: &s {k: {a: 1}}\nm:\n  k: {a: 2}\n  <<: *s\n";
  Tree t2 = Tree::Parse(over);
  Editor ed2(t2, e);
  CHECK_THROWS_WITH(ed2.Set(t2.root(), {"m", "k", "b"}, Snippet::Int(1)),
                    Catch::Contains("line 3") && Catch::Contains("overridden by a merge key"));
}

TEST_CASE("lookups read merge keys as go-yaml v2: the last entry wins, the first of a merge list") {
  Tree t = Tree::Parse("a: &a {k: 1, x: 1}\nb: &b {k: 2, y: 2}\nc:\n  k: 0\n  <<: [*a, *b]\nd:\n  <<: *a\n  k: 3\n");
  CHECK(t.root().Get("c").Get("k").scalar() == "1");
  CHECK(t.root().Get("c").ViaMerge("k"));
  CHECK(t.root().Get("c").Get("y").scalar() == "2");
  CHECK(t.root().Get("d").Get("k").scalar() == "3");
  CHECK_FALSE(t.root().Get("d").ViaMerge("k"));
  std::vector<std::string> keys;
  for (const auto& p : t.root().Get("c").MergedEntries()) keys.push_back(std::string(p.key.scalar()) + "=" + std::string(p.value.scalar()));
  CHECK(keys == std::vector<std::string>{"k=1", "y=2", "x=1"});
  CHECK(t.root().Get("a").shared());
  CHECK_FALSE(t.root().Get("c").shared());
  CHECK(Tree::Parse("m: {<<: {a: 1}}\n").root().Get("m").Get("a").shared());  // a merge key's value
}

TEST_CASE("a copy through an alias refuses keys it cannot write as strings (null, a list or a map)") {
  for (std::string anchor : {"{:,[{name: X}]}", "{~: a, b: c}", "{[x]: a, b: c}", "{{a: b}: c}"}) {
    std::string doc = "a: &c " + anchor + "\nspec: *c\n";
    INFO(doc);
    Tree t = Tree::Parse(doc);
    Edits e;
    Editor ed(t, e);
    ed.Set(t.root(), {"spec", "added"}, Snippet::String("v"));
    CHECK_THROWS_WITH(ed.Commit(), Catch::Contains("cannot copy the mapping at line 1") &&
                                       Catch::Contains("without anchors, aliases and merge keys"));
  }
}
