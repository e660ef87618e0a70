// The names of the go-yaml v2 token types, event types and parser states (Go's String() methods).
// Port of go-yaml v2.4.0 as vendored in sigs.k8s.io/yaml v1.4.0 goyaml.v2/yamlh.go (MIT license, derived from
// libyaml; see lib/goyaml/LICENSE.go-yaml).
#include "goyaml/yamlh.h"

namespace capstan::goyaml {

std::string to_string(yaml_token_type_t tt) {
  switch (tt) {
    case yaml_NO_TOKEN: return "yaml_NO_TOKEN";
    case yaml_STREAM_START_TOKEN: return "yaml_STREAM_START_TOKEN";
    case yaml_STREAM_END_TOKEN: return "yaml_STREAM_END_TOKEN";
    case yaml_VERSION_DIRECTIVE_TOKEN: return "yaml_VERSION_DIRECTIVE_TOKEN";
    case yaml_TAG_DIRECTIVE_TOKEN: return "yaml_TAG_DIRECTIVE_TOKEN";
    case yaml_DOCUMENT_START_TOKEN: return "yaml_DOCUMENT_START_TOKEN";
    case yaml_DOCUMENT_END_TOKEN: return "yaml_DOCUMENT_END_TOKEN";
    case yaml_BLOCK_SEQUENCE_START_TOKEN: return "yaml_BLOCK_SEQUENCE_START_TOKEN";
    case yaml_BLOCK_MAPPING_START_TOKEN: return "yaml_BLOCK_MAPPING_START_TOKEN";
    case yaml_BLOCK_END_TOKEN: return "yaml_BLOCK_END_TOKEN";
    case yaml_FLOW_SEQUENCE_START_TOKEN: return "yaml_FLOW_SEQUENCE_START_TOKEN";
    case yaml_FLOW_SEQUENCE_END_TOKEN: return "yaml_FLOW_SEQUENCE_END_TOKEN";
    case yaml_FLOW_MAPPING_START_TOKEN: return "yaml_FLOW_MAPPING_START_TOKEN";
    case yaml_FLOW_MAPPING_END_TOKEN: return "yaml_FLOW_MAPPING_END_TOKEN";
    case yaml_BLOCK_ENTRY_TOKEN: return "yaml_BLOCK_ENTRY_TOKEN";
    case yaml_FLOW_ENTRY_TOKEN: return "yaml_FLOW_ENTRY_TOKEN";
    case yaml_KEY_TOKEN: return "yaml_KEY_TOKEN";
    case yaml_VALUE_TOKEN: return "yaml_VALUE_TOKEN";
    case yaml_ALIAS_TOKEN: return "yaml_ALIAS_TOKEN";
    case yaml_ANCHOR_TOKEN: return "yaml_ANCHOR_TOKEN";
    case yaml_TAG_TOKEN: return "yaml_TAG_TOKEN";
    case yaml_SCALAR_TOKEN: return "yaml_SCALAR_TOKEN";
  }
  return "<unknown token>";
}

std::string to_string(yaml_event_type_t e) {
  switch (e) {
    case yaml_NO_EVENT: return "none";
    case yaml_STREAM_START_EVENT: return "stream start";
    case yaml_STREAM_END_EVENT: return "stream end";
    case yaml_DOCUMENT_START_EVENT: return "document start";
    case yaml_DOCUMENT_END_EVENT: return "document end";
    case yaml_ALIAS_EVENT: return "alias";
    case yaml_SCALAR_EVENT: return "scalar";
    case yaml_SEQUENCE_START_EVENT: return "sequence start";
    case yaml_SEQUENCE_END_EVENT: return "sequence end";
    case yaml_MAPPING_START_EVENT: return "mapping start";
    case yaml_MAPPING_END_EVENT: return "mapping end";
  }
  return "unknown event " + std::to_string(static_cast<int>(e));
}

std::string to_string(yaml_parser_state_t ps) {
  switch (ps) {
    case yaml_PARSE_STREAM_START_STATE: return "yaml_PARSE_STREAM_START_STATE";
    case yaml_PARSE_IMPLICIT_DOCUMENT_START_STATE: return "yaml_PARSE_IMPLICIT_DOCUMENT_START_STATE";
    case yaml_PARSE_DOCUMENT_START_STATE: return "yaml_PARSE_DOCUMENT_START_STATE";
    case yaml_PARSE_DOCUMENT_CONTENT_STATE: return "yaml_PARSE_DOCUMENT_CONTENT_STATE";
    case yaml_PARSE_DOCUMENT_END_STATE: return "yaml_PARSE_DOCUMENT_END_STATE";
    case yaml_PARSE_BLOCK_NODE_STATE: return "yaml_PARSE_BLOCK_NODE_STATE";
    case yaml_PARSE_BLOCK_NODE_OR_INDENTLESS_SEQUENCE_STATE:
      return "yaml_PARSE_BLOCK_NODE_OR_INDENTLESS_SEQUENCE_STATE";
    case yaml_PARSE_FLOW_NODE_STATE: return "yaml_PARSE_FLOW_NODE_STATE";
    case yaml_PARSE_BLOCK_SEQUENCE_FIRST_ENTRY_STATE: return "yaml_PARSE_BLOCK_SEQUENCE_FIRST_ENTRY_STATE";
    case yaml_PARSE_BLOCK_SEQUENCE_ENTRY_STATE: return "yaml_PARSE_BLOCK_SEQUENCE_ENTRY_STATE";
    case yaml_PARSE_INDENTLESS_SEQUENCE_ENTRY_STATE: return "yaml_PARSE_INDENTLESS_SEQUENCE_ENTRY_STATE";
    case yaml_PARSE_BLOCK_MAPPING_FIRST_KEY_STATE: return "yaml_PARSE_BLOCK_MAPPING_FIRST_KEY_STATE";
    case yaml_PARSE_BLOCK_MAPPING_KEY_STATE: return "yaml_PARSE_BLOCK_MAPPING_KEY_STATE";
    case yaml_PARSE_BLOCK_MAPPING_VALUE_STATE: return "yaml_PARSE_BLOCK_MAPPING_VALUE_STATE";
    case yaml_PARSE_FLOW_SEQUENCE_FIRST_ENTRY_STATE: return "yaml_PARSE_FLOW_SEQUENCE_FIRST_ENTRY_STATE";
    case yaml_PARSE_FLOW_SEQUENCE_ENTRY_STATE: return "yaml_PARSE_FLOW_SEQUENCE_ENTRY_STATE";
    case yaml_PARSE_FLOW_SEQUENCE_ENTRY_MAPPING_KEY_STATE:
      return "yaml_PARSE_FLOW_SEQUENCE_ENTRY_MAPPING_KEY_STATE";
    case yaml_PARSE_FLOW_SEQUENCE_ENTRY_MAPPING_VALUE_STATE:
      return "yaml_PARSE_FLOW_SEQUENCE_ENTRY_MAPPING_VALUE_STATE";
    case yaml_PARSE_FLOW_SEQUENCE_ENTRY_MAPPING_END_STATE:
      return "yaml_PARSE_FLOW_SEQUENCE_ENTRY_MAPPING_END_STATE";
    case yaml_PARSE_FLOW_MAPPING_FIRST_KEY_STATE: return "yaml_PARSE_FLOW_MAPPING_FIRST_KEY_STATE";
    case yaml_PARSE_FLOW_MAPPING_KEY_STATE: return "yaml_PARSE_FLOW_MAPPING_KEY_STATE";
    case yaml_PARSE_FLOW_MAPPING_VALUE_STATE: return "yaml_PARSE_FLOW_MAPPING_VALUE_STATE";
    case yaml_PARSE_FLOW_MAPPING_EMPTY_VALUE_STATE: return "yaml_PARSE_FLOW_MAPPING_EMPTY_VALUE_STATE";
    case yaml_PARSE_END_STATE: return "yaml_PARSE_END_STATE";
  }
  return "<unknown parser state>";
}

}  // namespace capstan::goyaml
