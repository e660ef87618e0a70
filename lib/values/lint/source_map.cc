#include "values/lint/source_map.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>

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

struct Walker {
  SourceMap* map;
  const KeyNormalizer& normalize;
  int document = 0;
  std::vector<std::string> path;

  SourceNode Make(const yaml::Node& v) {
    SourceNode n;
    n.pointer = PointerJoin(path);
    n.document = document;
    yaml::Kind k = v.kind();
    n.kind = k == yaml::Kind::kMapping    ? SourceNode::Kind::kMap
             : k == yaml::Kind::kSequence ? SourceNode::Kind::kList
             : k == yaml::Kind::kAlias    ? SourceNode::Kind::kAlias
                                          : SourceNode::Kind::kScalar;
    if (v.has_position()) {
      n.line = static_cast<int>(v.start().line) + 1;
      n.column = static_cast<int>(v.start().column) + 1;
      n.begin = v.start().offset;
      n.end = v.end().offset;
    }
    if (n.kind == SourceNode::Kind::kScalar) {
      n.text = std::string(v.scalar());
      n.plain = v.style() == yaml::Style::kPlain && v.tag().empty();
    }
    return n;
  }

  void Walk(const yaml::Node& v, SourceNode n, size_t depth) {
    SourceNode::Kind kind = n.kind;
    SourceMapBuilder::Add(map, std::move(n));  // parents before children: document order
    if (kind == SourceNode::Kind::kMap && depth < 512) {
      std::map<std::string, std::pair<int, int>> seen;  // key -> line, column where it was first written
      for (const auto& pair : v.Entries()) {
        if (!pair.key.IsScalar() || pair.key.kind() == yaml::Kind::kAlias) continue;  // complex keys: not indexed
        std::string raw(pair.key.scalar());
        bool plain = pair.key.style() == yaml::Style::kPlain && pair.key.tag().empty();
        if (plain && raw == "<<") continue;  // merge keys are resolved by the loader, not positions of their own
        std::string key = normalize ? normalize(raw, plain) : raw;
        path.push_back(key);
        SourceNode c = Make(pair.value);
        c.has_key = true;
        c.key_text = raw;
        c.key_plain = plain;
        c.key_line = static_cast<int>(pair.key.start().line) + 1;
        c.key_column = static_cast<int>(pair.key.start().column) + 1;
        c.key_begin = pair.key.start().offset;
        c.key_end = pair.key.end().offset;
        auto [first, fresh] = seen.emplace(key, std::make_pair(c.key_line, c.key_column));
        if (!fresh) {
          SourceMapBuilder::AddDuplicate(map, {PointerJoin(path), raw, c.key_line, c.key_column, first->second.first,
                                               first->second.second});
          first->second = {c.key_line, c.key_column};
        }
        if (!pair.value.has_position()) {  // `key:` with nothing after it
          c.line = c.key_line;
          c.column = c.key_column;
          c.begin = c.end = c.key_end;
        }
        Walk(pair.value, std::move(c), depth + 1);
        path.pop_back();
      }
    } else if (kind == SourceNode::Kind::kList && depth < 512) {
      size_t i = 0;
      for (const auto& item : v.Items()) {
        path.push_back(std::to_string(i++));
        Walk(item, Make(item), depth + 1);
        path.pop_back();
      }
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
  Walker w{&map, normalize, 0, {}};
  for (const auto& doc : docs) {
    ++map.documents_;
    if (!doc.root()) continue;
    w.Walk(doc.root(), w.Make(doc.root()), 0);
    ++w.document;
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
