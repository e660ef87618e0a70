// Every layout of the maps and lists the filters edit is edited, never refused (issue 12 item 1). A generator writes
// one Deployment and one StatefulSet (with a ConfigMap they consume) with each edited collection -- metadata, spec,
// strategy, the pod template's metadata and annotations, the pod spec, containers, a container, initContainers,
// volumes, env -- in every layout: block with plain, double- or single-quoted keys (escapes included), flow on one
// line or spanning lines, tagged (!!map / !!seq), anchored and aliased later, written elsewhere and reached by an
// alias, comments between keys, explicit '? key' entries, deeper indentation, sequences at their key's column; also
// null / '~' / missing where a chart may leave them out, every combination with CRLF, and all collections in one
// layout at once. The real filters run on each (checksum digest and env, waits, safety, ordered start): the output
// must parse and read (as Kubernetes reads it: YAML 1.1 types, aliases expanded) exactly as the same data written
// plainly and post-rendered, and the ConfigMap keeps its bytes.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "manifest/stream.h"
#include "postrender/postrender_testing.h"
#include "util/error.h"
#include "values/output.h"
#include "values/yaml_load.h"
#include "yaml/snippet.h"
#include "yaml/tree.h"

using namespace capstan;

namespace {

enum class Layout {
  kBlock, kDoubleQuoted, kSingleQuoted, kFlow, kFlowLines, kTag, kAnchor, kAlias, kComments, kExplicit, kDeep,
  kIndentless
};
constexpr Layout kLayouts[] = {Layout::kBlock,    Layout::kDoubleQuoted, Layout::kSingleQuoted, Layout::kFlow,
                               Layout::kFlowLines, Layout::kTag,         Layout::kAnchor,       Layout::kAlias,
                               Layout::kComments, Layout::kExplicit,     Layout::kDeep,         Layout::kIndentless};
const char* Name(Layout l) {
  static const char* names[] = {"block", "double-quoted keys", "single-quoted keys", "flow", "flow over lines",
                                "tag", "anchored and aliased", "alias", "comments", "explicit keys", "deeper indent",
                                "sequence at its key's column"};
  return names[static_cast<int>(l)];
}

// A document model: maps keep their order; leaves are YAML scalar text as written.
struct N;
using NP = std::shared_ptr<N>;
struct N {
  enum Kind { kMap, kList, kLeaf } kind = kLeaf;
  std::string leaf, site;
  std::vector<std::pair<std::string, NP>> entries;
  std::vector<NP> items;
};
NP Leaf(std::string s) { auto n = std::make_shared<N>(); n->leaf = std::move(s); return n; }
NP Map(std::string site, std::vector<std::pair<std::string, NP>> e) {
  auto n = std::make_shared<N>();
  n->kind = N::kMap, n->site = std::move(site), n->entries = std::move(e);
  return n;
}
NP List(std::string site, std::vector<NP> i) {
  auto n = std::make_shared<N>();
  n->kind = N::kList, n->site = std::move(site), n->items = std::move(i);
  return n;
}

// The workload, with its edited collections named by site. Leaves include values that re-type if unquoted.
NP Workload(bool sts, const std::string& missing) {
  auto annotations = Map("annotations", {{"capstan.dev/wait-for", Leaf("\"tcp://db:5432\"")},
                                         {"team", Leaf("\"yes\"")}});
  if (sts && missing != "volumes=~") {  // ordered start needs its shared volume declared
    annotations->entries.push_back({"capstan.dev/ordered-start", Leaf("\"true\"")});
    annotations->entries.push_back({"capstan.dev/ordered-start-volume", Leaf("data")});
  }
  auto container = Map("container", {{"name", Leaf("app")},
                                     {"image", Leaf("nginx")},
                                     {"envFrom", List("", {Map("", {{"configMapRef", Map("", {{"name", Leaf("cfg")}})}})})},
                                     {"env", List("env", {Map("", {{"name", Leaf("MODE")}, {"value", Leaf("\"0755\"")}})})},
                                     {"volumeMounts", List("", {Map("", {{"name", Leaf("data")}, {"mountPath", Leaf("/data")}})})}});
  auto pspec = Map("pod spec", {{"containers", List("containers", {container})},
                                {"initContainers", List("initContainers", {Map("", {{"name", Leaf("init")}, {"image", Leaf("busybox")}})})},
                                {"volumes", List("volumes", {Map("", {{"name", Leaf("data")}, {"persistentVolumeClaim", Map("", {{"claimName", Leaf("shared")}})}})})}});
  auto tmeta = Map("template metadata", {{"labels", Map("", {{"app", Leaf("web")}})}, {"annotations", annotations}});
  auto spec = Map("spec", {{"replicas", Leaf("2")},
                           {"selector", Map("", {{"matchLabels", Map("", {{"app", Leaf("web")}})}})},
                           {sts ? "updateStrategy" : "strategy", Map("strategy", {{"type", Leaf(sts ? "OnDelete" : "RollingUpdate")}})},
                           {"template", Map("template", {{"metadata", tmeta}, {"spec", pspec}})}});
  auto root = Map("", {{"apiVersion", Leaf("apps/v1")},
                       {"kind", Leaf(sts ? "StatefulSet" : "Deployment")},
                       {"metadata", Map("metadata", {{"name", Leaf("web")},
                                                     {"labels", Map("", {{"tier", Leaf("1e3")}, {"debug", Leaf("yes")},
                                                                         {"mode", Leaf("\"0755\"")}, {"none", Leaf("~")}})}})},
                       {"spec", spec}});
  // null, '~' or missing: "annotations=~" and the like
  if (!missing.empty()) {
    std::string site = missing.substr(0, missing.find('=')), how = missing.substr(missing.find('=') + 1);
    std::vector<NP> stack{root};
    while (!stack.empty()) {
      NP n = stack.back();
      stack.pop_back();
      for (size_t i = 0; i < n->entries.size(); ++i) {
        if (n->entries[i].second->site == site) {
          if (how == "missing") n->entries.erase(n->entries.begin() + static_cast<std::ptrdiff_t>(i));
          else n->entries[i].second = Leaf(how == "null" ? "" : how);
          break;
        }
        stack.push_back(n->entries[i].second);
      }
      for (auto& item : n->items) stack.push_back(item);
    }
  }
  return root;
}

std::string Flow(const NP& n) {
  if (n->kind == N::kLeaf) return n->leaf;
  std::string out = n->kind == N::kMap ? "{" : "[";
  bool first = true;
  for (const auto& [k, v] : n->entries) out += (first ? "" : ", ") + k + ": " + Flow(v), first = false;
  for (const auto& v : n->items) out += (first ? "" : ", ") + Flow(v), first = false;
  return out + (n->kind == N::kMap ? "}" : "]");
}

// Writes the model in block style; collections whose site is chosen (or all, with site "*") take the layout.
class Writer {
 public:
  Writer(std::string site, Layout layout) : site_(std::move(site)), layout_(layout) {}
  std::string Write(const NP& root) {
    std::string body;
    Entries(root, 0, body);
    return pre_ + body + post_;
  }

