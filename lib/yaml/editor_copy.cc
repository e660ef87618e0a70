// Copy on write for the Editor: values the document shares through aliases or merge keys are written out as
// copies (aliases followed, merge keys applied) with the edits applied, in place of an alias token or as an explicit
// key after a mapping's merge keys, so the shared text and every other copy of it stay as they are.
#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "util/error.h"
#include "util/strings.h"
#include "yaml/editor.h"

namespace capstan::yaml {

// Replays one Set or Prepend on a copy. Prepends to one list keep their call order, all before the copied items.
// prepended counts them per list: its path (prefix, then the op's keys, each ended by '\0').
void Editor::ApplyOp(Snippet& root, const Op& op, Node where, uint32_t first_line,
                     std::map<std::string, size_t>& prepended, const std::string& prefix) {
  const std::vector<std::string>& path = op.path;
  Snippet* cur = &root;
  std::string list_key = prefix;
  for (size_t i = 0; i < path.size(); ++i) {
    if (cur->is_null()) *cur = Snippet::Map();
    if (!cur->is_map())
      throw Error("cannot edit the YAML at line " + yaml::InputLine(where, first_line) + ": " + Quote(i > 0 ? path[i - 1] : "the value") +
                  " is not a mapping");
    Snippet* child = cur->Child(path[i]);
    list_key += path[i];
    list_key += '\0';
    if (i + 1 < path.size() || op.prepend) {
      if (!child) {
        cur->Set(path[i], i + 1 < path.size() ? Snippet::Map() : Snippet::List());
        child = cur->Child(path[i]);
      }
      cur = child;
      continue;
    }
    cur->Set(path[i], op.value);
    return;
  }
  if (!op.prepend) {
    *cur = op.value;  // an empty path: the value replaces the whole copy
    return;
  }
  if (cur->is_null()) *cur = Snippet::List();
  if (!cur->is_list())
    throw Error("cannot edit the YAML at line " + yaml::InputLine(where, first_line) + ": " + Quote(path.empty() ? "the value" : path.back()) +
                " is not a list");
  cur->Insert(prepended[list_key]++, op.value);
}

namespace {

// The bytes of an alias token ("*name"); the parser marks the name only.
std::pair<size_t, size_t> AliasToken(std::string_view t, Node alias, uint32_t first_line) {
  size_t p = alias.start().offset;
  if (p > 0 && p <= t.size() && t[p - 1] == '*') --p;
  if (p >= t.size() || t[p] != '*')
    throw Error("cannot edit the YAML at line " + InputLine(alias, first_line) + ": unexpected alias layout");
  size_t q = std::max<size_t>(alias.end().offset, p + 1);
  return {p, std::min(q, t.size())};
}

}  // namespace

void Editor::RefuseShared(Node node) const {
  throw LayoutError(node, "cannot edit the YAML at line " + InputLine(node) +
              ": this value is shared (an anchor that an alias or merge key '<<' copies, or the value of a merge "
              "key), so editing it in place would change every copy: write this object out without anchors, "
              "aliases and merge keys");
}

Editor::Copy& Editor::AddCopy(Node token, Node map, const std::string& key, Node source) {
  for (auto& c : copies_) {
    bool same = token.valid() ? c.token.valid() && c.token.id() == token.id()
                              : !c.token.valid() && c.map.id() == map.id() && c.key == key;
    if (same) return c;
  }
  copies_.push_back({token, map, key, source, {}});
  return copies_.back();
}

namespace {
// Where a path from the root first enters shared text: an alias token, or a key a mapping gets from a merge key.
struct Crossing {
  Node token, map;
  std::string key;
};

// Walks the document as go-yaml v2 reads it and records, for each wanted node, the crossings of the paths that
// reach it through an alias or a merge key, and an empty crossing where a path reaches it in place. Bounded: the walk visits
// each node of the expanded document once at most, and the parser bounds the expanded size.
class CrossingFinder {
 public:
  explicit CrossingFinder(const std::unordered_map<uint32_t, std::vector<size_t>>& wanted) : wanted_(wanted) {}
  std::unordered_map<uint32_t, std::vector<Crossing>> found;

  void Walk(Node n, const Crossing* crossing, size_t depth) {
    if (!n.valid() || depth > 1024) return;
    if (++visits_ > kMaxVisits)
      throw Error("cannot edit the YAML: the document is too large to find the copies of a shared value in");
    Crossing here;
    if (!crossing && n.kind() == Kind::kAlias && !n.shared()) {
      here.token = n;
      crossing = &here;
    }
    Node r = n.Resolved();
    if (wanted_.count(r.id())) {
      found[r.id()].push_back(crossing ? *crossing : Crossing{});  // an empty crossing: the node in place
      return;
    }
    if (r.IsMapping()) {
      std::unordered_set<uint32_t> own;  // values written in this mapping (not merged into it)
      for (const auto& e : r.Entries()) own.insert(e.value.id());
      for (const auto& [k, v] : r.MergedEntries()) {
        bool merged = own.count(v.id()) == 0;
        if (merged && !crossing && !r.shared() && k.IsScalar()) {
          Crossing c{Node(), r, std::string(k.scalar())};
          Walk(v, &c, depth + 1);
        } else {
          Walk(v, crossing, depth + 1);
        }
      }
    } else if (r.IsSequence()) {
      for (const auto& item : r.Items()) Walk(item, crossing, depth + 1);
    }
  }

