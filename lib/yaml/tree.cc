#include "yaml/tree.h"

#include <libfyaml.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unordered_map>

#include "util/strings.h"

namespace capstan::yaml {

namespace {

void CollectDiag(struct fy_diag*, void* user, const char* buf, size_t len) {
  static_cast<std::string*>(user)->append(buf, len);
}

// libfyaml reports "<name>:LINE:COL: error: MESSAGE\n<source line>\n^~~". Keep line, column and message.
ParseError ErrorFromDiag(const std::string& diag, uint32_t fallback_line) {
  size_t at = diag.find(": error: ");
  if (at == std::string::npos) return ParseError("invalid YAML", fallback_line, 0);
  size_t msg_end = diag.find('\n', at);
  std::string msg = diag.substr(at + 9, msg_end == std::string::npos ? std::string::npos : msg_end - at - 9);
  // walk back over ":COL" and ":LINE"
  size_t c2 = diag.rfind(':', at - 1);
  size_t c1 = c2 == std::string::npos ? std::string::npos : diag.rfind(':', c2 - 1);
  uint32_t line = fallback_line, col = 0;
  if (c1 != std::string::npos) {
    try {
      line = static_cast<uint32_t>(std::stoul(diag.substr(c1 + 1, c2 - c1 - 1)) - 1);
      col = static_cast<uint32_t>(std::stoul(diag.substr(c2 + 1, at - c2 - 1)) - 1);
    } catch (...) {
    }
  }
  return ParseError(msg, line, col);
}

struct Diag {
  std::string text;
  struct fy_diag* diag = nullptr;
  Diag() {
    struct fy_diag_cfg dc;
    fy_diag_cfg_default(&dc);
    dc.fp = nullptr;
    dc.output_fn = CollectDiag;
    dc.user = &text;
    dc.colorize = false;
    dc.show_source = false;
    diag = fy_diag_create(&dc);
  }
  ~Diag() { fy_diag_destroy(diag); }
};

Style ScalarStyle(enum fy_scalar_style s) {
  switch (s) {
    case FYSS_SINGLE_QUOTED: return Style::kSingleQuoted;
    case FYSS_DOUBLE_QUOTED: return Style::kDoubleQuoted;
    case FYSS_LITERAL: return Style::kLiteral;
    case FYSS_FOLDED: return Style::kFolded;
    default: return Style::kPlain;
  }
}

// libfyaml 0.7.12 mis-parses an EMPTY block scalar inside an indented block collection: "  a: |-\n  b: 1\n"
// makes "b: 1" the content of a, and the decoded text reads past its buffer. We parse a copy in which each such
// header (|, >, |-, >+, |2-, ...) is replaced by a scalar of the same length ("" or ~), so every offset stays the
// same, and restore the scalar's style and empty value afterwards.
struct EmptyBlockPatch {
  uint32_t offset;
  Style style;
};

size_t Indent(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  return i;
}

std::string PatchEmptyBlockScalars(std::string_view text, std::vector<EmptyBlockPatch>* patches) {
  std::string patched;
  std::vector<std::string_view> lines;
  std::vector<size_t> starts;
  for (size_t pos = 0; pos <= text.size();) {
    size_t eol = text.find('\n', pos);
    size_t end = eol == std::string_view::npos ? text.size() : eol;
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    starts.push_back(pos);
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  size_t skip_above = std::string::npos;  // inside a non-empty block scalar: lines indented more than this
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    size_t ind = Indent(line);
    bool blank = ind == line.size();
    if (skip_above != std::string::npos) {
      if (blank || ind > skip_above) continue;
      skip_above = std::string::npos;
    }
    // strip a trailing comment (" #...") and spaces
    std::string_view body = line;
    size_t hash = body.find(" #");
    if (hash != std::string_view::npos) body = body.substr(0, hash);
    while (!body.empty() && body.back() == ' ') body.remove_suffix(1);
    // the header: a block indicator with up to two modifiers, after ": " or "- "
    size_t k = body.size();
    size_t mods = 0;
    while (k > 0 && mods < 2 && (body[k - 1] == '-' || body[k - 1] == '+' || (body[k - 1] >= '1' && body[k - 1] <= '9')))
      --k, ++mods;
    if (k == 0 || (body[k - 1] != '|' && body[k - 1] != '>')) continue;
    size_t ind_pos = k - 1;
    if (ind_pos < 1 || body[ind_pos - 1] != ' ') continue;
    std::string_view before = body.substr(0, ind_pos - 1);
    size_t owner;  // the column of the key (or of the dash) that owns the scalar
    if (before.size() >= 1 && before.back() == ':') {
      owner = ind;  // skip compact sequence dashes: "- - key: |" is owned by key's column
      while (owner + 1 < before.size() && before[owner] == '-' && before[owner + 1] == ' ') {
        owner += 2;
        while (owner < before.size() && before[owner] == ' ') ++owner;
      }
    } else if (!before.empty() && before.back() == '-' && Indent(before) == before.size() - 1) {
      owner = before.size() - 1;
    } else {
      continue;
    }
    // the next non-blank line decides: content only when indented more than the owner
    size_t j = i + 1;
    while (j < lines.size() && Indent(lines[j]) == lines[j].size()) ++j;
    if (j < lines.size() && Indent(lines[j]) > owner) {
      skip_above = owner;
      continue;
    }
    if (owner == 0) continue;  // top level is parsed correctly
    if (patched.empty()) patched.assign(text);
    size_t off = starts[i] + ind_pos;
    size_t len = 1 + mods;
    std::string repl = len == 1 ? "~" : "\"\"" + std::string(len - 2, ' ');
    patched.replace(off, len, repl);
    patches->push_back({static_cast<uint32_t>(off), body[ind_pos] == '|' ? Style::kLiteral : Style::kFolded});
  }
  return patched;
}

}  // namespace

// Builds Trees from libfyaml events.
class TreeBuilder {
 public:
  TreeBuilder(std::string_view text, const ParseOptions& options) : text_(text), options_(options) {
    CheckText(text);
    patched_ = PatchEmptyBlockScalars(text, &patches_);
    std::string_view parse_text = patched_.empty() ? text : std::string_view(patched_);
    struct fy_parse_cfg cfg;
    std::memset(&cfg, 0, sizeof cfg);
    cfg.flags = static_cast<enum fy_parse_cfg_flags>(FYPCF_DEFAULT_VERSION_1_1 | FYPCF_DISABLE_MMAP_OPT | FYPCF_DISABLE_RECYCLING);
    cfg.diag = diag_.diag;
    parser_ = fy_parser_create(&cfg);
    if (!parser_ || fy_parser_set_string(parser_, parse_text.data(), parse_text.size()) != 0)
      throw Error("cannot create the YAML parser");
  }
  ~TreeBuilder() { fy_parser_destroy(parser_); }

