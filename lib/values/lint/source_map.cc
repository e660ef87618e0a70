#include "values/lint/source_map.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>

#include "goyaml/compose.h"
#include "goyaml/yamlh.h"
#include "util/error.h"
#include "yaml/tree.h"

namespace capstan::values::lint {

std::string PointerEscape(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string PointerJoin(const std::vector<std::string>& tokens) {
  std::string out;
  for (const auto& t : tokens) {
    out += '/';
    out += PointerEscape(t);
  }
  return out;
}

std::vector<std::string> PointerSplit(std::string_view pointer) {
  std::vector<std::string> out;
  if (pointer.empty()) return out;
  size_t i = pointer[0] == '/' ? 1 : 0;
  std::string cur;
  for (; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      out.push_back(cur);
      cur.clear();
    } else if (pointer[i] == '~' && i + 1 < pointer.size() && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
      cur += pointer[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      cur += pointer[i];
    }
  }
  return out;
}

struct SourceMapBuilder {
  static void Add(SourceMap* m, SourceNode n) { m->Add(std::move(n)); }
  static void AddDuplicate(SourceMap* m, SourceDuplicate d) { m->duplicates_.push_back(std::move(d)); }
};

namespace {

// go-yaml counts positions in characters (mark.index): byte offsets for them, for text with non-ASCII bytes.
class CharOffsets {
 public:
  explicit CharOffsets(std::string_view text) {
    size_t start = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;  // the reader skips a BOM without counting it
    bool ascii = true;
    for (size_t i = start; i < text.size() && ascii; ++i) ascii = static_cast<unsigned char>(text[i]) < 0x80;
    base_ = start;
    if (ascii) return;
    for (size_t i = start; i < text.size(); ++i)
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts_.push_back(i);
    starts_.push_back(text.size());
  }
  size_t Byte(size_t index) const {
    if (starts_.empty()) return base_ + index;
    return index < starts_.size() ? starts_[index] : starts_.back();
  }

 private:
  size_t base_ = 0;
  std::vector<size_t> starts_;  // byte offset of each character (non-ASCII text only)
};

struct Where {
  int line = 0, column = 0;  // 1-based
  size_t begin = 0, end = 0;
};

// How the walk sees libfyaml's tree (JSON, our own files).
struct FyView {
  using N = yaml::Node;
  static SourceNode::Kind KindOf(const N& v) {
    yaml::Kind k = v.kind();
    return k == yaml::Kind::kMapping    ? SourceNode::Kind::kMap
           : k == yaml::Kind::kSequence ? SourceNode::Kind::kList
           : k == yaml::Kind::kAlias    ? SourceNode::Kind::kAlias
                                        : SourceNode::Kind::kScalar;
  }
  Where Place(const N& v) const {
    if (!v.has_position()) return {};
    return {static_cast<int>(v.start().line) + 1, static_cast<int>(v.start().column) + 1, v.start().offset,
            v.end().offset};
  }
  static std::string Text(const N& v) { return std::string(v.scalar()); }
  static bool Plain(const N& v) { return v.style() == yaml::Style::kPlain && v.tag().empty(); }
  static bool IndexedKey(const N& k) { return k.IsScalar() && k.kind() != yaml::Kind::kAlias; }
  static bool Empty(const N& v) { return !v.has_position(); }  // `key:` with nothing after it
  template <class F> static void ForEachEntry(const N& v, F f) {
    for (const auto& pair : v.Entries()) f(pair.key, pair.value);
  }
  template <class F> static void ForEachItem(const N& v, F f) {
    for (const auto& item : v.Items()) f(item);
  }
};

// How the walk sees go-yaml's nodes (the reader Helm uses for values files).
struct GoView {
  using N = const goyaml::Node*;
  const CharOffsets& offsets;
  static SourceNode::Kind KindOf(N v) {
    return v->kind == goyaml::mappingNode    ? SourceNode::Kind::kMap
           : v->kind == goyaml::sequenceNode ? SourceNode::Kind::kList
           : v->kind == goyaml::aliasNode    ? SourceNode::Kind::kAlias
                                             : SourceNode::Kind::kScalar;
  }
  // The range as the libfyaml map gives it: a quoted scalar's range is inside its quotes.
  Where Place(N v) const {
    bool quoted = v->kind == goyaml::scalarNode && (v->style == goyaml::yaml_SINGLE_QUOTED_SCALAR_STYLE ||
                                                    v->style == goyaml::yaml_DOUBLE_QUOTED_SCALAR_STYLE);
    size_t b = offsets.Byte(v->start), e = offsets.Byte(v->end);
    if (quoted && e >= b + 2) ++b, --e;
    return {v->line + 1, v->column + 1, b, e};
  }
  static std::string Text(N v) { return v->value; }
  static bool Plain(N v) { return v->implicit; }  // plain style and no tag
  static bool IndexedKey(N k) { return k->kind == goyaml::scalarNode; }  // not complex keys nor aliases
  static bool Empty(N v) {  // `key:` with nothing after it, or an empty document
    return v->kind == goyaml::scalarNode && v->implicit && v->value.empty() && v->start == v->end;
  }
  template <class F> static void ForEachEntry(N v, F f) {
    for (size_t i = 0; i + 1 < v->children.size(); i += 2) f(v->children[i], v->children[i + 1]);
  }
  template <class F> static void ForEachItem(N v, F f) {
    for (N c : v->children) f(c);
  }
};

template <class View>
struct Walker {
  using N = typename View::N;
  SourceMap* map;
  const KeyNormalizer& normalize;
  View view;
  int document = 0;
  std::vector<std::string> path;

  SourceNode Make(const N& v) {
    SourceNode n;
    n.pointer = PointerJoin(path);
    n.document = document;
    n.kind = View::KindOf(v);
    Where w = view.Place(v);
    n.line = w.line, n.column = w.column, n.begin = w.begin, n.end = w.end;
    if (n.kind == SourceNode::Kind::kScalar) {
      n.text = View::Text(v);
      n.plain = View::Plain(v);
    }
    return n;
  }

  void Walk(const N& v, SourceNode n, size_t depth) {
    SourceNode::Kind kind = n.kind;
    SourceMapBuilder::Add(map, std::move(n));  // parents before children: document order
    if (kind == SourceNode::Kind::kMap && depth < 512) {
      std::map<std::string, std::pair<int, int>> seen;  // key -> line, column where it was first written
      View::ForEachEntry(v, [&](const N& key, const N& value) {
        if (!View::IndexedKey(key)) return;  // complex keys: not indexed
        std::string raw = View::Text(key);
        bool plain = View::Plain(key);
        if (plain && raw == "<<") return;  // merge keys are resolved by the loader, not positions of their own
        std::string name = normalize ? normalize(raw, plain) : raw;
        path.push_back(name);
        SourceNode c = Make(value);
        c.has_key = true;
        c.key_text = raw;
        c.key_plain = plain;
        Where k = view.Place(key);
        c.key_line = k.line, c.key_column = k.column, c.key_begin = k.begin, c.key_end = k.end;
        auto [first, fresh] = seen.emplace(name, std::make_pair(c.key_line, c.key_column));
        if (!fresh) {
          SourceMapBuilder::AddDuplicate(map, {PointerJoin(path), raw, c.key_line, c.key_column, first->second.first,
                                               first->second.second});
          first->second = {c.key_line, c.key_column};
        }
        if (View::Empty(value)) {
          c.line = c.key_line;
          c.column = c.key_column;
          c.begin = c.end = c.key_end;
        }
        Walk(value, std::move(c), depth + 1);
        path.pop_back();
      });
    } else if (kind == SourceNode::Kind::kList && depth < 512) {
      size_t i = 0;
      View::ForEachItem(v, [&](const N& item) {
        path.push_back(std::to_string(i++));
        Walk(item, Make(item), depth + 1);
        path.pop_back();
      });
    }
  }
};

}  // namespace

void SourceMap::Add(SourceNode n) { nodes_.push_back(std::move(n)); }

// A pointer met again (a later document, a repeated key) keeps the first one's place in document order and takes
// the last one's content, as the values do. The index is the surviving nodes sorted by pointer: a few bytes a node
// where a map of pointer copies cost more than the nodes themselves on a large values file.
void SourceMap::Finish() {
  std::vector<uint32_t> order(nodes_.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return nodes_[a].pointer < nodes_[b].pointer; });
  std::vector<bool> dropped(nodes_.size(), false);
  std::vector<uint32_t> firsts;  // the first node of each pointer, in pointer order
  for (size_t i = 0; i < order.size();) {
    size_t last = i;
    while (last + 1 < order.size() && nodes_[order[last + 1]].pointer == nodes_[order[i]].pointer) ++last;
    if (last > i) {
      nodes_[order[i]] = std::move(nodes_[order[last]]);
      for (size_t k = i + 1; k <= last; ++k) dropped[order[k]] = true;
    }
    firsts.push_back(order[i]);
    i = last + 1;
  }
  std::vector<uint32_t> renumber(nodes_.size());
  size_t kept = 0;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (dropped[i]) continue;
    renumber[i] = static_cast<uint32_t>(kept);
    if (kept != i) nodes_[kept] = std::move(nodes_[i]);
    ++kept;
  }
  nodes_.resize(kept);
  index_.clear();
  index_.reserve(firsts.size());
  for (uint32_t f : firsts) index_.push_back(renumber[f]);
}