 private:
  static constexpr size_t kMaxVisits = 4000000;
  const std::unordered_map<uint32_t, std::vector<size_t>>& wanted_;
  size_t visits_ = 0;
};
}  // namespace

// Edits that start inside shared text go into copies: find where the document reaches their nodes through an alias
// or a merge key, and copy there (where no other edit made a copy yet).
// A node the document also holds in place (its anchor's own place) is refused: the edit may mean that place, which
// cannot change without changing every copy.
void Editor::CopyAroundDeferred(const std::vector<bool>& used) {
  std::unordered_map<uint32_t, std::vector<size_t>> wanted;
  for (size_t i = 0; i < deferred_.size(); ++i)
    if (!used[i]) wanted[deferred_[i].node.id()].push_back(i);
  CrossingFinder finder(wanted);
  finder.Walk(tree_.root(), nullptr, 0);
  for (const auto& [id, crossings] : finder.found) {
    for (const auto& c : crossings)
      if (!c.token.valid() && !c.map.valid()) RefuseShared(deferred_[wanted[id].front()].node);
    for (const auto& c : crossings) {
      if (c.token.valid()) AddCopy(c.token, Node(), "", c.token.Resolved());
      else AddCopy(Node(), c.map, c.key, c.map.Get(c.key));
    }
  }
}

// A copy of node (aliases followed, merge keys applied) with the deferred edits of every node inside it applied.
Snippet Editor::CopyOf(Node node, std::vector<bool>& used, size_t depth) const {
  Node n = node.Resolved();
  if (depth > 1024) throw Error("cannot edit the YAML at line " + InputLine(n) + ": nesting too deep to copy");
  Snippet s;
  if (n.IsMapping()) {
    s = Snippet::Map();
    for (const auto& [k, v] : n.MergedEntries()) s.Append(Snippet::CopyKey(k, first_line_), CopyOf(v, used, depth + 1));
  } else if (n.IsSequence()) {
    s = Snippet::List();
    for (const auto& item : n.Items()) s.Push(CopyOf(item, used, depth + 1));
  } else {
    s = Snippet::FromNode(n);
  }
  auto at = deferred_at_.find(n.id());
  if (at != deferred_at_.end()) {
    std::map<std::string, size_t> prepended;
    for (size_t i : at->second) {
      const Op& op = deferred_[i].op;
      ApplyOp(s, op, n, first_line_, prepended);
      used[i] = true;
    }
  }
  return s;
}

Snippet Editor::BuildCopy(const Copy& copy, std::vector<bool>& used) const {
  Snippet value = CopyOf(copy.source, used, 0);
  std::map<std::string, size_t> prepended;
  Node where = copy.token.valid() ? copy.token : copy.map;
  for (const auto& op : copy.ops) ApplyOp(value, op, where, first_line_, prepended);
  return value;
}

// Copies for the edits through aliases and merge keys take the edits that start at nodes inside them; edits left
// over get copies of their own where the document reaches their node only through aliases or merge keys.
// used: the deferred edits already applied (inside re-emitted collections).
void Editor::CommitCopies(std::vector<bool>& used) {
  std::vector<Snippet> built;
  for (const auto& c : copies_) built.push_back(BuildCopy(c, used));
  if (std::find(used.begin(), used.end(), false) != used.end()) {
    size_t before = copies_.size();
    CopyAroundDeferred(used);
    for (size_t i = before; i < copies_.size(); ++i) built.push_back(BuildCopy(copies_[i], used));
  }
  for (size_t i = 0; i < deferred_.size(); ++i)
    if (!used[i]) RefuseShared(deferred_[i].node);
  for (size_t i = 0; i < copies_.size(); ++i) RenderCopy(copies_[i], built[i]);
}

void Editor::RenderCopy(const Copy& copy, const Snippet& value) {
  std::string_view t = tree_.text();
  if (copy.token.valid()) {
    // A flow copy fits wherever the alias token stood (block or flow context).
    auto [begin, end] = AliasToken(t, copy.token, first_line_);
    edits_.Replace(begin, end, value.RenderFlow());
    return;
  }
  // An explicit key after the last merge key: go-yaml v2 applies entries in order, so it wins over the merge.
  Node merge_key, merge_value;
  for (const auto& e : copy.map.Entries())
    if (e.key.IsMergeKey()) merge_key = e.key, merge_value = e.value;
  if (!merge_key) throw Error("cannot edit the YAML at line " + InputLine(copy.map) + ": merge key not found");
  size_t end;
  if (merge_value.kind() == Kind::kAlias) end = AliasToken(t, merge_value, first_line_).second;
  else if (merge_value.IsFlow()) end = merge_value.end().offset;
  else
    throw LayoutError(copy.map, "cannot edit the YAML at line " + InputLine(merge_key) + ": " + Quote(copy.key) +
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
      throw LayoutError(copy.map, "cannot edit the YAML at line " + InputLine(merge_key) +
                  ": unexpected text after the merge key's value; put the merge key on a line of its own");
  }
  size_t col = merge_key.start().offset - LineStart(merge_key.start().offset);
  std::string eol = EolAt(end);
  std::string text = eol + value.RenderEntry(copy.key, col, eol);
  text.erase(text.size() - eol.size());
  edits_.Insert(line_end, text);
}

}  // namespace capstan::yaml