  std::vector<Tree> Run(bool all) {
    std::vector<Tree> trees;
    std::unique_ptr<Tree> cur;
    struct Frame {
      uint32_t node;
      uint32_t last_child;
      uint32_t max_child_height;  // the deepest child so far, aliases counted at their target's height
    };
    std::vector<Frame> stack;
    std::unordered_map<std::string, uint32_t> anchors;
    // Per node of the current document: how many collection levels it holds, aliases expanded; kOpen while the
    // collection is still being read (an alias to it would be a cycle). Bounds the recursion of every consumer that
    // follows aliases, so nesting built by aliases of aliases cannot exhaust the stack either.
    constexpr uint32_t kOpen = UINT32_MAX;
    std::vector<uint32_t> height;
    while (true) {
      struct fy_event* ev = fy_parser_parse(parser_);
      if (!ev) break;
      EventGuard guard{parser_, ev};
      switch (ev->type) {
        case FYET_DOCUMENT_START:
          if (!trees.empty() && !all) {
            const fy_mark* m = fy_event_start_mark(ev);
            uint32_t line = m ? static_cast<uint32_t>(m->line) : 0;
            if (ev->document_start.implicit) {  // no '---' to point at (after '...'): point at the content
              if (struct fy_event* next = fy_parser_parse(parser_)) {
                EventGuard next_guard{parser_, next};
                if (const fy_mark* n = fy_event_start_mark(next)) line = static_cast<uint32_t>(n->line);
              }
            }
            throw ParseError("a second YAML document starts here: split the input at '---' lines", line, 0);
          }
          cur = std::make_unique<Tree>();
          cur->text_ = text_;
          cur->explicit_start_ = !ev->document_start.implicit;
          anchors.clear();
          height.clear();
          break;
        case FYET_DOCUMENT_END:
          trees.push_back(std::move(*cur));
          cur.reset();
          break;
        case FYET_MAPPING_START:
        case FYET_SEQUENCE_START:
        case FYET_SCALAR:
        case FYET_ALIAS: {
          Tree::Rec r{};
          r.first_child = r.next_sibling = r.alias_target = Tree::kNone;
          SetPos(r, ev);
          struct fy_token* anchor = nullptr;
          struct fy_token* tag = nullptr;
          if (ev->type == FYET_MAPPING_START || ev->type == FYET_SEQUENCE_START) {
            bool mapping = ev->type == FYET_MAPPING_START;
            r.kind = mapping ? Kind::kMapping : Kind::kSequence;
            struct fy_token* t = mapping ? ev->mapping_start.mapping_start : ev->sequence_start.sequence_start;
            enum fy_token_type tt = t ? fy_token_get_type(t) : FYTT_NONE;
            r.style = (tt == FYTT_FLOW_MAPPING_START || tt == FYTT_FLOW_SEQUENCE_START) ? Style::kFlow : Style::kBlock;
            anchor = mapping ? ev->mapping_start.anchor : ev->sequence_start.anchor;
            tag = mapping ? ev->mapping_start.tag : ev->sequence_start.tag;
          } else if (ev->type == FYET_SCALAR) {
            r.kind = Kind::kScalar;
            r.style = ScalarStyle(fy_token_scalar_style(ev->scalar.value));
            size_t len = 0;
            const char* s = ev->scalar.value ? fy_token_get_text(ev->scalar.value, &len) : nullptr;
            for (const auto& p : patches_)
              if (r.has_pos && (r.start == p.offset || r.start == p.offset + 1)) {
                r.style = p.style;  // an empty block scalar (see PatchEmptyBlockScalars)
                r.start = p.offset;
                len = 0;
              }
            r.str_off = static_cast<uint32_t>(cur->arena_.size());
            if (s) cur->arena_.append(s, len);
            r.str_len = static_cast<uint32_t>(len);
            anchor = ev->scalar.anchor;
            tag = ev->scalar.tag;
          } else {
            r.kind = Kind::kAlias;
            r.style = Style::kPlain;
            size_t len = 0;
            const char* s = fy_token_get_text(ev->alias.anchor, &len);
            auto it = anchors.find(std::string(s, len));
            if (it == anchors.end())
              throw ParseError("alias *" + std::string(s, len) + " refers to an unknown anchor", r.start_line,
                               r.start_col);
            r.alias_target = it->second;
            if (height[it->second] == kOpen)
              throw ParseError("alias *" + std::string(s, len) +
                                   " is inside the node its anchor names (a cycle): anchor a node that is complete",
                               r.start_line, r.start_col);
          }
          if (tag) {
            size_t len = 0;
            const char* s = fy_token_get_text(tag, &len);
            r.tag_off = static_cast<uint32_t>(cur->arena_.size());
            cur->arena_.append(s, len);
            r.tag_len = static_cast<uint32_t>(len);
          }
          if (anchor) {
            size_t len = 0;
            const char* s = fy_token_get_text(anchor, &len);
            r.anchor_off = static_cast<uint32_t>(cur->arena_.size());
            cur->arena_.append(s, len);
            r.anchor_len = static_cast<uint32_t>(len);
          }
          uint32_t idx = static_cast<uint32_t>(cur->nodes_.size());
          cur->nodes_.push_back(r);
          bool collection = r.kind == Kind::kMapping || r.kind == Kind::kSequence;
          height.push_back(collection ? kOpen : r.kind == Kind::kAlias ? height[r.alias_target] : 0);
          if (anchor) anchors[std::string(cur->arena_.data() + r.anchor_off, r.anchor_len)] = idx;
          if (stack.empty()) {
            cur->root_ = idx;
            cur->has_root_ = true;
          } else {
            Frame& f = stack.back();
            Tree::Rec& parent = cur->nodes_[f.node];
            if (f.last_child == Tree::kNone) parent.first_child = idx;
            else cur->nodes_[f.last_child].next_sibling = idx;
            f.last_child = idx;
            parent.count++;
            if (!collection) f.max_child_height = std::max(f.max_child_height, height[idx]);
          }
          if (collection) {
            if (stack.size() >= options_.max_depth)
              throw ParseError("nesting deeper than " + std::to_string(options_.max_depth) + " levels",
                               r.start_line, r.start_col);
            stack.push_back({idx, Tree::kNone, 0});
          }
          break;
        }
        case FYET_MAPPING_END:
        case FYET_SEQUENCE_END: {
          uint32_t idx = stack.back().node;
          height[idx] = stack.back().max_child_height + 1;
          stack.pop_back();
          Tree::Rec& r = cur->nodes_[idx];
          if (height[idx] > options_.max_depth)
            throw ParseError("nesting deeper than " + std::to_string(options_.max_depth) +
                                 " levels once aliases are expanded",
                             r.start_line, r.start_col);
          if (!stack.empty()) stack.back().max_child_height = std::max(stack.back().max_child_height, height[idx]);
          const fy_mark* em = fy_event_end_mark(ev);
          if (em) {
            r.end = static_cast<uint32_t>(em->input_pos);
            r.end_line = static_cast<uint32_t>(em->line);
            r.end_col = static_cast<uint32_t>(em->column);
          }
          if (r.kind == Kind::kMapping) {
            r.count /= 2;
            if (!options_.allow_duplicate_keys) CheckDuplicates(*cur, idx, options_.first_line);
          }
          break;
        }
        default:
          break;
      }
    }
    if (fy_parser_get_stream_error(parser_)) throw ErrorFromDiag(diag_.text, 0);
    if (cur) trees.push_back(std::move(*cur));
    return trees;
  }

