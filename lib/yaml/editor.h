// Structural edits of a parsed YAML document expressed as byte-range Edits on its original text: set a key in a
// mapping (creating missing parent mappings), prepend an item to a sequence. New content takes the indentation
// and line endings (LF or CRLF) of the place it goes; the rest of the document is untouched. Flow collections and
// null values ("annotations:", "annotations: ~") are handled; layouts that cannot be edited safely raise Error.
#pragma once
#include <string>
#include <string_view>
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
  struct Pending {
    Node anchor;       // the mapping (new entries), the value being replaced, or the sequence (prepends)
    std::string key;   // for replacements: the key whose value is replaced
    Node map;          // for replacements: the mapping holding the key
    Snippet snippet;   // entries (a map), the replacement, or the items (a list)
  };
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
  uint32_t first_line_;
};

}  // namespace capstan::yaml
