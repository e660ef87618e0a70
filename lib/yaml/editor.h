// Structural edits of a parsed YAML document expressed as byte-range Edits on its original text: set a key in a
// mapping (creating missing parent mappings), prepend an item to a sequence. New content takes the indentation
// and line endings (LF or CRLF) of the place it goes; the rest of the document is untouched. Flow collections and
// null values ("annotations:", "annotations: ~") are handled; layouts that cannot be edited safely raise Error.
// An edit never changes what a go-yaml v2 reader (Helm, Kubernetes) gets beyond the value set: where the path goes
// through a merge key ("<<") or an alias, the editor writes a copy of the value it reaches, with the edit applied and
// aliases and merges expanded, in place of the alias or as an explicit key after the merge keys (copy on write);
// nodes shared by several copies (an anchor an alias names, a merge key's value) are never edited in place: an edit
// that starts at such a node (a container found through a merge key) goes into the copies made for the other edits
// that hold it, and is refused when there is none.
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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
  Editor(const Tree& tree, Edits& edits, uint32_t first_line = 0) : tree_(tree), edits_(edits), first_line_(first_line) {}

  // Sets path[last] = value below `map`, creating the intermediate mappings that are missing or null. An existing
  // scalar value (or flow collection) at the end of the path is replaced.
  void Set(Node map, const std::vector<std::string>& path, const Snippet& value);
  // Prepends item to the sequence at path below `map`, creating the key (and parents) when missing or null.
  // Several prepends keep their call order, all before the existing items.
  void Prepend(Node map, const std::vector<std::string>& path, const Snippet& item);
  // Renders every collected intent into the Edits. Throws Error for layouts that cannot be edited safely.
  void Commit();

 private:
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
  struct Pending {
    Node anchor;       // the mapping (new entries), the value being replaced, or the sequence (prepends)
    std::string key;   // for replacements: the key whose value is replaced
    Node map;          // for replacements: the mapping holding the key
    Snippet snippet;   // entries (a map), the replacement, or the items (a list)
  };
  void Edit(Node map, const std::vector<std::string>& path, bool prepend, const Snippet& value);
  Copy& AddCopy(Node token, Node map, const std::string& key, Node source);
  void CopyAroundDeferred(const std::vector<bool>& used);
  Snippet BuildCopy(const Copy& copy, std::vector<bool>& used) const;
  void RenderCopy(const Copy& copy, const Snippet& value);
  void CommitCopies();
  Snippet CopyOf(Node node, std::vector<bool>& used, size_t depth) const;
  [[noreturn]] void RefuseShared(Node node) const;
  Snippet& Intent(std::vector<Pending>& list, Node anchor, const Snippet& empty);
  void InsertEntries(Node map, const Snippet& entries);
  void ReplaceValue(Node map, const std::string& key, Node value, const Snippet& replacement);
  void PrependItems(Node seq, const Snippet& items);
  std::string EolAt(size_t offset) const;
  size_t LineStart(size_t offset) const;
  size_t ColonAfter(Node key) const;
  void CheckKey(Node key) const;

  const Tree& tree_;
  Edits& edits_;
  std::vector<Pending> inserts_, replaces_, prepends_;
  // "17": a node's line in the whole input (first_line_ added), for messages.
  std::string InputLine(Node n) const;
  uint32_t first_line_;
  std::vector<Copy> copies_;
  std::vector<Deferred> deferred_;
  std::unordered_map<uint32_t, std::vector<size_t>> deferred_at_;  // node id -> deferred_ indexes (in Commit)
};

}  // namespace capstan::yaml
