// A compact, read-only YAML tree with source positions, built from libfyaml's event stream.
// It is what every Capstan YAML reader uses: the post-renderer (to find where to edit without re-emitting),
// the values engine (file:line provenance) and the linters. Scalars are decoded (escapes, folding, chomping
// applied); nothing is re-serialised. Positions are byte offsets into the parsed text plus 0-based line/column.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace capstan::yaml {

enum class Kind : uint8_t { kScalar, kMapping, kSequence, kAlias };
enum class Style : uint8_t { kPlain, kSingleQuoted, kDoubleQuoted, kLiteral, kFolded, kBlock, kFlow };

struct Pos {
  uint32_t offset = 0;  // byte offset into the parsed text
  uint32_t line = 0;    // 0-based
  uint32_t column = 0;  // 0-based, in bytes
};

// A YAML syntax error. line/column are 0-based and relative to the parsed text.
class ParseError : public Error {
 public:
  ParseError(std::string reason, uint32_t line, uint32_t column)
      : Error(reason), reason_(std::move(reason)), line_(line), column_(column) {}
  const std::string& reason() const { return reason_; }
  uint32_t line() const { return line_; }
  uint32_t column() const { return column_; }

 private:
  std::string reason_;
  uint32_t line_, column_;
};

struct ParseOptions {
  bool allow_duplicate_keys = false;  // go-yaml v2 semantics (the last wins) when true; an error when false
  bool allow_multiple_documents = false;  // otherwise a second document in the text is an error
  size_t max_depth = 512;                 // nesting deeper than this is an error (bounded recursion)
  uint32_t first_line = 0;  // the text's first line in a larger input: added to the lines named inside messages
  // A document whose aliases expand it to more than this many nodes (scalars, collections) is an error. Only
  // aliases can make a document grow past its own node count, so a large document without aliases is never refused.
  // A million nodes are several MB of JSON, beyond what the Kubernetes API server accepts for one object (3 MiB).
  // This bounds the work (time, memory, message sizes) of every consumer that follows aliases.
  size_t max_expanded_nodes = 1000000;
};

class Tree;
struct NodePair;

// Throws ParseError unless text is UTF-8 without control characters (other than tab, LF, CR), as YAML requires.
// Tree::Parse calls it; call it directly for text that is not parsed (comment-only documents).
void CheckText(std::string_view text);

// A light handle on a node of a Tree. A default-constructed (or missing) Node is invalid: test with valid().
class Node {
 public:
  Node() = default;
  bool valid() const { return tree_ != nullptr; }
  explicit operator bool() const { return valid(); }

  Kind kind() const;        // aliases are resolved by every accessor below except kind()/alias_target()
  Style style() const;
  bool IsMapping() const;
  bool IsSequence() const;
  bool IsScalar() const;
  // A plain scalar that YAML reads as null: empty, "~", "null", "Null", "NULL" (no explicit tag).
  bool IsNull() const;
  bool IsFlow() const { return style() == Style::kFlow; }
  std::string_view scalar() const;  // decoded value; empty for collections
  std::string_view tag() const;     // as written in the source ("!!str", "!foo"); empty when none
  std::string_view anchor() const;
  bool has_position() const;        // an empty plain scalar has none
  Pos start() const;
  Pos end() const;
  size_t size() const;              // entries of a mapping or items of a sequence

  // Mapping lookup by scalar key, as go-yaml v2 (Helm, Kubernetes) reads it: entries apply in order and the last
  // one wins, so a merge key ("<<") after an explicit key overrides it, and in a list of merges the first wins.
  // Invalid Node when absent.
  Node Get(std::string_view key) const;
  // The key node of the entry Get(key) would return (invalid when absent or when found through a merge key).
  Node KeyNode(std::string_view key) const;
  // True when Get(key) finds the value through a merge key.
  bool ViaMerge(std::string_view key) const;
  // The mapping's entries with merge keys applied (go-yaml v2 order as for Get): each key once, in the order it
  // first appears, with the value that wins. Keys are scalars; "<<" entries are replaced by what they merge.
  std::vector<NodePair> MergedEntries() const;
  // True when this node as written (not resolved) is the target of an alias, the value of a merge key, or lies
  // inside one: its text appears more than once in the document once aliases are expanded, or reaches its mapping
  // only through a merge, so editing it in place would change every copy (or be hidden by an explicit key).
  bool shared() const;
  // True for the key "<<" written plain without a tag: a merge key.
  bool IsMergeKey() const;
  Node At(size_t index) const;      // sequence item

  // Iteration: mapping entries as (key, value) pairs, sequence items.
  using Pair = NodePair;
  std::vector<Pair> Entries() const;
  std::vector<Node> Items() const;

  Node Resolved() const;  // follows an alias
  uint32_t id() const { return index_; }
  const Tree* tree() const { return tree_; }

 private:
  friend class Tree;
  Node(const Tree* tree, uint32_t index) : tree_(tree), index_(index) {}
  const Tree* tree_ = nullptr;
  uint32_t index_ = 0;
};

struct NodePair {
  Node key, value;
};

// "17": the 1-based line of n in a larger input whose first line is first_line (0-based), for messages. One
// formatter for every message that names a node's line (the editor, its copies, Snippet::CopyKey).
std::string InputLine(const Node& n, uint32_t first_line = 0);

class Tree {
 public:
  // Parses exactly one document (or an empty stream: root() is then invalid). The text must outlive the Tree.
  // Throws ParseError (syntax, tabs, duplicate keys, nesting too deep, several documents).
  static Tree Parse(std::string_view text, const ParseOptions& options = {});
  // Parses every document of a stream (multi-document values files).
  static std::vector<Tree> ParseAll(std::string_view text, const ParseOptions& options = {});

  Node root() const { return has_root_ ? Node(this, root_) : Node(); }
  std::string_view text() const { return text_; }
  bool explicit_start() const { return explicit_start_; }

 private:
  friend class Node;
  friend class TreeBuilder;
  struct Rec {
    Kind kind;
    Style style;
    bool has_pos;
    bool shared;                   // an alias target, or inside one (see Node::shared)
    uint32_t start, start_line, start_col;
    uint32_t end, end_line, end_col;
    uint32_t str_off, str_len;     // decoded scalar in arena_
    uint32_t tag_off, tag_len;     // tag text in arena_
    uint32_t anchor_off, anchor_len;
    uint32_t first_child;          // kNone when empty; mapping children alternate key, value
    uint32_t next_sibling;
    uint32_t count;                // items (sequence) or entries (mapping)
    uint32_t alias_target;         // for aliases
  };
  static constexpr uint32_t kNone = 0xffffffffu;
  std::string_view text_;
  std::vector<Rec> nodes_;
  std::string arena_;
  uint32_t root_ = 0;
  bool has_root_ = false;
  bool explicit_start_ = false;
};

}  // namespace capstan::yaml
