// The go-yaml v2 parser object: creation, input, the token queue, and the event constructors the parser uses.
// Port of go-yaml v2.4.0 as vendored in sigs.k8s.io/yaml v1.4.0 goyaml.v2/apic.go (MIT license, derived from
// libyaml; see lib/goyaml/LICENSE.go-yaml). The emitter half of apic.go and the io.Reader input are not ported.
#include <string>
#include <utility>

#include "goyaml/yamlh.h"
#include "goyaml/yamlprivateh.h"
#include "util/error.h"

namespace capstan::goyaml {

void yaml_insert_token(yaml_parser_t* parser, int pos, yaml_token_t* token) {
  // Check if we can move the queue at the beginning of the buffer.
  // (Go compacts when the slice is full; any compaction policy gives the same queue contents.)
  if (parser->tokens_head > 0 && parser->tokens.size() == parser->tokens.capacity()) {
    parser->tokens.erase(parser->tokens.begin(), parser->tokens.begin() + parser->tokens_head);
    parser->tokens_head = 0;
  }
  if (pos < 0) {
    parser->tokens.push_back(*token);
    return;
  }
  int at = parser->tokens_head + pos;
  if (at > static_cast<int>(parser->tokens.size())) {
    // Go: copy(parser.tokens[parser.tokens_head+pos+1:], ...) panics with a slice bounds error.
    throw capstan::Error("go-yaml port: yaml_insert_token position " + std::to_string(at) +
                         " out of range (Go panics here)");
  }
  parser->tokens.insert(parser->tokens.begin() + at, *token);
}

// Create a new parser object.
bool yaml_parser_initialize(yaml_parser_t* parser) {
  *parser = yaml_parser_t{};
  parser->raw_buffer.reserve(input_raw_buffer_size);
  parser->buffer.reserve(input_buffer_size);
  return true;
}

// Destroy a parser object.
void yaml_parser_delete(yaml_parser_t* parser) { *parser = yaml_parser_t{}; }

// Set a string input.
void yaml_parser_set_input_string(yaml_parser_t* parser, const std::string& input) {
  if (parser->read_handler) throw capstan::Error("go-yaml port: must set the input source only once");
  parser->read_handler = true;
  parser->input = input;
  parser->input_pos = 0;
}

// Set the source encoding.
void yaml_parser_set_encoding(yaml_parser_t* parser, yaml_encoding_t encoding) {
  if (parser->encoding != yaml_ANY_ENCODING) throw capstan::Error("go-yaml port: must set the encoding only once");
  parser->encoding = encoding;
}

// Create STREAM-START.
void yaml_stream_start_event_initialize(yaml_event_t* event, yaml_encoding_t encoding) {
  *event = yaml_event_t{};
  event->typ = yaml_STREAM_START_EVENT;
  event->encoding = encoding;
}

// Create STREAM-END.
void yaml_stream_end_event_initialize(yaml_event_t* event) {
  *event = yaml_event_t{};
  event->typ = yaml_STREAM_END_EVENT;
}

// Create DOCUMENT-START.
void yaml_document_start_event_initialize(yaml_event_t* event,
                                          std::optional<yaml_version_directive_t> version_directive,
                                          std::vector<yaml_tag_directive_t> tag_directives, bool implicit) {
  *event = yaml_event_t{};
  event->typ = yaml_DOCUMENT_START_EVENT;
  event->version_directive = version_directive;
  event->tag_directives = std::move(tag_directives);
  event->implicit = implicit;
}

// Create DOCUMENT-END.
void yaml_document_end_event_initialize(yaml_event_t* event, bool implicit) {
  *event = yaml_event_t{};
  event->typ = yaml_DOCUMENT_END_EVENT;
  event->implicit = implicit;
}

// Create SCALAR.
bool yaml_scalar_event_initialize(yaml_event_t* event, const std::string& anchor, const std::string& tag,
                                  const std::string& value, bool plain_implicit, bool quoted_implicit,
                                  yaml_scalar_style_t style) {
  *event = yaml_event_t{};
  event->typ = yaml_SCALAR_EVENT;
  event->anchor = anchor;
  event->tag = tag;
  event->value = value;
  event->implicit = plain_implicit;
  event->quoted_implicit = quoted_implicit;
  event->style = static_cast<yaml_style_t>(style);
  return true;
}

// Create SEQUENCE-START.
bool yaml_sequence_start_event_initialize(yaml_event_t* event, const std::string& anchor, const std::string& tag,
                                          bool implicit, yaml_sequence_style_t style) {
  *event = yaml_event_t{};
  event->typ = yaml_SEQUENCE_START_EVENT;
  event->anchor = anchor;
  event->tag = tag;
  event->implicit = implicit;
  event->style = static_cast<yaml_style_t>(style);
  return true;
}

// Create SEQUENCE-END.
bool yaml_sequence_end_event_initialize(yaml_event_t* event) {
  *event = yaml_event_t{};
  event->typ = yaml_SEQUENCE_END_EVENT;
  return true;
}

// Create MAPPING-START.
void yaml_mapping_start_event_initialize(yaml_event_t* event, const std::string& anchor, const std::string& tag,
                                         bool implicit, yaml_mapping_style_t style) {
  *event = yaml_event_t{};
  event->typ = yaml_MAPPING_START_EVENT;
  event->anchor = anchor;
  event->tag = tag;
  event->implicit = implicit;
  event->style = static_cast<yaml_style_t>(style);
}

// Create MAPPING-END.
void yaml_mapping_end_event_initialize(yaml_event_t* event) {
  *event = yaml_event_t{};
  event->typ = yaml_MAPPING_END_EVENT;
}

// Destroy an event object.
void yaml_event_delete(yaml_event_t* event) { *event = yaml_event_t{}; }

}  // namespace capstan::goyaml
