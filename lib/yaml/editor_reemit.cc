// Re-emitting for the Editor. When an edit cannot go in place (an explicit '? key', a tag or an anchor on the value
// to replace, a merge whose value is a block mapping, a mapping whose first entry does not start its line, a
// shared anchor edited in its own place), Commit re-emits the smallest collection that must change and holds the
// edit: the value of a block mapping key, an item of a block sequence, or the document's root. Its new text is block
// YAML with the same keys and the same YAML 1.1 values (Snippet::FromNode: strings that would re-type are quoted,
// aliases expanded, merge keys applied), the edits applied, and the comments found inside it written at its top;
// every other byte of the document stays. Aliases elsewhere to an anchor inside it become flow copies of their
// value. Commit then replays every Set/Prepend: those reaching into a re-emitted collection are applied to its
// copy, the others in place; a layout that still fails re-emits an enclosing collection, up to the whole document.
#include <algorithm>
#include <unordered_set>
#include <utility>

#include "util/error.h"
#include "yaml/editor.h"

namespace capstan::yaml {

namespace {
bool Blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Skips blanks, line breaks and comments from p; returns the offset of the next content byte (or the text's end).
size_t SkipToContent(std::string_view t, size_t p) {
  while (p < t.size()) {
    if (Blank(t[p])) {
      ++p;
    } else if (t[p] == '#' && (p == 0 || Blank(t[p - 1]))) {
      while (p < t.size() && t[p] != '\n') ++p;
    } else {
      break;
    }
  }
  return p;
}

// Whether [b, e) holds only blanks, at least one of them a tab.
bool TabsOnly(std::string_view t, size_t b, size_t e) {
  bool tab = false;
  for (size_t i = b; i < e; ++i) {
    if (t[i] == '\t') tab = true;
    else if (t[i] != ' ' && t[i] != '\r') return false;
  }
  return tab;
}

std::string StripEol(std::string text, const std::string& eol) {
  if (text.size() >= eol.size() && text.compare(text.size() - eol.size(), eol.size(), eol) == 0)
    text.erase(text.size() - eol.size());
  return text;
}
}  // namespace

void Editor::Reset() {
  inserts_.clear();
  replaces_.clear();
  prepends_.clear();
  copies_.clear();
  deferred_.clear();
  deferred_at_.clear();
  routed_.clear();
}

void Editor::Commit() {
  if (!calls_.empty()) {
    // The edits find lines by '\n'; YAML also breaks lines at a carriage return alone (old Mac line endings, which
    // neither Helm nor kubectl split documents on).
    std::string_view t = tree_.text();
    for (size_t i = t.find('\r'); i != std::string_view::npos; i = t.find('\r', i + 1))
      if (i + 1 == t.size() || t[i + 1] != '\n')
        throw Error("cannot edit the YAML: a carriage return without a line feed at byte " + std::to_string(i) +
                    " breaks a line; use LF or CRLF line endings");
  }
  // Each failed attempt re-emits one more collection (or a larger one): bounded by the document's collections.
  for (;;) {
    edits_ = Edits();
    try {
      if (replay_) {
        Reset();
        for (const auto& c : calls_) Route(c);
      }
      std::vector<bool> used;
      Render(used);
      if (edits_.Overlapping())
        throw LayoutError(tree_.root(), "cannot edit the YAML: the edits of a copy and of a re-emitted value overlap");
      break;
    } catch (const LayoutError& e) {
      Escalate(e);
    }
  }
  out_.Append(std::move(edits_));
  Reset();
  calls_.clear();
  reemit_.clear();
  replay_ = false;
}

void Editor::Render(std::vector<bool>& used) {
  deferred_at_.clear();
  for (size_t i = 0; i < deferred_.size(); ++i) deferred_at_[deferred_[i].node.id()].push_back(i);
  used.assign(deferred_.size(), false);
  for (const auto& p : inserts_) InsertEntries(p.anchor, p.snippet);
  for (const auto& p : replaces_) ReplaceValue(p.map, p.key, p.anchor, p.snippet);
  for (const auto& p : prepends_) PrependItems(p.anchor, p.snippet);
  std::vector<std::pair<size_t, size_t>> regions;
  for (const Node& r : reemit_)
    if (TopReemitted(r).id() == r.id()) regions.push_back(RenderReemit(r, used));
  if (!regions.empty()) ReplaceOutsideAliases(regions, used);
  CommitCopies(used);
}

// A layout error re-emits the collection it names (normalized), or, when that one already is, the next enclosing.
void Editor::Escalate(const LayoutError& e) {
  BuildParents();
  Node n = Normalize(e.node.valid() ? e.node : tree_.root());
  Node top = TopReemitted(n);
  if (top.valid()) {
    const Parent* p = ParentOf(top);
    if (!p)  // the whole document is re-emitted already: a layout the re-emit does not know
      throw CannotReemit(std::string(e.what()) + " (not even the whole document could be written out again: please "
                  "report this as a bug)");
    n = Normalize(p->parent);
  }
  reemit_.push_back(n);
  replay_ = true;
}

void Editor::BuildParents() {
  if (!parents_.empty() || !tree_.root()) return;
  std::vector<Node> stack{tree_.root()};
  while (!stack.empty()) {
    Node n = stack.back();
    stack.pop_back();
    if (n.kind() == Kind::kMapping) {
      size_t i = 0;
      for (const auto& e : n.Entries()) {
        parents_[e.key.id()] = {n, e.key, i};
        parents_[e.value.id()] = {n, e.key, i++};
        stack.push_back(e.value);
      }
    } else if (n.kind() == Kind::kSequence) {
      size_t i = 0;
      for (const auto& item : n.Items()) {
        parents_[item.id()] = {n, Node(), i++};
        stack.push_back(item);
      }
    }
  }
}

const Editor::Parent* Editor::ParentOf(Node n) const {
  auto it = parents_.find(n.id());
  return it == parents_.end() || !n.valid() || n.id() == tree_.root().id() ? nullptr : &it->second;
}

// What can be re-emitted: a block collection in block context, outside merge values. A node in a flow collection,
// a scalar, or an alias hands over to its parent; a node inside shared text (an anchor that aliases copy) to the
// outermost anchored node holding it, whose aliases elsewhere then get copies.
Node Editor::Normalize(Node n) const {
  for (;;) {
    const Parent* p = ParentOf(n);
    if (!p) return n;
    bool up = p->parent.IsFlow() || n.kind() == Kind::kScalar || n.kind() == Kind::kAlias ||
              (p->key.valid() && p->key.IsMergeKey()) || (n.shared() && p->parent.shared());
    if (!up) return n;
    n = p->parent;
  }
}

bool Editor::Reemitted(Node n) const {
  for (const Node& r : reemit_)
    if (r.id() == n.id()) return true;
  return false;
}

Node Editor::TopReemitted(Node n) const {
  Node top;
  for (Node c = n; c.valid();) {
    if (Reemitted(c)) top = c;
    const Parent* p = ParentOf(c);
    c = p ? p->parent : Node();
  }
  return top;
}

// A replayed call goes into the outermost re-emitted collection that holds its map or that its path reaches (before
// an alias or a merge key, which copies handle); otherwise it is planned in place.
void Editor::Route(const Call& call) {
  Node r = call.map.shared() ? Node() : TopReemitted(call.map);
  std::vector<Step> steps;
  Op op = call.op;
  if (r.valid()) {
    for (Node c = call.map; c.id() != r.id();) {
      const Parent* p = ParentOf(c);
      if (p->parent.IsMapping()) steps.push_back({false, 0, std::string(p->key.scalar())});
      else steps.push_back({true, p->index, ""});
      c = p->parent;
    }
    std::reverse(steps.begin(), steps.end());
  } else {
    Node cur = call.map;
    for (size_t i = 0; i < op.path.size() && cur.kind() == Kind::kMapping; ++i) {
      Node next = cur.Get(op.path[i]);
      if (!next || cur.ViaMerge(op.path[i]) || next.kind() == Kind::kAlias) break;
      if (Reemitted(next)) {
        r = next;
        op.path.erase(op.path.begin(), op.path.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        break;
      }
      cur = next;
    }
  }
  if (!r.valid()) return Edit(call.map, call.op.path, call.op.prepend, call.op.value);
  routed_[r.id()].push_back({std::move(steps), std::move(op)});
}

std::pair<size_t, size_t> Editor::RenderReemit(Node node, std::vector<bool>& used) {
  size_t indent = 0;
  bool item = false, line_start = false;
  auto [b, e] = Region(node, &indent, &item, &line_start);
  Snippet s = CopyOf(node, used, 0);
  // Steps name list items by their index as written: items prepended to that list before shift it. Paths (steps,
  // then the op's keys) key the prepend counts.
  std::map<std::string, size_t> prepended;
  for (const Routed& r : routed_[node.id()]) {
    Snippet* target = &s;
    std::string where;
    for (const Step& step : r.steps) {
      target = step.is_index ? target->Item(step.index + prepended[where]) : target->Child(step.key);
      if (!target)
        throw LayoutError(node, "cannot edit the YAML at line " + InputLine(node) +
                                    ": the edited value is not found in the copy of its collection");
      where += step.is_index ? "#" + std::to_string(step.index) : step.key;
      where += '\0';
    }
    ApplyOp(*target, r.op, node, first_line_, prepended, where);
  }
  std::string eol = EolAt(b);
  std::string comments;
  for (const auto& c : CommentsIn(node, b, e)) comments += std::string(indent, ' ') + c + eol;
  std::string text;
  bool block = (s.is_map() || s.is_list()) && !s.empty();
  if (!block) {
    // a scalar or an empty collection stays on the key's (or dash's) line; comments follow on lines of their own
    text = (line_start ? "" : " ") + s.RenderFlow();
    if (!comments.empty()) text += eol + StripEol(comments, eol);
  } else if (!ParentOf(node)) {
    text = (line_start ? "" : eol) + comments + StripEol(s.RenderBlock(0, eol), eol);
  } else if (item && comments.empty()) {
    text = " " + StripEol(s.RenderBlock(indent, eol), eol).substr(indent);
  } else {
    text = eol + comments + StripEol(s.RenderBlock(indent, eol), eol);
  }
  edits_.Replace(b, e, std::move(text));
  return {b, e};
}

std::pair<size_t, size_t> Editor::Region(Node node, size_t* indent, bool* item, bool* line_start) const {
  std::string_view t = tree_.text();
  size_t b = 0;
  const Parent* p = ParentOf(node);
  if (!p) {
    // the document's first content: after comments, directives and a '---' marker (on whose line it may start)
    *indent = 0;
    for (size_t pos = 0; pos < t.size();) {
      size_t eol = t.find('\n', pos);
      size_t end = eol == std::string_view::npos ? t.size() : eol;
      size_t i = pos;
      while (i < end && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r')) ++i;
      bool marker = t.substr(i, 3) == "---" && (i + 3 == end || Blank(t[i + 3]));
      if (marker) {
        size_t j = SkipToContent(t, i + 3);
        if (j < end) {
          b = j;
          break;
        }
      } else if (i < end && t[i] != '#' && t[i] != '%') {
        b = pos;
        *line_start = true;
        break;
      }
      pos = end + 1;
      b = pos;
    }
    if (node.has_position() && b > node.start().offset) {
      b = LineStart(node.start().offset);
      *line_start = true;
    }
  } else if (p->parent.IsMapping()) {
    size_t colon = p->key.has_position() ? SkipToContent(t, ContentEnd(p->key)) : t.size();
    if (colon >= t.size() || t[colon] != ':')
      throw LayoutError(p->parent, "cannot edit the YAML at line " + InputLine(p->key) + ": no ':' after the key");
    b = colon + 1;
    *indent = p->parent.start().offset - LineStart(p->parent.start().offset) + 2;
  } else {
    size_t from;
    if (p->index == 0) from = p->parent.start().offset;
    else from = ContentEnd(p->parent.At(p->index - 1));
    size_t dash = from == 0 && p->index > 0 ? t.size() : SkipToContent(t, from);
    if (dash >= t.size() || t[dash] != '-')
      throw LayoutError(p->parent, "cannot edit the YAML at line " + InputLine(p->parent) + ": unexpected list layout");
    b = dash + 1;
    *indent = dash - LineStart(dash) + 2;
    *item = true;
  }
  size_t e = std::max(ContentEnd(node), b);
  if (!p) e = std::max(e, LastContentLineEnd(b));  // the root: whatever its nodes' marks say, all its lines
  else if (!node.IsFlow() && (node.IsMapping() || node.IsSequence()) && node.has_position())
    e = std::max(e, IndentedLinesEnd(node, e));  // and a block collection all the lines indented under it
  if (e == b) {
    // no content with a position (a tagged empty value): take the properties on its line
    while (e < t.size() && (t[e] == ' ' || t[e] == '\t')) ++e;
    while (e < t.size() && (t[e] == '!' || t[e] == '&')) {
      while (e < t.size() && !Blank(t[e])) ++e;
      while (e < t.size() && (t[e] == ' ' || t[e] == '\t')) ++e;
    }
    while (e > b && (t[e - 1] == ' ' || t[e - 1] == '\t')) --e;
    // a collection with entries but no content with a position (tagged empty keys and values): its text cannot be
    // told from what follows it, so the enclosing collection is re-emitted instead (at worst the whole document)
    if (p && e == b && (node.IsMapping() || node.IsSequence()) && node.size() > 0)
      throw LayoutError(node, "cannot edit the YAML at line " + InputLine(node) + ": a collection without marks");
  }
  // the region ends on its last content line: what follows keeps the line break before it (an empty block
  // scalar's mark ends at the start of the next line)
  if (e > b && t[e - 1] == '\n') {
    --e;
    if (e > b && t[e - 1] == '\r') --e;
  }
  // every line of a block collection is indented at least as far as its first: a less indented line inside the
  // region belongs to an enclosing collection (a key at column 0 that starts with ':' after an indented '? key',
  // say), which a copy of this collection alone would drop, so the enclosing collection is re-emitted instead
  if (p && !node.IsFlow() && (node.IsMapping() || node.IsSequence()) && node.has_position()) {
    size_t first = LineStart(node.start().offset);
    size_t column = node.start().offset - first;
    for (size_t ls = t.find('\n', node.start().offset); ls != std::string_view::npos && ls + 1 < e;
         ls = t.find('\n', ls + 1)) {
      size_t c = ls + 1;
      while (c < e && (t[c] == ' ' || t[c] == '\t')) ++c;
      if (c >= e || t[c] == '\n' || t[c] == '\r' || t[c] == '#') continue;
      if (c - (ls + 1) < column)
        throw LayoutError(p->parent, "cannot edit the YAML at line " + InputLine(node) +
                                         ": a line in the edited collection is less indented than its first");
    }
  }
  // a collection's text ends its line (a comment may follow): more content on that line is something the parser read
  // leniently (a ':' at column 0 taken as a value indicator, say), which a copy of this collection alone would cut
  // in two, so the enclosing collection is re-emitted instead
  if (p) {
    size_t after = e;
    while (after < t.size() && (t[after] == ' ' || t[after] == '\t' || t[after] == '\r')) ++after;
    bool comment = t[after] == '#' && after > e;  // a '#' right after the text is not a comment: YAML reads on
    if (after < t.size() && t[after] != '\n' && !comment)
      throw LayoutError(p->parent, "cannot edit the YAML at line " + InputLine(node) +
                                       ": more content follows the edited collection on its last line");
  }
  // a comment after the last content goes with it (to the top of the new text)
  size_t c = e;
  while (c < t.size() && (t[c] == ' ' || t[c] == '\t')) ++c;
  if (c < t.size() && t[c] == '#' && c > e) {
    while (c < t.size() && t[c] != '\n') ++c;
    if (c > e && t[c - 1] == '\r') --c;
    e = c;
  }
  return {b, e};
}

// The end of the last line from `from` on that holds content: not blank, not only a comment, not a '...' marker.
size_t Editor::LastContentLineEnd(size_t from) const {
  std::string_view t = tree_.text();
  size_t last = from;
  for (size_t pos = from; pos < t.size();) {
    size_t eol = t.find('\n', pos);
    size_t end = eol == std::string_view::npos ? t.size() : eol;
    size_t i = pos;
    while (i < end && (t[i] == ' ' || t[i] == '\t')) ++i;
    bool marker = t.substr(i, 3) == "..." && (i + 3 == end || Blank(t[i + 3]));
    // a line of blanks with a tab is taken along: after re-emitted block text libfyaml reads its tab as indentation
    bool tabs = TabsOnly(t, pos, end);
    if (tabs || (i < end && t[i] != '#' && t[i] != '\r' && !marker)) {
      last = end;
      while (last > i && Blank(t[last - 1])) --last;
    }
    pos = end + 1;
  }
  return last;
}

// The end of the content lines after `from` that belong to the block collection `node` (an empty value's anchor or
// tag on a line of its own has no mark to go by): lines indented deeper than the collection's column, and at its
// column a mapping's entries or a sequence's "- " items; blank and comment-only lines count only when content
// follows them.
size_t Editor::IndentedLinesEnd(Node node, size_t from) const {
  std::string_view t = tree_.text();
  size_t start = node.start().offset;
  size_t col = start - LineStart(start);
  size_t end_of_content = from;
  size_t pos = t.find('\n', from);
  while (pos != std::string_view::npos && pos + 1 < t.size()) {
    size_t line = pos + 1;
    size_t eol = t.find('\n', line);
    size_t end = eol == std::string_view::npos ? t.size() : eol;
    size_t i = line;
    while (i < end && t[i] == ' ') ++i;
    bool blank = i == end || t[i] == '#' || t[i] == '\r' || t[i] == '\t';
    if (TabsOnly(t, line, end)) {  // taken along, as by LastContentLineEnd
      end_of_content = i;
    } else if (!blank) {
      size_t indent = i - line;
      bool dash = t[i] == '-' && (i + 1 == end || Blank(t[i + 1]));
      // a mapping's own entries start at its column; at a sequence's column only its own items do
      if (indent < col || (indent == col && node.IsSequence() && !dash)) break;
      end_of_content = end;
      while (end_of_content > i && Blank(t[end_of_content - 1])) --end_of_content;
    }
    pos = eol;
  }
  return end_of_content;
}

// The end of a node's text as written: after a closing quote or bracket, before the line break and blank lines
// that end a block scalar, after the last entry of a block collection.
size_t Editor::ContentEnd(Node n, size_t depth) const {
  if (!n.valid() || depth > 1024) return 0;
  std::string_view t = tree_.text();
  if (n.kind() == Kind::kAlias) return n.has_position() ? n.end().offset : 0;
  if (n.kind() == Kind::kScalar) {
    if (!n.has_position()) return 0;
    size_t e = n.end().offset;
    Style st = n.style();
    if ((st == Style::kSingleQuoted || st == Style::kDoubleQuoted) && e < t.size()) return e + 1;
    if (st == Style::kLiteral || st == Style::kFolded)
      while (e > n.start().offset && Blank(t[e - 1])) --e;
    return e;
  }
  if (n.IsFlow()) return n.has_position() ? n.end().offset : 0;
  // an empty value (no position) ends after its indicator (':' or '-') and the tag or anchor it may carry
  auto after_indicator = [&](size_t from, char indicator) {
    size_t p = SkipToContent(t, from);
    if (p >= t.size() || t[p] != indicator) return from;
    size_t e = p + 1;
    for (size_t q = e;;) {
      while (q < t.size() && (t[q] == ' ' || t[q] == '\t')) ++q;
      if (q >= t.size() || (t[q] != '!' && t[q] != '&')) break;
      while (q < t.size() && !Blank(t[q])) ++q;
      e = q;
    }
    return e;
  };
  size_t e = 0;
  if (n.kind() == Kind::kMapping) {
    for (const auto& entry : n.Entries()) {
      size_t k = ContentEnd(entry.key, depth + 1), v = ContentEnd(entry.value, depth + 1);
      e = std::max({e, k, v ? v : after_indicator(k, ':')});
    }
  } else {
    for (const auto& i : n.Items()) {
      size_t v = ContentEnd(i, depth + 1);
      e = std::max(e, v ? v : after_indicator(e ? e : n.start().offset, '-'));
    }
  }
  return e;
}

// The comments between begin and end, outside the scalars of node (whose text may hold '#').
std::vector<std::string> Editor::CommentsIn(Node node, size_t begin, size_t end) const {
  std::string_view t = tree_.text();
  std::vector<std::pair<size_t, size_t>> scalars;
  std::vector<std::pair<Node, size_t>> stack{{node, 0}};
  while (!stack.empty()) {
    auto [n, depth] = stack.back();
    stack.pop_back();
    if (!n.valid() || depth > 1024 || n.kind() == Kind::kAlias) continue;
    if (n.kind() == Kind::kScalar) {
      if (!n.has_position()) continue;
      size_t s = n.start().offset;
      Style st = n.style();
      if ((st == Style::kSingleQuoted || st == Style::kDoubleQuoted) && s > 0) --s;
      scalars.push_back({s, ContentEnd(n)});
    } else if (n.kind() == Kind::kMapping) {
      for (const auto& e : n.Entries()) {
        stack.push_back({e.key, depth + 1});
        stack.push_back({e.value, depth + 1});
      }
    } else {
      for (const auto& i : n.Items()) stack.push_back({i, depth + 1});
    }
  }
  std::sort(scalars.begin(), scalars.end());
  std::vector<std::string> out;
  size_t k = 0;
  for (size_t i = begin; i < end && i < t.size(); ++i) {
    while (k < scalars.size() && scalars[k].second <= i) ++k;
    if (k < scalars.size() && scalars[k].first <= i) {
      i = scalars[k].second - 1;
      continue;
    }
    if (t[i] != '#' || (i > 0 && !Blank(t[i - 1]))) continue;
    size_t eol = t.find('\n', i);
    size_t stop = eol == std::string_view::npos ? t.size() : eol;
    size_t text_end = std::min(stop, end);
    while (text_end > i && (t[text_end - 1] == '\r' || t[text_end - 1] == ' ' || t[text_end - 1] == '\t')) --text_end;
    out.emplace_back(t.substr(i, text_end - i));
    i = stop;
  }
  return out;
}

// An anchor inside a re-emitted collection loses its text: aliases to it elsewhere become flow copies of its value
// with the edits made to its nodes as such (a container the filters reach through the alias), not those made at the
// anchor's own place through a path (those went into the re-emitted text).
void Editor::ReplaceOutsideAliases(const std::vector<std::pair<size_t, size_t>>& regions, std::vector<bool>& used) {
  auto inside = [&](size_t offset) {
    for (const auto& [b, e] : regions)
      if (offset >= b && offset < e) return true;
    return false;
  };
  std::unordered_set<uint32_t> anchored;  // anchors whose text is replaced
  std::vector<Node> aliases;
  // An empty value has no position: where its key (or its collection) is stands for it.
  std::vector<std::pair<Node, size_t>> stack{{tree_.root(), 0}};
  while (!stack.empty()) {
    auto [n, at] = stack.back();
    stack.pop_back();
    if (!n.valid()) continue;
    if (n.has_position()) at = n.start().offset;
    if (n.kind() == Kind::kAlias) {
      aliases.push_back(n);
      continue;
    }
    if (!n.anchor().empty() && inside(at)) anchored.insert(n.id());
    if (n.kind() == Kind::kMapping) {
      for (const auto& e : n.Entries()) {
        size_t key_at = e.key.has_position() ? e.key.start().offset : at;
        stack.push_back({e.key, key_at});
        stack.push_back({e.value, key_at});
      }
    } else if (n.kind() == Kind::kSequence) {
      for (const auto& i : n.Items()) stack.push_back({i, at});
    }
  }
  std::string_view t = tree_.text();
  for (const Node& a : aliases) {
    Node target = a.Resolved();
    if (!target.valid() || !anchored.count(target.id())) continue;
    size_t p = a.start().offset;
    if (p > 0 && t[p - 1] == '*') --p;
    if (inside(p)) continue;
    if (p >= t.size() || t[p] != '*')
      throw LayoutError(tree_.root(), "cannot edit the YAML at line " + InputLine(a) + ": unexpected alias layout");
    edits_.Replace(p, std::max<size_t>(a.end().offset, p + 1), CopyOf(target, used, 0).RenderFlow());
  }
}

}  // namespace capstan::yaml