 private:
  Layout Of(const NP& n) const {
    return !n->site.empty() && (site_ == "*" || n->site == site_) ? layout_ : Layout::kBlock;
  }

  std::string Key(const std::string& k, Layout l) const {
    if (l == Layout::kDoubleQuoted) return "\"" + k + "\"";
    if (l == Layout::kSingleQuoted) return "'" + k + "'";
    return k;
  }

  // The text after "key:" or "- " for a collection or leaf written at child indentation `indent`.
  std::string Value(const NP& n, size_t indent, bool item) {
    if (n->kind == N::kLeaf) return n->leaf.empty() ? "" : " " + n->leaf;
    Layout l = Of(n);
    std::string props;
    switch (l) {
      case Layout::kFlow: return " " + Flow(n);
      case Layout::kFlowLines: {
        std::string out = n->kind == N::kMap ? " {\n" : " [\n";
        for (const auto& [k, v] : n->entries) out += std::string(indent, ' ') + k + ": " + Flow(v) + ",\n";
        for (const auto& v : n->items) out += std::string(indent, ' ') + Flow(v) + ",\n";
        return out + std::string(indent, ' ') + (n->kind == N::kMap ? "}" : "]");
      }
      case Layout::kAlias: {
        std::string name = "a" + std::to_string(++anchors_);
        std::string body;
        Block(n, 2, body, false);
        pre_ += "x-" + name + ": &" + name + "\n" + body;
        return " *" + name;
      }
      case Layout::kAnchor: {
        std::string name = "a" + std::to_string(++anchors_);
        post_ += "x-" + name + ": *" + name + "\n";
        props = " &" + name;
        break;
      }
      case Layout::kTag: props = n->kind == N::kMap ? " !!map" : " !!seq"; break;
      case Layout::kComments: props = " # " + n->site; break;
      default: break;
    }
    if (l == Layout::kDeep) indent += 2;
    std::string body;
    Block(n, indent, body, l == Layout::kIndentless && !item);
    return props + "\n" + body.substr(0, body.size() - 1);
  }

