// Copy on write for the Editor: values the document shares through aliases or merge keys are written out as
// copies (aliases followed, merge keys applied) with the edits applied, in place of an alias token or as an explicit
// key after a mapping's merge keys, so the shared text and every other copy of it stay as they are.
#include <algorithm>
#include <map>
#include <utility>

#include "util/error.h"
#include "util/strings.h"
#include "yaml/editor.h"

namespace capstan::yaml {

namespace {

std::string Line(Node n) { return std::to_string(n.start().line + 1); }

// Replays one Set or Prepend on a copy. Prepends to one list keep their call order, all before the copied items.
void ApplyOp(Snippet& root, bool prepend, const std::vector<std::string>& path, const Snippet& value, Node where,
             std::map<std::string, size_t>& prepended) {
  Snippet* cur = &root;
  std::string list_key;
  for (size_t i = 0; i < path.size(); ++i) {
    if (cur->is_null()) *cur = Snippet::Map();
    if (!cur->is_map())
      throw Error("cannot edit the YAML at line " + Line(where) + ": " + Quote(i > 0 ? path[i - 1] : "the value") +
                  " is not a mapping");
    Snippet* child = cur->Child(path[i]);
    list_key += path[i];
    list_key += '\0';
    if (i + 1 < path.size() || prepend) {
      if (!child) {
        cur->Set(path[i], i + 1 < path.size() ? Snippet::Map() : Snippet::List());
        child = cur->Child(path[i]);
      }
      cur = child;
      continue;
    }
    cur->Set(path[i], value);
    return;
  }
  if (!prepend) {
    *cur = value;  // an empty path: the value replaces the whole copy
    return;
  }
  if (cur->is_null()) *cur = Snippet::List();
  if (!cur->is_list())
    throw Error("cannot edit the YAML at line " + Line(where) + ": " + Quote(path.empty() ? "the value" : path.back()) +
                " is not a list");
  cur->Insert(prepended[list_key]++, value);
}

// The bytes of an alias token ("*name"); the parser marks the name only.
std::pair<size_t, size_t> AliasToken(std::string_view t, Node alias) {
  size_t p = alias.start().offset;
  if (p > 0 && p <= t.size() && t[p - 1] == '*') --p;
  if (p >= t.size() || t[p] != '*')
    throw Error("cannot edit the YAML at line " + Line(alias) + ": unexpected alias layout");
  size_t q = std::max<size_t>(alias.end().offset, p + 1);
  return {p, std::min(q, t.size())};
}

}  // namespace

void Editor::RefuseShared(Node node) const {
  throw Error("cannot edit the YAML at line " + Line(node) +
              ": this value is shared (an anchor that an alias or merge key '<<' copies, or the value of a merge "
              "key), so editing it in place would change every copy: write this object out without anchors, "
              "aliases and merge keys");
}

void Editor::AddCopy(Node token, Node map, const std::string& key, Node source, Op op) {
  for (auto& c : copies_) {
    bool same = token.valid() ? c.token.valid() && c.token.id() == token.id()
                              : !c.token.valid() && c.map.id() == map.id() && c.key == key;
    if (same) {
      c.ops.push_back(std::move(op));
      return;
    }
  }
  copies_.push_back({token, map, key, source, {}});
  copies_.back().ops.push_back(std::move(op));
}

void Editor::RenderCopy(const Copy& copy) {
  Snippet value = Snippet::FromNode(copy.source);
  std::map<std::string, size_t> prepended;
  Node where = copy.token.valid() ? copy.token : copy.map;
  for (const auto& op : copy.ops) ApplyOp(value, op.prepend, op.path, op.value, where, prepended);
  std::string_view t = tree_.text();
  if (copy.token.valid()) {
    // A flow copy fits wherever the alias token stood (block or flow context).
    auto [begin, end] = AliasToken(t, copy.token);
    edits_.Replace(begin, end, value.RenderFlow());
    return;
  }
  // An explicit key after the last merge key: go-yaml v2 applies entries in order, so it wins over the merge.
  Node merge_key, merge_value;
  for (const auto& e : copy.map.Entries())
    if (e.key.IsMergeKey()) merge_key = e.key, merge_value = e.value;
  if (!merge_key) throw Error("cannot edit the YAML at line " + Line(copy.map) + ": merge key not found");
  size_t end;
  if (merge_value.kind() == Kind::kAlias) end = AliasToken(t, merge_value).second;
  else if (merge_value.IsFlow()) end = merge_value.end().offset;
  else
    throw Error("cannot edit the YAML at line " + Line(merge_key) + ": " + Quote(copy.key) +
                " comes from a merge key ('<<') whose value is a block mapping; write the merge as an alias "
                "(<<: *name) or a flow mapping, or write the key out");
  if (copy.map.IsFlow()) {
    edits_.Insert(end, ", " + Snippet::Key(copy.key) + ": " + value.RenderFlow());
    return;
  }
  // Block mapping: a new line after the merge key's line, at its column.
  size_t nl = t.find('\n', end);
  size_t line_end = nl == std::string_view::npos ? t.size() : nl;
  if (line_end > end && t[line_end - 1] == '\r') --line_end;
  for (size_t i = end; i < line_end; ++i) {
    if (t[i] == '#') break;
    if (t[i] != ' ' && t[i] != '\t')
      throw Error("cannot edit the YAML at line " + Line(merge_key) +
                  ": unexpected text after the merge key's value; put the merge key on a line of its own");
  }
  size_t col = merge_key.start().offset - LineStart(merge_key.start().offset);
  std::string eol = EolAt(end);
  std::string text = eol + value.RenderEntry(copy.key, col, eol);
  text.erase(text.size() - eol.size());
  edits_.Insert(line_end, text);
}

}  // namespace capstan::yaml
