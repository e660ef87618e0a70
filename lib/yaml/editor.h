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

class Editor {
 public:
  Editor(const Tree& tree, Edits& edits) : tree_(tree), edits_(edits) {}

  // Sets path[last] = value below `map`, creating the intermediate mappings that are missing or null. An existing
  // scalar value at the end of the path is replaced; an existing collection there is replaced too.
  void Set(Node map, const std::vector<std::string>& path, const Snippet& value);
  // Prepends item to the sequence at path below `map`, creating the key (and parents) when missing or null.
  void Prepend(Node map, const std::vector<std::string>& path, const Snippet& item);

 private:
  void InsertEntry(Node map, const std::string& key, const Snippet& value);
  void ReplaceValue(Node map, const std::string& key, Node value, const Snippet& replacement);
  void PrependItem(Node seq, const Snippet& item);
  std::string EolAt(size_t offset) const;
  size_t LineStart(size_t offset) const;
  size_t ColonAfter(Node key) const;

  const Tree& tree_;
  Edits& edits_;
};

}  // namespace capstan::yaml
