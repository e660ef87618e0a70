// Structural edits of a parsed YAML document expressed as byte-range Edits on its original text: set a key in a
// mapping (creating missing parent mappings), prepend an item to a sequence. New content takes the indentation
// and line endings (LF or CRLF) of the place it goes; the rest of the document is untouched. Flow collections,
// quoted keys and null values ("annotations:", "annotations: ~") are edited in place. Where an edit cannot go in
// place (explicit '? key' entries, tags or anchors on the edited value, block merges, odd layouts), the editor
// re-emits the smallest enclosing collection that must change in block form (editor_reemit.cc): same keys, same
// values with the same YAML 1.1 types, aliases expanded, its comments kept at its top; the rest of the document
// keeps its bytes. Only edits that contradict the data ("annotations" is a list) raise Error.
// An edit never changes what a go-yaml v2 reader (Helm, Kubernetes) gets beyond the value set: where the path goes
// through a merge key ("<<") or an alias, the editor writes a copy of the value it reaches, with the edit applied and
// aliases and merges expanded, in place of the alias or as an explicit key after the merge keys (copy on write);
// nodes shared by several copies (an anchor an alias names, a merge key's value) are never edited in place: an edit
// that starts at such a node (a container found through a merge key) goes into the copies made for the other edits
// that hold it, and is refused when there is none.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "util/error.h"
#include "yaml/edits.h"
#include "yaml/snippet.h"
#include "yaml/tree.h"

namespace capstan::yaml {

// Edits are collected as intents and rendered by Commit(), so that two callers creating the same missing parent
// (say, two filters adding annotations to a pod template without metadata) produce one merged entry.
class Editor {
 public:
  // first_line: the 0-based line of the tree's text in a larger input (a document of a stream); messages then give
  // lines of that input.
  Editor(const Tree& tree, Edits& edits, uint32_t first_line = 0) : tree_(tree), out_(edits), first_line_(first_line) {}

  // Sets path[last] = value below `map`, creating the intermediate mappings that are missing or null. An existing
  // scalar value (or flow collection) at the end of the path is replaced.
  void Set(Node map, const std::vector<std::string>& path, const Snippet& value);
  // Prepends item to the sequence at path below `map`, creating the key (and parents) when missing or null.
  // Several prepends keep their call order, all before the existing items.
  void Prepend(Node map, const std::vector<std::string>& path, const Snippet& item);
  // Renders every collected intent into the Edits. Throws Error for edits the data contradicts.
  void Commit();
  // What Commit throws when not even the whole document can be written out again: a defect of the editor, never of
  // the input (fuzz/yaml_editor_fuzz.cc traps on it).
  class CannotReemit : public Error {
   public:
    using Error::Error;
  };

