#include "yaml/editor.h"

#include <algorithm>
#include <cstddef>

#include "util/error.h"
#include "util/strings.h"

namespace capstan::yaml {

std::string Editor::InputLine(Node n) const { return yaml::InputLine(n, first_line_); }

namespace {
Snippet Nest(const std::vector<std::string>& path, size_t from, const Snippet& leaf) {
  Snippet v = leaf;
  for (size_t i = path.size(); i-- > from + 1;) {
    Snippet m = Snippet::Map();
    m.Set(path[i], std::move(v));
    v = std::move(m);
  }
  return v;
}
}  // namespace

std::string Editor::EolAt(size_t offset) const {
  std::string_view t = tree_.text();
  size_t nl = t.find('\n', offset);
  if (nl == std::string_view::npos) nl = t.rfind('\n', offset);
  if (nl != std::string_view::npos && nl > 0 && t[nl - 1] == '\r') return "\r\n";
  return "\n";
}

size_t Editor::LineStart(size_t offset) const {
  std::string_view t = tree_.text();
  size_t nl = offset == 0 ? std::string_view::npos : t.rfind('\n', offset - 1);
  return nl == std::string_view::npos ? 0 : nl + 1;
}

// Keys the editor works through must be plain block keys: only indentation or sequence dashes before them on their
// line (no '?' explicit keys, anchors, tags or flow context), and a text to locate.
void Editor::CheckKey(Node map, Node key) const {
  if (!key.valid() || !key.has_position() || key.scalar().empty())
    throw LayoutError(map, "cannot edit the YAML: a key without text (an empty or implicit key) has no position to edit at");
  std::string_view t = tree_.text();
  size_t p = key.start().offset;
  if (p > 0 && (t[p - 1] == '"' || t[p - 1] == '\'')) --p;
  size_t ls = LineStart(p);
  bool bad = key.style() == Style::kLiteral || key.style() == Style::kFolded;  // block scalar keys are explicit keys
  // a tag or anchor, possibly on an earlier line, or a key spanning lines (only explicit keys can)
  if (!key.tag().empty() || !key.anchor().empty() || key.end().line != key.start().line) bad = true;
  for (size_t i = ls; i < p; ++i)
    if (t[i] != ' ' && t[i] != '-' && t[i] != '{' && t[i] != ',') bad = true;
  // an explicit key indicator on the nearest earlier line with content ("?\n  key", "? # comment\n  key",
  // "? !tag\n  key"); blank and comment-only lines in between are skipped
  for (size_t end = ls; end > 0;) {
    size_t begin = LineStart(end - 1);
    std::string_view line = t.substr(begin, end - 1 - begin);
    size_t i = line.find_first_not_of(" \t\r");
    while (i != std::string_view::npos && line[i] == '-' && i + 1 < line.size() && (line[i + 1] == ' ' || line[i + 1] == '\t'))
      i = line.find_first_not_of(" \t\r", i + 1);  // sequence entry dashes, not a "---" document marker
    end = begin;
    if (i == std::string_view::npos || line[i] == '#') continue;
    // "?" followed by a blank: an explicit key whose text (or the rest of it, after a tag, an anchor or a comment)
    // is on a later line; "?x" is a plain scalar, and a "? " line indented deeper than the key is the content of a
    // block or multi-line scalar before it
    bool indicator = i + 1 == line.size() || line[i + 1] == ' ' || line[i + 1] == '\t' || line[i + 1] == '\r';
    if (line[i] == '?' && indicator && i <= p - ls) bad = true;
    break;
  }
  if (bad)
    throw LayoutError(map, "cannot edit the YAML at line " + InputLine(key) + ": key " + Quote(key.scalar()) +
                " has an unusual layout (explicit '?' key, anchor or tag)");
}

size_t Editor::ColonAfter(Node map, Node key) const {
  std::string_view t = tree_.text();
  if (!key.valid() || !key.has_position() || key.scalar().empty())
    throw LayoutError(map, "cannot edit the YAML: a key without text (an empty or implicit key) has no position to edit at");
  size_t p = key.end().offset;
  while (p < t.size() && (t[p] == ' ' || t[p] == '\t' || t[p] == '"' || t[p] == '\'')) ++p;
  if (p >= t.size() || t[p] != ':')
    throw LayoutError(map, "cannot edit the YAML at line " + InputLine(key) +
                ": unsupported key layout (expected ':' after the key)");
  return p + 1;
}

void Editor::Set(Node map, const std::vector<std::string>& path, const Snippet& value) { Record(map, path, false, value); }

void Editor::Prepend(Node map, const std::vector<std::string>& path, const Snippet& item) { Record(map, path, true, item); }

// Every call is kept for a replay (Commit); until some collection must be re-emitted, edits are planned in place as
// they come, so errors the data causes surface at the call.
void Editor::Record(Node map, const std::vector<std::string>& path, bool prepend, const Snippet& value) {
  if (!map.valid()) throw Error("cannot edit the YAML: no mapping to edit");
  calls_.push_back({map, {prepend, path, value}});
  if (replay_) return;
  try {
    Edit(map, path, prepend, value);
  } catch (const LayoutError& e) {
    Escalate(e);
  }
}

// Walks path below map. Text that several places of the document share (through aliases or merge keys) is never
// edited: where the path reaches such a value, the edit goes into a copy of it (see editor_copy.cc).
void Editor::Edit(Node map, const std::vector<std::string>& path, bool prepend, const Snippet& value) {
  if (!map.valid()) throw Error("cannot edit the YAML: no mapping to edit");
  if (map.kind() == Kind::kAlias) {
    // an alias inside shared text: the value it names is edited, wherever the document holds it
    if (map.shared()) return Edit(map.Resolved(), path, prepend, value);
    AddCopy(map, Node(), "", map.Resolved()).ops.push_back({prepend, path, value});
    return;
  }
  if (map.shared()) {
    // once per node and edit: a container listed twice through one alias is still one container to edit
    for (const auto& d : deferred_)
      if (d.node.id() == map.id() && d.op.prepend == prepend && d.op.path == path &&
          d.op.value.RenderFlow() == value.RenderFlow())
        return;
    deferred_.push_back({map, {prepend, path, value}});
    return;
  }
  Node cur = map;
  for (size_t i = 0; i < path.size(); ++i) {
    if (!cur.IsMapping())
      throw Error("cannot edit the YAML at line " + InputLine(cur) + ": " +
                  Quote(path[i > 0 ? i - 1 : 0]) + " is not a mapping");
    Node next = cur.Get(path[i]);
    std::vector<std::string> rest(path.begin() + static_cast<std::ptrdiff_t>(i) + 1, path.end());
    if (next && cur.ViaMerge(path[i])) {
      for (const auto& e : cur.Entries())
        if (e.key.IsScalar() && !e.key.IsMergeKey() && e.key.scalar() == path[i])
          throw Error("cannot edit the YAML at line " + InputLine(e.key) + ": key " +
                      Quote(path[i]) + " is overridden by a merge key ('<<') after it, which Kubernetes reads; "
                      "remove one of the two");
      AddCopy(Node(), cur, path[i], next).ops.push_back({prepend, rest, value});
      return;
    }
    if (next && next.kind() == Kind::kAlias) {
      if (next.shared()) RefuseShared(next);
      AddCopy(next, Node(), "", next.Resolved()).ops.push_back({prepend, rest, value});
      return;
    }
    if (next && next.shared()) RefuseShared(next);
    bool direct = cur.KeyNode(path[i]).valid();
    bool last = i + 1 == path.size();
    // a value replaced in place needs its key's position (descending needs none)
    if (direct && !cur.IsFlow() && (last || next.IsNull())) CheckKey(cur, cur.KeyNode(path[i]));
    if (!prepend) {
      if (!next || !direct) {
        Intent(inserts_, cur, Snippet::Map()).Merge(Snippet::Map().Set(path[i], Nest(path, i, value)));
        return;
      }
      if (last || next.IsNull()) {
        Snippet& r = Intent(replaces_, next, Nest(path, i, value));
        replaces_.back().key = path[i];
        replaces_.back().map = cur;
        r.Merge(Nest(path, i, value));
        return;
      }
    } else {
      if (!next || !direct || next.IsNull()) {
        Snippet list = Snippet::List();
        list.Push(value);
        if (!next || !direct) {
          Intent(inserts_, cur, Snippet::Map()).Merge(Snippet::Map().Set(path[i], Nest(path, i, list)));
        } else {
          Snippet& r = Intent(replaces_, next, Nest(path, i, Snippet::List()));
          replaces_.back().key = path[i];
          replaces_.back().map = cur;
          r.Merge(Nest(path, i, list));
        }
        return;
      }
      if (last) {
        if (!next.IsSequence())
          throw Error("cannot edit the YAML at line " + InputLine(next) + ": " +
                      Quote(path[i]) + " is not a list");
        Intent(prepends_, next, Snippet::List()).Push(value);
        return;
      }
    }
    cur = next;
  }
}

Snippet& Editor::Intent(std::vector<Pending>& list, Node anchor, const Snippet& empty) {
  for (auto& p : list)
    if (p.anchor.id() == anchor.id()) return p.snippet;
  list.push_back({anchor, "", Node(), empty});
  if (empty.is_map() || empty.is_list()) list.back().snippet = empty.is_map() ? Snippet::Map() : Snippet::List();
  return list.back().snippet;
}

void Editor::InsertEntries(Node map, const Snippet& value) {
  std::string_view t = tree_.text();
  if (map.IsFlow()) {
    size_t brace = map.start().offset;
    if (brace >= t.size() || t[brace] != '{')
      throw LayoutError(map, "cannot edit the YAML at line " + InputLine(map) + ": unexpected flow layout");
    std::string text = value.RenderFlow();  // "{k: v, ...}"
    text = text.substr(1, text.size() - 2);
    if (map.size() > 0) text += ", ";
    edits_.Insert(brace + 1, text);
    return;
  }
  // A block mapping starts where its first entry does: at the first key, its opening quote, its anchor or tag, or
  // the '?' of an explicit key. A new entry fits before it when only indentation (and sequence dashes) precede it.
  if (!map.has_position() || map.size() == 0)
    throw LayoutError(map, "cannot edit the YAML at line " + InputLine(map) + ": empty block mapping without position");
  // A list or a map as a key (never in a Kubernetes object, whose keys are strings): libfyaml does not read an
  // explicit collection key back after an entry put before it, so refuse the edit rather than write such text.
  Node first_key = map.Entries().front().key.Resolved();
  if (first_key.IsMapping() || first_key.IsSequence())
    throw Error("cannot edit the YAML at line " + InputLine(map) +
                ": the mapping's first key is a list or a map; Kubernetes objects have string keys");
  size_t p = map.start().offset;
  size_t ls = LineStart(p);
  for (size_t i = ls; i < p; ++i)
    if (t[i] != ' ' && t[i] != '-')
      throw LayoutError(map, "cannot edit the YAML at line " + InputLine(map) +
                                 ": the mapping's first entry does not start its line");
  size_t col = p - ls;
  std::string eol = EolAt(p);
  std::string text = value.RenderBlock(col, eol);
  text.erase(0, col);  // the first line starts at the insertion point, already indented
  text += std::string(col, ' ');
  edits_.Insert(p, text);
}

void Editor::ReplaceValue(Node map, const std::string& key, Node value, const Snippet& replacement) {
  Node key_node = map.KeyNode(key);
  if (value.kind() == Kind::kAlias || !value.anchor().empty() || !value.tag().empty())
    throw LayoutError(map, "cannot edit the YAML at line " + InputLine(key_node) + ": the value of " +
                Quote(key) + " has an anchor, alias or tag");
  std::string_view t = tree_.text();
  if (map.IsFlow() || value.IsFlow() || (replacement.is_scalar())) {
    std::string text = replacement.is_scalar() ? replacement.RenderFlow() : replacement.RenderFlow();
    if (value.style() == Style::kLiteral || value.style() == Style::kFolded) {
      // A block scalar's marks cover its content lines, not its header: replace from the key's colon to the end of
      // the content (trailing blank lines stay as blank lines).
      size_t b = ColonAfter(map, key_node);
      size_t e = std::max(value.end().offset, static_cast<uint32_t>(b));
      while (e > b && (t[e - 1] == ' ' || t[e - 1] == '\n' || t[e - 1] == '\r')) --e;
      edits_.Replace(b, e, " " + text);
    } else if (value.has_position() && !(value.IsNull() && value.scalar().empty())) {
      size_t b = value.start().offset, e = value.end().offset;
      if (value.style() == Style::kSingleQuoted || value.style() == Style::kDoubleQuoted) {
        if (b > 0 && (t[b - 1] == '"' || t[b - 1] == '\'')) --b;
        if (e < t.size() && (t[e] == '"' || t[e] == '\'')) ++e;
      }
      if (value.IsMapping() || value.IsSequence()) {
        if (!value.IsFlow())
          throw LayoutError(map, "cannot replace the block collection at line " + InputLine(value));
        e = value.end().offset;  // flow end mark is after the closing bracket
      }
      edits_.Replace(b, e, text);
    } else {
      edits_.Insert(ColonAfter(map, key_node), " " + text);
    }
    return;
  }
  // A null value in a block mapping becomes a nested block below its key (the column of its opening quote).
  size_t key_at = key_node.start().offset;
  if ((key_node.style() == Style::kSingleQuoted || key_node.style() == Style::kDoubleQuoted) && key_at > 0) --key_at;
  size_t col = key_at - LineStart(key_at);
  size_t after = ColonAfter(map, key_node);
  std::string eol = EolAt(after);
  std::string text = eol + replacement.RenderBlock(col + 2, eol);
  if (text.size() >= eol.size() && text.compare(text.size() - eol.size(), eol.size(), eol) == 0)
    text.erase(text.size() - eol.size());
  if (value.has_position() && !value.scalar().empty()) edits_.Replace(after, value.end().offset, text);
  else edits_.Insert(after, text);
}

void Editor::PrependItems(Node seq, const Snippet& item) {
  std::string_view t = tree_.text();
  if (seq.IsFlow()) {
    size_t bracket = seq.start().offset;
    if (bracket >= t.size() || t[bracket] != '[')
      throw LayoutError(seq, "cannot edit the YAML at line " + InputLine(seq) + ": unexpected flow layout");
    std::string text = item.RenderFlow();  // "[a, b]"
    text = text.substr(1, text.size() - 2);
    if (seq.size() > 0) text += ", ";
    edits_.Insert(bracket + 1, text);
    return;
  }
  size_t p = seq.start().offset;
  if (p >= t.size() || t[p] != '-')
    throw LayoutError(seq, "cannot edit the YAML at line " + InputLine(seq) + ": unexpected list layout");
  size_t ls = LineStart(p);
  for (size_t i = ls; i < p; ++i)
    if (t[i] != ' ' && t[i] != '-')
      throw LayoutError(seq, "cannot edit the YAML at line " + InputLine(seq) + ": unusual list layout");
  size_t col = p - ls;
  std::string eol = EolAt(p);
  std::string text = item.RenderBlock(col, eol);
  text.erase(0, col);
  text += std::string(col, ' ');
  edits_.Insert(p, text);
}

}  // namespace capstan::yaml