  // A collection's entries or items as block lines at indent (sequences at indent - 2 when indentless).
  void Block(const NP& n, size_t indent, std::string& out, bool indentless) {
    if (n->kind == N::kMap) return Entries(n, indent, out);
    size_t col = indentless && indent >= 2 ? indent - 2 : indent;
    for (const auto& item : n->items) {
      std::string v = Value(item, col + 2, true);
      if (item->kind == N::kMap && v.rfind("\n", 0) == 0) {
        // a block mapping item: its first line goes after the dash
        out += std::string(col, ' ') + "- " + v.substr(1 + col + 2) + "\n";
      } else {
        out += std::string(col, ' ') + "-" + v + "\n";
      }
    }
  }

  void Entries(const NP& n, size_t indent, std::string& out) {
    Layout l = Of(n);
    std::string pad(indent, ' ');
    if (l == Layout::kDoubleQuoted) out += pad + "\"x-\\\"q\\u00e9\": \"1\"\n";  // escapes in a quoted first key
    if (l == Layout::kSingleQuoted) out += pad + "'it''s': \"1\"\n";
    for (const auto& [k, v] : n->entries) {
      if (l == Layout::kComments) out += pad + "# before " + k + "\n";
      if (l == Layout::kExplicit) {
        out += pad + "? " + k + "\n" + pad + ":" + Value(v, indent + 2, false) + "\n";
      } else {
        out += pad + Key(k, l) + ":" + Value(v, indent + 2, false);
        if (l == Layout::kComments && v->kind == N::kLeaf) out += "  # after " + k;
        out += "\n";
      }
    }
    if (l == Layout::kComments) out += pad + "# end of " + n->site + "\n";
  }

  std::string site_;
  Layout layout_;
  std::string pre_, post_;
  int anchors_ = 0;
};

std::string K8sReads(std::string_view doc) {
  auto layer = std::make_shared<values::Layer>();
  layer->kind = values::LayerKind::kValuesFile;
  layer->file = "doc.yaml";
  return values::ToJson(values::ParseValuesYaml(doc, layer, 3));
}

postrender::Config Cfg() {
  postrender::Config c;
  c.pipeline.namespace_ = "default";
  c.checksum.env_name = "CAPSTAN_DIGEST";
  c.waits.enabled = true;
  c.waits.image = "registry.example/capstan:0.1.0";
  c.safety.prestop_seconds = 5;
  c.safety.rolling_update = true;
  c.summary = false;
  return c;
}

// A document as block YAML without the generator's top-level x-aN entries (anchor sources and alias copies), aliases
// expanded: what the object holds.
std::string WithoutExtras(std::string_view doc) {
  yaml::Tree t = yaml::Tree::Parse(doc);
  yaml::Snippet m = yaml::Snippet::Map();
  for (const auto& [k, v] : t.root().MergedEntries())
    if (k.scalar().rfind("x-a", 0) != 0) m.Append(std::string(k.scalar()), yaml::Snippet::FromNode(v));
  return m.RenderBlock(0, "\n");
}

const std::string kConfigMap = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {k: v}\n";

std::string Crlf(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return out;
}

}  // namespace