 private:
  struct EventGuard {
    struct fy_parser* p;
    struct fy_event* ev;
    ~EventGuard() { fy_parser_event_free(p, ev); }
  };

  static void SetPos(Tree::Rec& r, struct fy_event* ev) {
    const fy_mark* sm = fy_event_start_mark(ev);
    const fy_mark* em = fy_event_end_mark(ev);
    r.has_pos = sm != nullptr;
    if (sm) {
      r.start = static_cast<uint32_t>(sm->input_pos);
      r.start_line = static_cast<uint32_t>(sm->line);
      r.start_col = static_cast<uint32_t>(sm->column);
    }
    if (em) {
      r.end = static_cast<uint32_t>(em->input_pos);
      r.end_line = static_cast<uint32_t>(em->line);
      r.end_col = static_cast<uint32_t>(em->column);
    } else if (sm) {
      r.end = r.start;
      r.end_line = r.start_line;
      r.end_col = r.start_col;
    }
  }

  static void CheckDuplicates(const Tree& t, uint32_t map, uint32_t first_line) {
    const Tree::Rec& m = t.nodes_[map];
    struct Key {
      std::string_view text;
      uint32_t node;
    };
    std::vector<Key> keys;
    keys.reserve(m.count);
    uint32_t c = m.first_child;
    bool is_key = true;
    while (c != Tree::kNone) {
      const Tree::Rec& r = t.nodes_[c];
      if (is_key && r.kind == Kind::kScalar)
        keys.push_back({std::string_view(t.arena_.data() + r.str_off, r.str_len), c});
      is_key = !is_key;
      c = r.next_sibling;
    }
    if (keys.size() < 2) return;
    std::stable_sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) { return a.text < b.text; });
    for (size_t i = 1; i < keys.size(); ++i) {
      if (keys[i].text == keys[i - 1].text) {
        const Tree::Rec& first = t.nodes_[std::min(keys[i].node, keys[i - 1].node)];
        const Tree::Rec& second = t.nodes_[std::max(keys[i].node, keys[i - 1].node)];
        throw ParseError("duplicate key " + Quote(keys[i].text) + " (first at line " +
                             std::to_string(first.start_line + 1 + first_line) + ")",
                         second.start_line, second.start_col);
      }
    }
  }

  std::string_view text_;
  ParseOptions options_;
  std::string patched_;
  std::vector<EmptyBlockPatch> patches_;
  Diag diag_;
  struct fy_parser* parser_ = nullptr;
};

