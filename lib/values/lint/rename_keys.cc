#include "values/lint/rename_keys.h"

#include <algorithm>

#include "util/error.h"
#include "util/strings.h"
#include "yaml/edits.h"
#include "yaml/snippet.h"

namespace capstan::values::lint {
namespace {

size_t LineStart(std::string_view t, size_t pos) {
  while (pos > 0 && t[pos - 1] != '\n') --pos;
  return pos;
}
size_t NextLine(std::string_view t, size_t pos) {  // position after the '\n' ending pos's line (or size)
  size_t nl = t.find('\n', pos);
  return nl == std::string_view::npos ? t.size() : nl + 1;
}
int Indent(std::string_view line) {
  int n = 0;
  while (static_cast<size_t>(n) < line.size() && line[static_cast<size_t>(n)] == ' ') ++n;
  return n;
}
bool BlankOrComment(std::string_view line) {
  std::string_view s = Trim(line);
  return s.empty() || s[0] == '#';
}
std::string_view LineAt(std::string_view t, size_t start) {
  size_t nl = t.find('\n', start);
  return t.substr(start, (nl == std::string_view::npos ? t.size() : nl) - start);
}

// The byte range of a block mapping entry whose key starts the line `key_line_start` with indentation `indent`:
// the key line and every following line that is blank, a comment, or more indented, up to the last such
// non-blank content line.
size_t EntryEnd(std::string_view t, size_t key_line_start, int indent) {
  size_t end = NextLine(t, key_line_start);
  size_t pos = end;
  while (pos < t.size()) {
    std::string_view line = LineAt(t, pos);
    size_t next = NextLine(t, pos);
    if (!BlankOrComment(line)) {
      if (Indent(line) <= indent) break;
      end = next;
    }
    pos = next;
  }
  return end;
}

// Comment lines directly above the key line with the same indentation move with the entry.
size_t EntryStart(std::string_view t, size_t key_line_start, int indent) {
  size_t start = key_line_start;
  while (start > 0) {
    size_t prev = LineStart(t, start - 1);
    std::string_view line = LineAt(t, prev);
    std::string_view s = Trim(line);
    if (s.empty() || s[0] != '#' || Indent(line) != indent) break;
    start = prev;
  }
  return start;
}

bool IsBlockKey(std::string_view t, const SourceNode& n) {
  if (!n.has_key) return false;
  size_t ls = LineStart(t, n.key_begin);
  size_t key_start = n.key_plain ? n.key_begin : n.key_begin - 1;  // quoted keys: the mark is inside the quote
  for (size_t i = ls; i < key_start; ++i)
    if (t[i] != ' ') return false;
  return true;
}

std::vector<const SourceNode*> Children(const SourceMap& m, const std::string& parent) {
  std::vector<const SourceNode*> out;
  for (const auto& n : m.nodes()) {
    if (n.pointer.size() <= parent.size() || n.pointer.compare(0, parent.size(), parent) != 0) continue;
    if (n.pointer[parent.size()] != '/') continue;
    if (n.pointer.find('/', parent.size() + 1) != std::string::npos) continue;
    out.push_back(&n);
  }
  return out;
}

std::string Reindent(std::string_view chunk, int from, int to) {
  std::string out;
  size_t pos = 0;
  while (pos < chunk.size()) {
    size_t nl = chunk.find('\n', pos);
    std::string_view line = chunk.substr(pos, (nl == std::string_view::npos ? chunk.size() : nl) - pos);
    if (!Trim(line).empty()) {
      int strip = std::min(from, Indent(line));
      out.append(static_cast<size_t>(to), ' ');
      out.append(line.substr(static_cast<size_t>(strip)));
    }
    out += '\n';
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return out;
}

struct Attempt {
  bool applied = false;
  std::string reason;
  std::string text;
};

Attempt Apply(std::string_view t, const SourceMap& m, const Path& from, const Path& to,
              const KeyNormalizer& normalize) {
  Attempt a;
  const SourceNode* n = m.Find(PointerJoin(from));
  if (m.Find(PointerJoin(to))) {
    a.reason = "both '" + FormatPath(from) + "' and '" + FormatPath(to) + "' are set: keep one and delete the other";
    return a;
  }
  Path from_parent(from.begin(), from.end() - 1), to_parent(to.begin(), to.end() - 1);
  if (from_parent == to_parent) {  // same map: replace the key token
    std::string key = n->key_plain ? yaml::Snippet::Key(to.back()) : to.back();
    if (!n->key_plain && key.find_first_of("\"'\\") != std::string::npos) {
      a.reason = "the new key needs escaping inside the quoted old key: rename it by hand";
      return a;
    }
    yaml::Edits edits;
    edits.Replace(n->key_begin, n->key_end, key);
    a.text = edits.Apply(t);
    a.applied = true;
    return a;
  }
  if (m.documents() > 1) {
    a.reason = "moving a key to another map is only done in single-document files: move it by hand";
    return a;
  }
  // Remove the entry; if it is the only key of its map, remove the map's entry too (repeat upwards).
  Path cut = from;
  const SourceNode* entry = n;
  while (cut.size() > 1) {
    Path parent(cut.begin(), cut.end() - 1);
    if (Children(m, PointerJoin(parent)).size() != 1) break;
    const SourceNode* pn = m.Find(PointerJoin(parent));
    if (!pn || !pn->has_key) break;
    cut = parent;
    entry = pn;
  }
  if (!IsBlockKey(t, *entry) || !IsBlockKey(t, *n)) {
    a.reason = "the key is in a flow-style map ({...}) or a list item: move it by hand";
    return a;
  }
  size_t n_line = LineStart(t, n->key_begin);
  int n_indent = Indent(LineAt(t, n_line));
  std::string chunk(t.substr(EntryStart(t, n_line, n_indent), EntryEnd(t, n_line, n_indent) -
                                                                 EntryStart(t, n_line, n_indent)));
  // Rename the key inside the chunk.
  size_t key_off = n->key_begin - EntryStart(t, n_line, n_indent);
  std::string new_key = n->key_plain ? yaml::Snippet::Key(to.back()) : to.back();
  chunk = chunk.substr(0, key_off) + new_key + chunk.substr(key_off + (n->key_end - n->key_begin));

  size_t e_line = LineStart(t, entry->key_begin);
  int e_indent = Indent(LineAt(t, e_line));
  size_t cut_begin = EntryStart(t, e_line, e_indent);
  size_t cut_end = EntryEnd(t, e_line, e_indent);
  yaml::Edits removal;
  removal.Replace(cut_begin, cut_end, "");
  std::string rest = removal.Apply(t);

  SourceMap rm = SourceMap::BuildValues(rest, normalize);
  if (!rm.ok()) {
    a.reason = "removing the old key would leave invalid YAML: move it by hand";
    return a;
  }
  // The deepest existing ancestor of the new parent.
  size_t have = 0;
  while (have < to_parent.size()) {
    Path p(to_parent.begin(), to_parent.begin() + static_cast<long>(have) + 1);
    const SourceNode* pn = rm.Find(PointerJoin(p));
    if (!pn) break;
    if (pn->kind != SourceNode::Kind::kMap || !IsBlockKey(rest, *pn)) {
      a.reason = "'" + FormatPath(p) + "' is not a block-style map: move the key by hand";
      return a;
    }
    ++have;
  }
  size_t insert_at;
  int child_indent;
  if (have == 0) {
    const SourceNode* root = rm.Find("");
    if (root && root->kind != SourceNode::Kind::kMap) {
      a.reason = "the document is not a map";
      return a;
    }
    auto kids = Children(rm, "");
    if (root && !kids.empty() && !IsBlockKey(rest, *kids.front())) {
      a.reason = "the document is a flow-style map: move the key by hand";
      return a;
    }
    if (!rest.empty() && rest.back() != '\n') rest += '\n';
    insert_at = rest.size();
    child_indent = 0;
  } else {
    Path p(to_parent.begin(), to_parent.begin() + static_cast<long>(have));
    const SourceNode* pn = rm.Find(PointerJoin(p));
    size_t pl = LineStart(rest, pn->key_begin);
    int pindent = Indent(LineAt(rest, pl));
    insert_at = EntryEnd(rest, pl, pindent);
    if (insert_at == rest.size() && !rest.empty() && rest.back() != '\n') {
      rest += '\n';
      insert_at = rest.size();
    }
    auto kids = Children(rm, PointerJoin(p));
    child_indent = kids.empty() ? pindent + 2 : Indent(LineAt(rest, LineStart(rest, kids.front()->key_begin)));
  }
  std::string add;
  for (size_t i = have; i < to_parent.size(); ++i) {
    add.append(static_cast<size_t>(child_indent), ' ');
    add += yaml::Snippet::Key(to_parent[i]) + ":\n";
    child_indent += 2;
  }
  add += Reindent(chunk, n_indent, child_indent);
  yaml::Edits insert;
  insert.Insert(insert_at, add);
  a.text = insert.Apply(rest);
  a.applied = true;
  return a;
}

}  // namespace

MigrateResult MigrateText(std::string_view text, const ChartRenames& renames, const KeyNormalizer& normalize) {
  MigrateResult result;
  result.text = std::string(text);
  SourceMap original = SourceMap::BuildValues(text, normalize);
  if (!original.ok()) {
    throw Error("line " + std::to_string(original.error().line) + ": " + original.error().message +
                ": the file is not valid YAML; fix it first");
  }
  // Every old key present in the file, with its final target (chains resolved), in document order.
  for (const auto& node : original.nodes()) {
    if (!node.has_key) continue;
    std::vector<std::string> tokens = PointerSplit(node.pointer);
    Path path(tokens.begin(), tokens.end());
    auto r = renames.FindRename(path);
    if (!r) continue;
    MigrateChange c;
    c.from = path;
    c.to = r->to;
    c.since = r->since;
    c.line = node.key_line;
    result.changes.push_back(std::move(c));
  }
  for (auto& c : result.changes) {
    SourceMap m = SourceMap::BuildValues(result.text, normalize);
    if (!m.Find(PointerJoin(c.from))) {
      c.reason = "already moved with its parent";
      continue;
    }
    Attempt a = Apply(result.text, m, c.from, c.to, normalize);
    if (!a.applied) {
      c.reason = a.reason;
      continue;
    }
    if (!SourceMap::BuildValues(a.text, normalize).ok()) {
      c.reason = "the edit would produce invalid YAML: move the key by hand";
      continue;
    }
    result.text = std::move(a.text);
    c.applied = true;
  }
  return result;
}

}  // namespace capstan::values::lint
