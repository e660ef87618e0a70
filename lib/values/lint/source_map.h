// Where each node of a YAML (or JSON) text sits: for every JSON pointer, the line and column of the node and of
// its key, its byte range, and for scalars the raw text and style (plain or quoted). Linters use it to point a
// finding at the exact key, to see how a scalar was written (an unquoted NO, 0755, 1.10) and to map a JSON
// Schema pointer to a line of values.schema.json; `values migrate` uses the byte ranges to edit the text.
// Built on the shared yaml::Tree (lib/yaml) for JSON and our own files, or on go-yaml (lib/goyaml) for values files
// (BuildValues), every document of a multi-document file (later documents overwrite the entries of earlier ones,
// as Helm 4 merges them).
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace capstan::values::lint {

struct SourceNode {
  enum class Kind { kScalar, kMap, kList, kAlias };
  Kind kind = Kind::kScalar;
  std::string pointer;       // JSON pointer, keys normalised by the map's KeyNormalizer
  int line = 0, column = 0;  // 1-based start of the value node
  size_t begin = 0, end = 0; // byte range of the value node in the text
  // The key this node is the value of (absent for the document root and list items).
  bool has_key = false;
  int key_line = 0, key_column = 0;
  size_t key_begin = 0, key_end = 0;
  std::string key_text;      // the key as written (unnormalised)
  bool key_plain = true;
  // Scalars only.
  std::string text;          // the scalar's value (after unescaping quotes)
  bool plain = false;        // unquoted, untagged, not a block scalar
  int document = 0;          // 0-based document index
};

// Turns a map key as written into the key the data has (e.g. YAML 1.1 `on` -> "true"). Identity by default.
using KeyNormalizer = std::function<std::string(std::string_view text, bool plain)>;

// A key written twice in one map (after normalisation: `on` and `true` are the same key). go-yaml v2, so Helm 3
// and 4, keeps the last value silently.
struct SourceDuplicate {
  std::string pointer;                 // the key's JSON pointer
  std::string key_text;                // the later key as written
  int line = 0, column = 0;            // the later key (the one whose value is used)
  int first_line = 0, first_column = 0;  // the earlier key (ignored)
};

struct SourceError {
  std::string message;
  int line = 0, column = 0;  // 1-based
};

class SourceMap {
 public:
  // Indexes `text`. Never throws on bad YAML: error() is set and the nodes read so far are kept.
  static SourceMap Build(std::string_view text, const KeyNormalizer& normalize = {});
  // The same for a values file, read by go-yaml as Helm reads it (lib/goyaml): positions of every document; error()
  // is go-yaml's ("yaml: line 3: did not find expected key") for the first document that does not parse.
  static SourceMap BuildValues(std::string_view text, const KeyNormalizer& normalize = {});

  const SourceNode* Find(const std::string& pointer) const;
  // The node at pointer, or at its longest existing ancestor (the root "" when nothing matches); nullptr only
  // when the text had no document.
  const SourceNode* FindNearest(const std::string& pointer) const;
  const std::vector<SourceNode>& nodes() const { return nodes_; }  // document order
  bool ok() const { return error_.message.empty(); }
  const SourceError& error() const { return error_; }
  int documents() const { return documents_; }
  const std::vector<SourceDuplicate>& duplicates() const { return duplicates_; }  // in document order

 private:
  friend struct SourceMapBuilder;
  void Add(SourceNode n);
  void Finish();  // folds repeated pointers and builds index_
  std::vector<SourceNode> nodes_;
  std::vector<uint32_t> index_;  // nodes_ indexes sorted by pointer
  SourceError error_;
  int documents_ = 0;
  std::vector<SourceDuplicate> duplicates_;
};

// JSON pointer helpers: escaping (~0 ~1), joining and splitting.
std::string PointerEscape(std::string_view token);
std::string PointerJoin(const std::vector<std::string>& tokens);
std::vector<std::string> PointerSplit(std::string_view pointer);

}  // namespace capstan::values::lint