// The text must be UTF-8 (RFC 3629: no overlongs, surrogates or code points past U+10FFFF) without C0 control
// characters other than tab, LF and CR, and without DEL. libfyaml 0.7.12 lets some of these through, and hangs
// on invalid UTF-8 in a directive line.
void CheckText(std::string_view text) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size();
  uint32_t line = 0;
  size_t line_start = 0;
  bool explicit_key_seen = false;  // a '?' that may be an explicit key indicator (see below)
  auto fail = [&](size_t i, const std::string& what) {
    throw ParseError(what, line, static_cast<uint32_t>(i - line_start));
  };
  for (size_t i = 0; i < n;) {
    unsigned char c = p[i];
    if (c < 0x80) {
      // libfyaml 0.7.12 frees a simple key twice (fy_fetch_value, fuzz finds) when, while an explicit "? key" is
      // pending, a ':' value indicator is followed by blanks holding a tab and then '?', ':', '|', '>' or "- ": its
      // tab-indentation check fails after the key was already recycled. Refuse that combination before parsing.
      auto blank_or_end = [&](size_t k) {
        return k >= n || p[k] == ' ' || p[k] == '\t' || p[k] == '\n' || p[k] == '\r';
      };
      if (c == '?' && blank_or_end(i + 1)) {
        explicit_key_seen = true;
      } else if (c == ':' && explicit_key_seen) {
        size_t k = i + 1;
        bool tab = false;
        for (; k < n && (p[k] == ' ' || p[k] == '\t'); ++k) tab = tab || p[k] == '\t';
        bool indicator = k < n && (std::strchr("?:|>", p[k]) != nullptr || (p[k] == '-' && blank_or_end(k + 1)));
        if (tab && indicator)
          fail(i, "a tab after ':' before an indicator ('?', ':', '|', '>' or '-') in a document with explicit "
                  "'? key' entries is not supported: use spaces there");
      }
      if (c == '\n') {
        ++line;
        line_start = i + 1;
      } else if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "%02X", c);
        fail(i, std::string("control character U+00") + buf + " is not allowed in YAML");
      }
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) len = 3, lo = 0xA0;
    else if (c >= 0xE1 && c <= 0xEC) len = 3;
    else if (c == 0xED) len = 3, hi = 0x9F;
    else if (c >= 0xEE && c <= 0xEF) len = 3;
    else if (c == 0xF0) len = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) len = 4, hi = 0x8F;
    if (len == 0 || i + len > n || p[i + 1] < lo || p[i + 1] > hi) fail(i, "invalid UTF-8 byte sequence");
    for (size_t k = 2; k < len; ++k)
      if ((p[i + k] & 0xC0) != 0x80) fail(i, "invalid UTF-8 byte sequence");
    i += len;
  }
}