TEST_CASE("layouts: every layout of every collection the filters edit is edited as its plain form is") {
  const std::vector<std::string> sites = {"metadata", "spec", "strategy", "template", "template metadata",
                                          "annotations", "pod spec", "containers", "container", "initContainers",
                                          "volumes", "env", "*"};
  const std::vector<std::string> missing = {"", "annotations=null", "annotations=~", "annotations=missing",
                                            "annotations={}", "initContainers=null", "initContainers=missing",
                                            "initContainers=[]", "strategy=missing", "volumes=~", "env=missing",
                                            "env=[]", "template metadata=missing", "template metadata={}"};
  size_t cases = 0;
  for (bool sts : {false, true}) {
    for (const auto& gone : missing) {
      NP model = Workload(sts, gone);
      // the plain reference, post-rendered: the injected fields are there
      std::string plain = "---\n" + Writer("", Layout::kBlock).Write(model);
      std::string plain_out = test::PostRender(kConfigMap + plain, Cfg());
      std::string plain_doc(manifest::Split(plain_out).at(1).text);
      yaml::Tree pt = yaml::Tree::Parse(plain_doc);
      yaml::Node tmpl = pt.root().Get("spec").Get("template");
      INFO("plain, " << (sts ? "StatefulSet" : "Deployment") << ", " << gone << "\n" << plain_out);
      REQUIRE(tmpl.Get("metadata").Get("annotations").Get("capstan.dev/config-digest"));
      bool annotated = gone.rfind("annotations", 0) != 0 && gone.rfind("template metadata", 0) != 0;  // waits
      REQUIRE((tmpl.Get("spec").Get("initContainers").At(0).Get("name").scalar() == "capstan-wait") == annotated);
      REQUIRE(tmpl.Get("spec").Get("terminationGracePeriodSeconds").scalar() == "35");
      if (sts && annotated && gone != "volumes=~")
        REQUIRE(tmpl.Get("spec").Get("containers").At(0).Get("name").scalar() == "capstan-mark-ready");
      for (const auto& site : sites) {
        for (Layout layout : kLayouts) {
          for (bool crlf : {false, true}) {
            std::string text = "---\n" + Writer(site, layout).Write(model);
            std::string input = kConfigMap + (crlf ? Crlf(text) : text);
            INFO("site: " << site << ", layout: " << Name(layout) << (crlf ? ", CRLF" : "") << ", " << gone
                          << "\n" << input);
            std::string out;
            try {
              out = test::PostRender(input, Cfg());
            } catch (const Error& e) {
              FAIL_CHECK("refused: " << e.what());
              continue;
            }
            auto docs = manifest::Split(out);
            REQUIRE(docs.size() == 2);
            CHECK(docs[0].text == manifest::Split(input)[0].text);  // untouched: its bytes
            std::string doc(docs[1].text);
            INFO("edited:\n" << doc);
            yaml::Tree::Parse(doc);
            bool extra = layout == Layout::kDoubleQuoted || layout == Layout::kSingleQuoted ||
                         layout == Layout::kAnchor || layout == Layout::kAlias;
            if (!extra) {
              // the same content as the plain text: it reads as the plain text post-rendered
              CHECK(K8sReads(doc) == K8sReads(plain_doc));
            } else {
              // quoted-key layouts add a key with escapes, anchors add x- entries: the object (without those
              // entries) reads as its content written plainly and post-rendered
              std::string ref_out = test::PostRender(kConfigMap + "---\n" + WithoutExtras(text), Cfg());
              CHECK(K8sReads(WithoutExtras(doc)) == K8sReads(WithoutExtras(manifest::Split(ref_out).at(1).text)));
            }
            ++cases;
          }
        }
      }
    }
  }
  CHECK(cases == 2 * missing.size() * sites.size() * 12 * 2);
}
