// Node: the read-only accessors of a parsed Tree (kinds, scalars, positions, mapping lookup through merge keys).
#include <unordered_map>
#include <vector>

#include "yaml/tree.h"

namespace capstan::yaml {

std::string InputLine(const Node& n, uint32_t first_line) { return std::to_string(n.start().line + 1 + first_line); }

Node Node::Resolved() const {
  if (!tree_) return {};
  uint32_t i = index_;
  for (int hops = 0; hops < 64; ++hops) {
    const auto& r = tree_->nodes_[i];
    if (r.kind != Kind::kAlias) return Node(tree_, i);
    i = r.alias_target;
  }
  return {};
}

Kind Node::kind() const { return tree_->nodes_[index_].kind; }

Style Node::style() const {
  Node n = Resolved();
  return n ? n.tree_->nodes_[n.index_].style : Style::kPlain;
}

bool Node::IsMapping() const {
  Node n = Resolved();
  return n && n.tree_->nodes_[n.index_].kind == Kind::kMapping;
}
bool Node::IsSequence() const {
  Node n = Resolved();
  return n && n.tree_->nodes_[n.index_].kind == Kind::kSequence;
}
bool Node::IsScalar() const {
  Node n = Resolved();
  return n && n.tree_->nodes_[n.index_].kind == Kind::kScalar;
}

bool Node::IsNull() const {
  Node n = Resolved();
  if (!n) return false;
  const auto& r = n.tree_->nodes_[n.index_];
  if (r.kind != Kind::kScalar || r.style != Style::kPlain || r.tag_len != 0) return false;
  std::string_view s = n.scalar();
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

std::string_view Node::scalar() const {
  Node n = Resolved();
  if (!n) return {};
  const auto& r = n.tree_->nodes_[n.index_];
  if (r.kind != Kind::kScalar) return {};
  return std::string_view(n.tree_->arena_.data() + r.str_off, r.str_len);
}

std::string_view Node::tag() const {
  Node n = Resolved();
  if (!n) return {};
  const auto& r = n.tree_->nodes_[n.index_];
  return std::string_view(n.tree_->arena_.data() + r.tag_off, r.tag_len);
}

std::string_view Node::anchor() const {
  const auto& r = tree_->nodes_[index_];
  return std::string_view(tree_->arena_.data() + r.anchor_off, r.anchor_len);
}

bool Node::has_position() const { return tree_->nodes_[index_].has_pos; }

Pos Node::start() const {
  const auto& r = tree_->nodes_[index_];
  return {r.start, r.start_line, r.start_col};
}

Pos Node::end() const {
  const auto& r = tree_->nodes_[index_];
  return {r.end, r.end_line, r.end_col};
}

size_t Node::size() const {
  Node n = Resolved();
  return n ? n.tree_->nodes_[n.index_].count : 0;
}

bool Node::shared() const { return tree_ && tree_->nodes_[index_].shared; }

bool Node::IsMergeKey() const { return IsScalar() && style() == Style::kPlain && tag().empty() && scalar() == "<<"; }

namespace {
// Looks a key up as go-yaml v2 does: the mapping's entries apply in order, the last one setting the key wins; a
// merge key's mapping (or list of mappings, the first winning) sets every key it holds. Depth-bounded.
bool Lookup(const Node& map, std::string_view key, Node* key_out, Node* value_out, bool* via_merge, int depth) {
  if (depth > 16 || !map.IsMapping()) return false;
  bool found = false;
  for (const auto& p : map.Entries()) {
    if (!p.key.IsScalar()) continue;
    if (p.key.IsMergeKey()) {
      std::vector<Node> sources;
      if (p.value.IsSequence()) sources = p.value.Items();
      else sources.push_back(p.value);
      for (const auto& s : sources) {
        Node k, v;
        bool inner = false;
        if (Lookup(s.Resolved(), key, &k, &v, &inner, depth + 1)) {
          *key_out = k;
          *value_out = v;
          *via_merge = true;
          found = true;
          break;
        }
      }
    } else if (p.key.scalar() == key) {
      *key_out = p.key;
      *value_out = p.value;
      *via_merge = false;
      found = true;
    }
  }
  return found;
}

void Merged(const Node& map, std::vector<NodePair>& out, int depth) {
  if (depth > 16 || !map.IsMapping()) return;
  std::unordered_map<std::string_view, size_t> index;  // key -> position in out
  for (size_t i = 0; i < out.size(); ++i)
    if (out[i].key.IsScalar()) index.emplace(out[i].key.scalar(), i);
  auto set = [&](const NodePair& p) {
    auto [it, inserted] = index.emplace(p.key.scalar(), out.size());
    if (inserted) out.push_back(p);
    else out[it->second].value = p.value;
  };
  for (const auto& p : map.Entries()) {
    if (!p.key.IsScalar()) {
      out.push_back(p);
      continue;
    }
    if (!p.key.IsMergeKey()) {
      set(p);
      continue;
    }
    std::vector<Node> sources;
    if (p.value.IsSequence()) sources = p.value.Items();
    else sources.push_back(p.value);
    for (size_t i = sources.size(); i-- > 0;) {  // the first source wins: apply it last
      std::vector<NodePair> inner;
      Merged(sources[i].Resolved(), inner, depth + 1);
      for (const auto& q : inner) set(q);
    }
  }
}
}  // namespace

Node Node::Get(std::string_view key) const {
  Node k, v;
  bool via_merge = false;
  if (!valid() || !Lookup(Resolved(), key, &k, &v, &via_merge, 0)) return {};
  return v;
}

Node Node::KeyNode(std::string_view key) const {
  Node k, v;
  bool via_merge = false;
  if (!valid() || !Lookup(Resolved(), key, &k, &v, &via_merge, 0) || via_merge) return {};
  return k;
}

bool Node::ViaMerge(std::string_view key) const {
  Node k, v;
  bool via_merge = false;
  return valid() && Lookup(Resolved(), key, &k, &v, &via_merge, 0) && via_merge;
}

std::vector<NodePair> Node::MergedEntries() const {
  std::vector<NodePair> out;
  if (valid()) Merged(Resolved(), out, 0);
  return out;
}

Node Node::At(size_t index) const {
  Node n = Resolved();
  if (!n || n.tree_->nodes_[n.index_].kind != Kind::kSequence) return {};
  uint32_t c = n.tree_->nodes_[n.index_].first_child;
  for (size_t i = 0; c != Tree::kNone; ++i, c = n.tree_->nodes_[c].next_sibling)
    if (i == index) return Node(n.tree_, c);
  return {};
}

std::vector<Node::Pair> Node::Entries() const {
  std::vector<Pair> out;
  Node n = Resolved();
  if (!n || n.tree_->nodes_[n.index_].kind != Kind::kMapping) return out;
  out.reserve(n.tree_->nodes_[n.index_].count);
  uint32_t c = n.tree_->nodes_[n.index_].first_child;
  while (c != Tree::kNone) {
    uint32_t v = n.tree_->nodes_[c].next_sibling;
    if (v == Tree::kNone) break;
    out.push_back({Node(n.tree_, c), Node(n.tree_, v)});
    c = n.tree_->nodes_[v].next_sibling;
  }
  return out;
}

std::vector<Node> Node::Items() const {
  std::vector<Node> out;
  Node n = Resolved();
  if (!n || n.tree_->nodes_[n.index_].kind != Kind::kSequence) return out;
  for (uint32_t c = n.tree_->nodes_[n.index_].first_child; c != Tree::kNone; c = n.tree_->nodes_[c].next_sibling)
    out.emplace_back(Node(n.tree_, c));
  return out;
}

}  // namespace capstan::yaml
