// Fuzzes the YAML tree and edit layer: parse the input; if it is a mapping, set a value at a path made of its own
// keys (and a new one) and prepend a list item; the edited text must parse again and hold the value that was set.
// The inputs are documents a chart can render: ones go-yaml (Kubernetes' and Helm's YAML parser, lib/goyaml) reads
// as the same tree as libfyaml. What only libfyaml reads (a '%' line without '---', tabs as indentation), or reads
// otherwise (a ':' at column 0 after an indented '? key'), cannot reach a cluster as the editor sees it.
// The editor never gives up on a layout (it re-emits what it cannot edit in place): the only errors allowed are
// those the data causes (a value that is not a mapping or a list, a null key...), never one that asks for a bug
// report.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "goyaml/compose.h"
#include "util/error.h"
#include "yaml/editor.h"
#include "yaml/tree.h"

using namespace capstan::yaml;

namespace {

// The shape of a tree as text: maps, lists and scalars' values, aliases followed (bounded: a bomb gives up).
bool Dump(const Node& n, std::string* out, int depth) {
  if (depth > 200 || out->size() > (1 << 20)) return false;
  if (!n.valid()) return *out += "''", true;
  if (n.IsMapping()) {
    *out += '{';
    for (const auto& [k, v] : n.Entries()) {
      if (!Dump(k, out, depth + 1)) return false;
      *out += ':';
      if (!Dump(v, out, depth + 1)) return false;
      *out += ',';
    }
    return *out += '}', true;
  }
  if (n.IsSequence()) {
    *out += '[';
    for (const auto& i : n.Items())
      if (!Dump(i, out, depth + 1)) return false;
      else *out += ',';
    return *out += ']', true;
  }
  *out += '\'';
  *out += n.scalar();
  return *out += '\'', true;
}

bool Dump(const capstan::goyaml::Node* n, std::string* out, int depth) {
  if (depth > 200 || out->size() > (1 << 20)) return false;
  if (n->kind == capstan::goyaml::aliasNode) return Dump(n->alias, out, depth + 1);
  if (n->kind == capstan::goyaml::mappingNode || n->kind == capstan::goyaml::sequenceNode) {
    bool map = n->kind == capstan::goyaml::mappingNode;
    *out += map ? '{' : '[';
    for (size_t i = 0; i < n->children.size(); ++i) {
      if (!Dump(n->children[i], out, depth + 1)) return false;
      *out += map && i % 2 == 0 ? ':' : ',';
    }
    return *out += map ? '}' : ']', true;
  }
  *out += '\'';
  *out += n->value;
  return *out += '\'', true;
}

// Whether go-yaml reads `text` as one document with the same shape as libfyaml's `root`.
bool GoYamlAgrees(const std::string& text, const Node& root) {
  try {
    capstan::goyaml::Composer go(text);
    const capstan::goyaml::Node* doc = go.Parse();
    if (!doc || doc->children.empty() || go.Parse()) return false;
    std::string a, b;
    return Dump(root, &a, 0) && Dump(doc->children[0], &b, 0) && a == b;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  uint8_t op = data[0];
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  Tree tree;
  try {
    tree = Tree::Parse(text);
  } catch (const capstan::Error&) {
    return 0;
  }
  Node root = tree.root();
  if (!root.IsMapping()) return 0;
  if (!GoYamlAgrees(text, root)) return 0;  // not a document Helm or Kubernetes would read as we do
  // A path through existing mappings, ending in a new key.
  std::vector<std::string> path;
  Node cur = root;
  for (int depth = 0; depth < (op & 3) && cur.IsMapping(); ++depth) {
    auto entries = cur.Entries();
    if (entries.empty() || !entries.front().key.IsScalar()) break;
    Node k = entries[(op >> 2) % entries.size()].key;
    if (!k.IsScalar() || k.scalar() == "<<") break;
    path.emplace_back(k.scalar());
    cur = entries[(op >> 2) % entries.size()].value;
  }
  path.push_back("capstan.dev/fuzz");
  Edits edits;
  Editor editor(tree, edits);
  std::string out;
  try {
    editor.Set(root, path, Snippet::String("v\"1\n"));
    if (op & 0x40) editor.Prepend(root, {"items"}, Snippet::Map().Set("name", Snippet::String("x")));
    editor.Commit();
    out = edits.Apply(text);
  } catch (const Editor::CannotReemit&) {
    __builtin_trap();  // a layout the re-emit does not know
  } catch (const capstan::Error&) {
    return 0;  // an edit the data contradicts
  }
  Tree again;
  try {
    again = Tree::Parse(out);
  } catch (const capstan::Error&) {
    __builtin_trap();  // an edit produced invalid YAML
  }
  Node n = again.root();
  for (const auto& k : path) n = n.Get(k);
  if (!n.IsScalar() || n.scalar() != "v\"1\n") __builtin_trap();  // the value is not where it was set
  return 0;
}