Tree Tree::Parse(std::string_view text, const ParseOptions& options) {
  ParseOptions o = options;
  TreeBuilder b(text, o);
  std::vector<Tree> trees = b.Run(o.allow_multiple_documents);
  if (trees.empty()) {
    Tree t;
    t.text_ = text;
    return t;
  }
  return std::move(trees.front());
}

std::vector<Tree> Tree::ParseAll(std::string_view text, const ParseOptions& options) {
  TreeBuilder b(text, options);
  return b.Run(true);
}

// ---- Node ----------------------------------------------------------------------------------------------

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

namespace {
// Looks a key up in a mapping, then in the mappings its merge keys ("<<") point to, depth-bounded.
bool Lookup(const Node& map, std::string_view key, Node* key_out, Node* value_out, bool* via_merge, int depth) {
  if (depth > 16 || !map.IsMapping()) return false;
  std::vector<Node::Pair> merges;
  for (const auto& p : map.Entries()) {
    if (p.key.IsScalar()) {
      if (p.key.scalar() == key) {
        *key_out = p.key;
        *value_out = p.value;
        return true;
      }
      if (p.key.scalar() == "<<" && p.key.style() == Style::kPlain) merges.push_back(p);
    }
  }
  for (const auto& m : merges) {
    std::vector<Node> sources;
    if (m.value.IsSequence()) sources = m.value.Items();
    else sources.push_back(m.value);
    for (const auto& s : sources) {
      if (Lookup(s.Resolved(), key, key_out, value_out, via_merge, depth + 1)) {
        *via_merge = true;
        return true;
      }
    }
  }
  return false;
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
