// YAML values created in code (an injected annotation, an init container), rendered in block or flow style at
// a given indentation. Strings are always double-quoted (JSON escaping), so no value can change type under
// YAML 1.1; numbers and booleans are written plain on purpose.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace capstan::yaml {

class Node;

class Snippet {
 public:
  static Snippet String(std::string s);
  static Snippet Plain(std::string s);  // a number or boolean, written as is
  static Snippet Int(long long v) { return Plain(std::to_string(v)); }
  static Snippet Bool(bool v) { return Plain(v ? "true" : "false"); }
  static Snippet Map();
  static Snippet List();
  // A copy of an existing node with the same YAML 1.1 meaning: plain scalars that read as numbers, booleans or
  // null stay plain; every string is double-quoted. Aliases are followed and merge keys applied (as go-yaml v2
  // reads them), so the copy needs neither.
  static Snippet FromNode(const Node& node);
  // The text a copy writes for a mapping key (always as a string). A key that is a list, a map or null has no such
  // text: Error, naming the key's line in the document plus first_line.
  static std::string CopyKey(const Node& key, uint32_t first_line = 0);
  Snippet& Set(std::string key, Snippet value);  // keeps insertion order
  Snippet& Push(Snippet item);
  // Adds an entry without looking for the key (the caller knows it is new).
  Snippet& Append(std::string key, Snippet value);
  // Deep merge: mappings merge key by key, lists append, scalars are replaced by other's.
  void Merge(const Snippet& other);

  bool is_map() const { return kind_ == kMap; }
  bool is_list() const { return kind_ == kList; }
  bool is_scalar() const { return kind_ == kScalar; }
  bool empty() const { return entries_.empty() && items_.empty(); }
  bool is_null() const { return kind_ == kScalar && text_ == "null"; }
  // A mapping's value for key, or nullptr.
  Snippet* Child(const std::string& key);
  // A list's item at index, or nullptr.
  Snippet* Item(size_t index) { return kind_ == kList && index < items_.size() ? &items_[index] : nullptr; }
  // Inserts a list item at index (clamped to the end).
  void Insert(size_t index, Snippet item);

  // Renders a mapping's entries or a list's items as block lines, each starting with `indent` spaces and
  // ending with eol. A scalar renders as its text.
  std::string RenderBlock(size_t indent, const std::string& eol) const;
  // Renders a key/value entry as block lines at `indent` ("key: value" or "key:" + nested lines).
  std::string RenderEntry(const std::string& key, size_t indent, const std::string& eol) const;
  // Renders a list item ("- ..." with nested lines) at `indent` (the dash column).
  std::string RenderItem(size_t indent, const std::string& eol) const;
  std::string RenderFlow() const;
  static std::string Key(const std::string& key);  // plain when safe, else double-quoted
  static std::string Quoted(const std::string& s);

 private:
  enum KindT { kScalar, kMap, kList };
  KindT kind_ = kScalar;
  std::string text_;  // rendered scalar
  std::vector<std::pair<std::string, Snippet>> entries_;
  std::vector<Snippet> items_;
};

}  // namespace capstan::yaml
