// A C++ port of the node-building half of go-yaml v2.4.0's decode.go (parser, node), as vendored in
// sigs.k8s.io/yaml v1.4.0 goyaml.v2/decode.go. Apache-2.0, see LICENSE.go-yaml beside this file.
#include "goyaml/compose.h"

#include "goyaml/yamlh.h"

namespace capstan::goyaml {

struct Composer::EventHolder {
  yaml_event_t event;
};

Composer::Composer(std::string_view input)
    : parser_(std::make_unique<yaml_parser_t>()), event_(std::make_unique<EventHolder>()), input_(input) {
  if (!yaml_parser_initialize(parser_.get())) throw YamlError("yaml: failed to initialize YAML parser");
  if (input_.empty()) input_ = "\n";
  yaml_parser_set_input_string(parser_.get(), input_);
}

Composer::~Composer() {
  if (event_->event.typ != yaml_NO_EVENT) yaml_event_delete(&event_->event);
  yaml_parser_delete(parser_.get());
}

void Composer::Init() {
  if (done_init_) return;
  Expect(yaml_STREAM_START_EVENT);
  done_init_ = true;
}

void Composer::Expect(int e) {
  yaml_event_t& ev = event_->event;
  if (ev.typ == yaml_NO_EVENT) {
    if (!yaml_parser_parse(parser_.get(), &ev)) Fail();
  }
  if (ev.typ == yaml_STREAM_END_EVENT) throw YamlError("yaml: attempted to go past the end of stream; corrupted value?");
  if (ev.typ != e) {
    parser_->problem = "expected " + to_string(static_cast<yaml_event_type_t>(e)) + " event but got " +
                       to_string(ev.typ);
    Fail();
  }
  yaml_event_delete(&ev);
  ev.typ = yaml_NO_EVENT;
}

int Composer::Peek() {
  yaml_event_t& ev = event_->event;
  if (ev.typ != yaml_NO_EVENT) return ev.typ;
  if (!yaml_parser_parse(parser_.get(), &ev)) Fail();
  return ev.typ;
}

void Composer::Fail() {
  const yaml_parser_t& p = *parser_;
  int line = 0, mark_line = -1, mark_column = -1;
  if (p.problem_mark.line != 0) {
    line = p.problem_mark.line;
    // Scanner errors don't iterate line before returning error
    if (p.error == yaml_SCANNER_ERROR) line++;
    mark_line = p.problem_mark.line, mark_column = p.problem_mark.column;
  } else if (p.context_mark.line != 0) {
    line = p.context_mark.line;
    mark_line = p.context_mark.line, mark_column = p.context_mark.column;
  }
  std::string where = line != 0 ? "line " + std::to_string(line) + ": " : "";
  std::string msg = !p.problem.empty() ? p.problem : "unknown problem parsing YAML content";
  if (mark_line < 0) mark_line = p.problem_mark.line, mark_column = p.problem_mark.column;  // line 0 or none
  throw YamlError("yaml: " + where + msg, mark_line, mark_column);
}

Node* Composer::NewNode(int kind) {
  const yaml_event_t& ev = event_->event;
  Node& n = nodes_.emplace_back();
  n.kind = kind;
  n.line = ev.start_mark.line;
  n.column = ev.start_mark.column;
  n.start = static_cast<size_t>(ev.start_mark.index);
  n.end = static_cast<size_t>(ev.end_mark.index);
  return &n;
}

void Composer::Anchor(Node* n, const std::string& anchor) {
  if (!anchor.empty()) (*anchors_)[anchor] = n;
}

Node* Composer::Parse() {
  Init();
  switch (Peek()) {
    case yaml_SCALAR_EVENT: return Scalar();
    case yaml_ALIAS_EVENT: return Alias();
    case yaml_MAPPING_START_EVENT: return Mapping();
    case yaml_SEQUENCE_START_EVENT: return Sequence();
    case yaml_DOCUMENT_START_EVENT: return Document();
    case yaml_STREAM_END_EVENT: return nullptr;  // Happens when attempting to decode an empty buffer.
    default:
      throw YamlError("yaml: attempted to parse unknown event: " + to_string(event_->event.typ));
  }
}

Node* Composer::Document() {
  Node* n = NewNode(documentNode);
  anchors_ = &anchor_tables_.emplace_back();
  doc_ = n;
  Expect(yaml_DOCUMENT_START_EVENT);
  n->children.push_back(Parse());
  n->end = static_cast<size_t>(event_->event.typ == yaml_DOCUMENT_END_EVENT ? event_->event.end_mark.index : n->end);
  Expect(yaml_DOCUMENT_END_EVENT);
  return n;
}

Node* Composer::Alias() {
  Node* n = NewNode(aliasNode);
  n->value = std::move(event_->event.anchor);
  auto it = anchors_ ? anchors_->find(n->value) : decltype(anchors_->end()){};
  if (!anchors_ || it == anchors_->end())
    throw YamlError("yaml: unknown anchor '" + n->value + "' referenced", n->line, n->column);
  n->alias = it->second;
  Expect(yaml_ALIAS_EVENT);
  return n;
}

Node* Composer::Scalar() {
  yaml_event_t& ev = event_->event;
  Node* n = NewNode(scalarNode);
  n->value = std::move(ev.value);  // the event is deleted next (Expect)
  n->tag = std::move(ev.tag);
  n->implicit = ev.implicit;
  n->style = static_cast<int>(ev.style);
  Anchor(n, ev.anchor);
  Expect(yaml_SCALAR_EVENT);
  return n;
}

Node* Composer::Sequence() {
  Node* n = NewNode(sequenceNode);
  n->style = static_cast<int>(event_->event.style);  // go-yaml v2 keeps no tag on collections
  Anchor(n, event_->event.anchor);
  Expect(yaml_SEQUENCE_START_EVENT);
  while (Peek() != yaml_SEQUENCE_END_EVENT) n->children.push_back(Parse());
  n->end = static_cast<size_t>(event_->event.end_mark.index);
  Expect(yaml_SEQUENCE_END_EVENT);
  return n;
}

Node* Composer::Mapping() {
  Node* n = NewNode(mappingNode);
  n->style = static_cast<int>(event_->event.style);
  Anchor(n, event_->event.anchor);
  Expect(yaml_MAPPING_START_EVENT);
  while (Peek() != yaml_MAPPING_END_EVENT) {
    Node* k = Parse();
    Node* v = Parse();
    n->children.push_back(k);
    n->children.push_back(v);
  }
  n->end = static_cast<size_t>(event_->event.end_mark.index);
  Expect(yaml_MAPPING_END_EVENT);
  return n;
}

}  // namespace capstan::goyaml