 private:
  // An edit that cannot go in place at `node` (a collection, or a scalar whose key has an odd layout: its
  // mapping): Commit re-emits node, or the collection enclosing it that can be re-emitted.
  class LayoutError : public Error {
   public:
    LayoutError(Node n, const std::string& why) : Error(why), node(n) {}
    Node node;
  };
  // Where a node is written: its parent collection, and its key (mapping) or index (sequence).
  struct Parent {
    Node parent, key;
    size_t index = 0;
  };
  // One step from a collection to a child as written: a key, or a sequence index.
  struct Step {
    bool is_index;
    size_t index;
    std::string key;
  };
  // One edit to replay on a copy: Set (path, value) or Prepend (path, item).
  struct Op {
    bool prepend;
    std::vector<std::string> path;
    Snippet value;
  };
  // A value written out as a copy: in place of an alias token, or as an explicit key of a mapping (after its merge
  // keys) overriding the value the merge supplied.
  struct Copy {
    Node token;        // the alias replaced (invalid for an override)
    Node map;          // the mapping that gets the explicit key (override)
    std::string key;   // the key (override)
    Node source;       // what the copy starts from
    std::vector<Op> ops;
  };
  // An edit whose start node is shared text: applied to the copies that contain the node, refused if none does.
  struct Deferred {
    Node node;
    Op op;
  };
  // A Set or Prepend as the caller made it, replayed by Commit once some collection must be re-emitted.
  struct Call {
    Node map;
    Op op;
  };
  // An edit routed into a re-emitted collection: the steps from it to the edited map, then the op.
  struct Routed {
    std::vector<Step> steps;
    Op op;
  };
  struct Pending {
    Node anchor;       // the mapping (new entries), the value being replaced, or the sequence (prepends)
    std::string key;   // for replacements: the key whose value is replaced
    Node map;          // for replacements: the mapping holding the key
    Snippet snippet;   // entries (a map), the replacement, or the items (a list)
  };
  void Edit(Node map, const std::vector<std::string>& path, bool prepend, const Snippet& value);
  void Record(Node map, const std::vector<std::string>& path, bool prepend, const Snippet& value);
  static void ApplyOp(Snippet& root, const Op& op, Node where, uint32_t first_line,
                      std::map<std::string, size_t>& prepended, const std::string& prefix = "");
  // editor_reemit.cc
  void Reset();
  void Render(std::vector<bool>& used);
  void Escalate(const LayoutError& e);
  void Route(const Call& call);
  void BuildParents();
  const Parent* ParentOf(Node n) const;
  Node Normalize(Node n) const;
  bool Reemitted(Node n) const;
  Node TopReemitted(Node n) const;  // the outermost re-emitted collection holding n (or n), else invalid
  std::pair<size_t, size_t> RenderReemit(Node node, std::vector<bool>& used);
  void ReplaceOutsideAliases(const std::vector<std::pair<size_t, size_t>>& regions, std::vector<bool>& used);
  // The bytes a re-emitted node's text replaces: after its key's ':' (or its item's '-', or from the document's
  // first content) to the end of its content. indent: the column its block lines take.
  std::pair<size_t, size_t> Region(Node node, size_t* indent, bool* item, bool* line_start) const;
  size_t LastContentLineEnd(size_t from) const;
  size_t IndentedLinesEnd(Node node, size_t from) const;
  size_t ContentEnd(Node n, size_t depth = 0) const;
  size_t KeyEnd(Node key) const;
  std::vector<std::string> CommentsIn(Node node, size_t begin, size_t end) const;
  Copy& AddCopy(Node token, Node map, const std::string& key, Node source);
  void CopyAroundDeferred(const std::vector<bool>& used);
  Snippet BuildCopy(const Copy& copy, std::vector<bool>& used) const;
  void RenderCopy(const Copy& copy, const Snippet& value);
  void CommitCopies(std::vector<bool>& used);
  Snippet CopyOf(Node node, std::vector<bool>& used, size_t depth) const;
  [[noreturn]] void RefuseShared(Node node) const;
  Snippet& Intent(std::vector<Pending>& list, Node anchor, const Snippet& empty);
  void InsertEntries(Node map, const Snippet& entries);
  void ReplaceValue(Node map, const std::string& key, Node value, const Snippet& replacement);
  void PrependItems(Node seq, const Snippet& items);
  std::string EolAt(size_t offset) const;
  size_t LineStart(size_t offset) const;
  size_t ColonAfter(Node map, Node key) const;
  void CheckKey(Node map, Node key) const;

  const Tree& tree_;
  Edits& out_;    // the caller's edits: Commit appends the rendering that succeeded
  Edits edits_;   // the rendering under way
  std::vector<Pending> inserts_, replaces_, prepends_;
  // "17": a node's line in the whole input (first_line_ added), for messages.
  std::string InputLine(Node n) const;
  uint32_t first_line_;
  std::vector<Copy> copies_;
  std::vector<Deferred> deferred_;
  std::unordered_map<uint32_t, std::vector<size_t>> deferred_at_;  // node id -> deferred_ indexes (in Commit)
  std::vector<Call> calls_;
  bool replay_ = false;                      // some collection is re-emitted: Commit replays calls_
  std::vector<Node> reemit_;                 // the collections re-emitted (an enclosing one wins)
  std::unordered_map<uint32_t, std::vector<Routed>> routed_;  // re-emitted node id -> its edits
  std::unordered_map<uint32_t, Parent> parents_;  // built when the first collection is re-emitted
};

}  // namespace capstan::yaml