SourceMap SourceMap::Build(std::string_view text, const KeyNormalizer& normalize) {
  SourceMap map;
  yaml::ParseOptions options;
  options.allow_duplicate_keys = true;
  options.allow_multiple_documents = true;
  // The values reader bounds alias expansion as Helm does (values/yaml_load.cc); the map indexes nodes as written.
  options.max_expanded_nodes = std::numeric_limits<size_t>::max();
  std::vector<yaml::Tree> docs;
  try {
    docs = yaml::Tree::ParseAll(text, options);
  } catch (const yaml::ParseError& e) {
    map.error_ = {e.reason(), static_cast<int>(e.line()) + 1, static_cast<int>(e.column()) + 1};
    return map;
  }
  Walker<FyView> w{&map, normalize, FyView{}, 0, {}};
  for (const auto& doc : docs) {
    ++map.documents_;
    if (!doc.root()) continue;
    w.Walk(doc.root(), w.Make(doc.root()), 0);
    ++w.document;
  }
  map.Finish();
  return map;
}

SourceMap SourceMap::BuildValues(std::string_view text, const KeyNormalizer& normalize) {
  SourceMap map;
  CharOffsets offsets(text);
  Walker<GoView> w{&map, normalize, GoView{offsets}, 0, {}};
  try {
    goyaml::Composer composer(text);
    while (const goyaml::Node* doc = composer.Parse()) {
      ++map.documents_;
      const goyaml::Node* root = doc->children.empty() ? nullptr : doc->children[0];
      if (root && !GoView::Empty(root)) w.Walk(root, w.Make(root), 0);
      ++w.document;
    }
  } catch (const goyaml::YamlError& e) {
    map.error_ = {e.what(), e.line() >= 0 ? e.line() + 1 : 0, e.column() >= 0 ? e.column() + 1 : 0};
  } catch (const Error& e) {  // the port's guard where go-yaml would panic
    map.error_ = {e.what(), 0, 0};
  }
  map.Finish();
  return map;
}

const SourceNode* SourceMap::Find(const std::string& pointer) const {
  auto it = std::lower_bound(index_.begin(), index_.end(), pointer,
                             [&](uint32_t i, const std::string& p) { return nodes_[i].pointer < p; });
  return it != index_.end() && nodes_[*it].pointer == pointer ? &nodes_[*it] : nullptr;
}

const SourceNode* SourceMap::FindNearest(const std::string& pointer) const {
  std::string p = pointer;
  for (;;) {
    if (const SourceNode* n = Find(p)) return n;
    if (p.empty()) return nullptr;
    size_t slash = p.rfind('/');
    p = slash == std::string::npos ? std::string() : p.substr(0, slash);
  }
}

}  // namespace capstan::values::lint
