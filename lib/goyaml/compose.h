// go-yaml v2's node tree (decode.go: node, parser): a YAML stream composed into nodes exactly as go-yaml does it
// before decoding, with each node's position. Helm reads values through go-yaml v2, so what this accepts, rejects
// and says is what Helm accepts, rejects and says ("yaml: line 3: did not find expected key").
// go-yaml's failf/panic becomes a thrown YamlError; its message is go-yaml's error text, "yaml: " prefix included.
#pragma once
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace capstan::goyaml {

struct yaml_parser_t;

// go-yaml's yamlError: the text of the error yaml.Unmarshal returns. line/column: the 0-based position the
// message names when it names one (-1 otherwise), for callers that point at the file.
class YamlError : public std::runtime_error {
 public:
  YamlError(const std::string& message, int line = -1, int column = -1)
      : std::runtime_error(message), line_(line), column_(column) {}
  int line() const { return line_; }
  int column() const { return column_; }

 private:
  int line_, column_;
};

enum NodeKind : int { documentNode = 1, mappingNode = 2, sequenceNode = 4, scalarNode = 8, aliasNode = 16 };

struct Node {
  int kind = 0;
  int line = 0, column = 0;  // 0-based, of the event's start mark (as go-yaml)
  std::string tag;           // resolved tag ("tag:yaml.org,2002:str"), "!" or "" (untagged)
  Node* alias = nullptr;     // alias nodes: the anchored node
  std::string value;         // scalars: the text; aliases: the anchor name
  bool implicit = false;     // scalars: plain and untagged (the event's plain implicit flag)
  std::vector<Node*> children;  // documents: one; mappings: key, value, key, value...; sequences: the items
  // Not in go-yaml's node: byte offsets of the node's start and end (collections end at their end event), and
  // the scalar style (yaml_scalar_style_t), for callers that map values back to the text.
  size_t start = 0, end = 0;
  int style = 0;
};

// decode.go's parser. Nodes live as long as the Composer.
class Composer {
 public:
  explicit Composer(std::string_view input);  // empty input reads as "\n", as newParser does
  ~Composer();
  Composer(const Composer&) = delete;
  Composer& operator=(const Composer&) = delete;

  // p.parse(): the next document node of the stream, nullptr at its end. yaml.Unmarshal reads only the first; a
  // Decoder (and the values source map) calls it again for each next one. Throws YamlError.
  Node* Parse();

 private:
  void Init();
  void Expect(int event_type);
  int Peek();
  [[noreturn]] void Fail();
  Node* NewNode(int kind);
  void Anchor(Node* n, const std::string& anchor);
  Node* Document();
  Node* Alias();
  Node* Scalar();
  Node* Sequence();
  Node* Mapping();

  std::unique_ptr<yaml_parser_t> parser_;
  struct EventHolder;
  std::unique_ptr<EventHolder> event_;
  Node* doc_ = nullptr;
  std::map<std::string, Node*>* anchors_ = nullptr;  // the current document's
  bool done_init_ = false;
  std::deque<Node> nodes_;
  std::deque<std::map<std::string, Node*>> anchor_tables_;
  std::string input_;
};

}  // namespace capstan::goyaml
