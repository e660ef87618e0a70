#include "yaml/tree.h"

#include <libfyaml.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unordered_map>

#include "util/strings.h"
#include "yaml/empty_block_patch.h"

namespace capstan::yaml {

namespace {

// The first error libfyaml collected, with its line, column and message (libfyaml's own display of an error, which
// renders the source line under it, crashes on some lines of tabs and carriage returns: errors are collected, never
// displayed).
ParseError FirstError(struct fy_diag* diag, uint32_t fallback_line) {
  void* iter = nullptr;
  while (struct fy_diag_error* e = fy_diag_errors_iterate(diag, &iter)) {
    if (e->type != FYET_ERROR) continue;
    uint32_t line = e->line > 0 ? static_cast<uint32_t>(e->line - 1) : fallback_line;
    uint32_t col = e->column > 0 ? static_cast<uint32_t>(e->column - 1) : 0;
    return ParseError(e->msg ? e->msg : "invalid YAML", line, col);
  }
  return ParseError("invalid YAML", fallback_line, 0);
}

struct Diag {
  struct fy_diag* diag = nullptr;
  Diag() {
    struct fy_diag_cfg dc;
    fy_diag_cfg_default(&dc);
    dc.fp = nullptr;
    dc.colorize = false;
    dc.show_source = false;
    diag = fy_diag_create(&dc);
    if (diag) fy_diag_set_collect_errors(diag, true);
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
    // Sloppy flow indentation: Go's yaml (Helm, kyaml, the API server) does not check indentation inside flow
    // collections and multi-line flow scalars, and real charts rely on it (minio closes a flow sequence at its key's
    // column; Helm 4's kyaml writes a multi-line single-quoted scalar whose closing quote is at column 0).
    cfg.flags = static_cast<enum fy_parse_cfg_flags>(FYPCF_DEFAULT_VERSION_1_1 | FYPCF_DISABLE_MMAP_OPT |
                                                     FYPCF_DISABLE_RECYCLING | FYPCF_SLOPPY_FLOW_INDENTATION);
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
      uint64_t expanded;          // nodes below so far, aliases counted at their target's expanded size
    };
    std::vector<Frame> stack;
    std::unordered_map<std::string, uint32_t> anchors;
    // Per node of the current document: how many collection levels it holds, aliases expanded; kOpen while the
    // collection is still being read (an alias to it would be a cycle). Bounds the recursion of every consumer that
    // follows aliases, so nesting built by aliases of aliases cannot exhaust the stack either.
    constexpr uint32_t kOpen = UINT32_MAX;
    std::vector<uint32_t> height;
    // Per node: the number of nodes it stands for once aliases are expanded (saturating), its parent, and whether
    // an alias names it (for Node::shared).
    std::vector<uint64_t> expanded;
    std::vector<uint32_t> parent;
    std::vector<bool> aliased;
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
          expanded.clear();
          parent.clear();
          aliased.clear();
          break;
        case FYET_DOCUMENT_END:
          MarkShared(*cur, parent, aliased);
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
          expanded.push_back(r.kind == Kind::kAlias ? expanded[r.alias_target] : 1);
          parent.push_back(stack.empty() ? Tree::kNone : stack.back().node);
          aliased.push_back(false);
          if (r.kind == Kind::kAlias) aliased[r.alias_target] = true;
          if (anchor) anchors[std::string(cur->arena_.data() + r.anchor_off, r.anchor_len)] = idx;
          if (stack.empty()) {
            cur->root_ = idx;
            cur->has_root_ = true;
          } else {
            Frame& f = stack.back();
            Tree::Rec& up = cur->nodes_[f.node];
            if (f.last_child == Tree::kNone) up.first_child = idx;
            else cur->nodes_[f.last_child].next_sibling = idx;
            f.last_child = idx;
            up.count++;
            if (!collection) {
              f.max_child_height = std::max(f.max_child_height, height[idx]);
              f.expanded = std::min<uint64_t>(f.expanded + expanded[idx], kSaturated);
            }
          }
          if (collection) {
            if (stack.size() >= options_.max_depth)
              throw ParseError("nesting deeper than " + std::to_string(options_.max_depth) + " levels",
                               r.start_line, r.start_col);
            stack.push_back({idx, Tree::kNone, 0, 1});
          }
          break;
        }
        case FYET_MAPPING_END:
        case FYET_SEQUENCE_END: {
          uint32_t idx = stack.back().node;
          height[idx] = stack.back().max_child_height + 1;
          expanded[idx] = stack.back().expanded;
          stack.pop_back();
          Tree::Rec& r = cur->nodes_[idx];
          // Only aliases make a document stand for more nodes than it holds; refuse one that grows past the limit.
          if (expanded[idx] > options_.max_expanded_nodes && expanded[idx] > cur->nodes_.size())
            throw ParseError("document contains excessive aliasing: it expands to more than " +
                                 std::to_string(options_.max_expanded_nodes) +
                                 " nodes once its aliases are expanded (the limit); write the repeated parts out "
                                 "or reduce them",
                             r.start_line, r.start_col);
          if (height[idx] > options_.max_depth)
            throw ParseError("nesting deeper than " + std::to_string(options_.max_depth) +
                                 " levels once aliases are expanded",
                             r.start_line, r.start_col);
          if (!stack.empty()) {
            stack.back().max_child_height = std::max(stack.back().max_child_height, height[idx]);
            stack.back().expanded = std::min<uint64_t>(stack.back().expanded + expanded[idx], kSaturated);
          }
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
    if (fy_parser_get_stream_error(parser_)) throw FirstError(diag_.diag, 0);
    if (cur) {
      MarkShared(*cur, parent, aliased);
      trees.push_back(std::move(*cur));
    }
    return trees;
  }

 private:
  static constexpr uint64_t kSaturated = uint64_t{1} << 62;

  // A node is shared when an alias names it or it lies inside such a node. Nodes are stored parents first.
  // The value of a merge key counts as shared too: its entries reach the mapping only through the merge, where an
  // explicit key can hide them.
  static void MarkShared(Tree& t, const std::vector<uint32_t>& parent, const std::vector<bool>& aliased) {
    std::vector<bool> merged(t.nodes_.size(), false);
    for (const auto& m : t.nodes_) {
      if (m.kind != Kind::kMapping) continue;
      for (uint32_t k = m.first_child; k != Tree::kNone;) {
        uint32_t v = t.nodes_[k].next_sibling;
        if (v == Tree::kNone) break;
        const Tree::Rec& kr = t.nodes_[k];
        if (kr.kind == Kind::kScalar && kr.style == Style::kPlain && kr.tag_len == 0 &&
            std::string_view(t.arena_.data() + kr.str_off, kr.str_len) == "<<")
          merged[v] = true;
        k = t.nodes_[v].next_sibling;
      }
    }
    for (size_t i = 0; i < t.nodes_.size() && i < parent.size(); ++i)
      t.nodes_[i].shared = aliased[i] || merged[i] || (parent[i] != Tree::kNone && t.nodes_[parent[i]].shared);
  }

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

}  // namespace capstan::yaml
