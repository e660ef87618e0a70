// The parser: turns the scanner's tokens into events (stream, document, node, collection events).
// Port of go-yaml v2.4.0 as vendored in sigs.k8s.io/yaml v1.4.0 goyaml.v2/parserc.go (MIT license, derived from
// libyaml; see lib/goyaml/LICENSE.go-yaml). Function for function, same logic, same error strings, same marks.
//
// The parser implements the following grammar:
//
// stream               ::= STREAM-START implicit_document? explicit_document* STREAM-END
// implicit_document    ::= block_node DOCUMENT-END*
// explicit_document    ::= DIRECTIVE* DOCUMENT-START block_node? DOCUMENT-END*
// block_node_or_indentless_sequence    ::=
//                          ALIAS
//                          | properties (block_content | indentless_block_sequence)?
//                          | block_content
//                          | indentless_block_sequence
// block_node           ::= ALIAS
//                          | properties block_content?
//                          | block_content
// flow_node            ::= ALIAS
//                          | properties flow_content?
//                          | flow_content
// properties           ::= TAG ANCHOR? | ANCHOR TAG?
// block_content        ::= block_collection | flow_collection | SCALAR
// flow_content         ::= flow_collection | SCALAR
// block_collection     ::= block_sequence | block_mapping
// flow_collection      ::= flow_sequence | flow_mapping
// block_sequence       ::= BLOCK-SEQUENCE-START (BLOCK-ENTRY block_node?)* BLOCK-END
// indentless_sequence  ::= (BLOCK-ENTRY block_node?)+
// block_mapping        ::= BLOCK-MAPPING_START
//                          ((KEY block_node_or_indentless_sequence?)?
//                          (VALUE block_node_or_indentless_sequence?)?)*
//                          BLOCK-END
// flow_sequence        ::= FLOW-SEQUENCE-START
//                          (flow_sequence_entry FLOW-ENTRY)*
//                          flow_sequence_entry?
//                          FLOW-SEQUENCE-END
// flow_sequence_entry  ::= flow_node | KEY flow_node? (VALUE flow_node?)?
// flow_mapping         ::= FLOW-MAPPING-START
//                          (flow_mapping_entry FLOW-ENTRY)*
//                          flow_mapping_entry?
//                          FLOW-MAPPING-END
// flow_mapping_entry   ::= flow_node | KEY flow_node? (VALUE flow_node?)?
//
// C++ notes (the only places this file departs from the Go text):
// - A yaml_token_t* from peek_token points into parser->tokens, a std::vector that the scanner may reallocate or
//   shift while fetching; Go's pointer keeps reading its old backing array. Where the Go code reads a token after a
//   call that can fetch, the fields it reads are copied first (same values whenever Go's array was not shifted in
//   place). The one place where Go reads a token it has skipped is
//   yaml_parser_parse_flow_sequence_entry_mapping_value ("[k: ]"): the empty value's mark is the ':' token's start
//   mark, copied before the skip.
// - Go's panics (an invalid state, popping an empty states or marks stack, a nil token in the "first" branches:
//   none happens in a consistent state machine) throw capstan::Error instead of reading out of bounds.
#include "goyaml/yamlh.h"

#include <string>
#include <vector>

#include "util/error.h"

namespace capstan::goyaml {
namespace {

yaml_token_t* peek_token(yaml_parser_t* parser);
void skip_token(yaml_parser_t* parser);
bool yaml_parser_set_parser_error(yaml_parser_t* parser, const std::string& problem, yaml_mark_t problem_mark);
bool yaml_parser_set_parser_error_context(yaml_parser_t* parser, const std::string& context,
                                          yaml_mark_t context_mark, const std::string& problem,
                                          yaml_mark_t problem_mark);
bool yaml_parser_state_machine(yaml_parser_t* parser, yaml_event_t* event);
bool yaml_parser_parse_stream_start(yaml_parser_t* parser, yaml_event_t* event);
bool yaml_parser_parse_document_start(yaml_parser_t* parser, yaml_event_t* event, bool implicit);
bool yaml_parser_parse_document_content(yaml_parser_t* parser, yaml_event_t* event);
bool yaml_parser_parse_document_end(yaml_parser_t* parser, yaml_event_t* event);
bool yaml_parser_parse_node(yaml_parser_t* parser, yaml_event_t* event, bool block, bool indentless_sequence);
bool yaml_parser_parse_block_sequence_entry(yaml_parser_t* parser, yaml_event_t* event, bool first);
bool yaml_parser_parse_indentless_sequence_entry(yaml_parser_t* parser, yaml_event_t* event);
bool yaml_parser_parse_block_mapping_key(yaml_parser_t* parser, yaml_event_t* event, bool first);
bool yaml_parser_parse_block_mapping_value(yaml_parser_t* parser, yaml_event_t* event);
bool yaml_parser_parse_flow_sequence_entry(yaml_parser_t* parser, yaml_event_t* event, bool first);
bool yaml_parser_parse_flow_sequence_entry_mapping_key(yaml_parser_t* parser, yaml_event_t* event);
bool yaml_parser_parse_flow_sequence_entry_mapping_value(yaml_parser_t* parser, yaml_event_t* event);
bool yaml_parser_parse_flow_sequence_entry_mapping_end(yaml_parser_t* parser, yaml_event_t* event);
bool yaml_parser_parse_flow_mapping_key(yaml_parser_t* parser, yaml_event_t* event, bool first);
bool yaml_parser_parse_flow_mapping_value(yaml_parser_t* parser, yaml_event_t* event, bool empty);
bool yaml_parser_process_empty_scalar(yaml_parser_t* parser, yaml_event_t* event, yaml_mark_t mark);
bool yaml_parser_process_directives(yaml_parser_t* parser,
                                    std::optional<yaml_version_directive_t>* version_directive_ref,
                                    std::vector<yaml_tag_directive_t>* tag_directives_ref);
bool yaml_parser_append_tag_directive(yaml_parser_t* parser, const yaml_tag_directive_t& value,
                                      bool allow_duplicates, yaml_mark_t mark);

// Go's panic on s[len(s)-1] of an empty slice (the state machine never pops an empty stack; this keeps C++ from
// reading past a vector if it ever did).
[[noreturn]] void panic_index_out_of_range() {
  throw Error("go-yaml port: index out of range [-1] (Go panics here)");
}

// Go: parser.state = parser.states[len(parser.states)-1]; parser.states = parser.states[:len(parser.states)-1]
void pop_state(yaml_parser_t* parser) {
  if (parser->states.empty()) {
    panic_index_out_of_range();
  }
  parser->state = parser->states.back();
  parser->states.pop_back();
}

// Go: context_mark := parser.marks[len(parser.marks)-1]; parser.marks = parser.marks[:len(parser.marks)-1]
yaml_mark_t pop_mark(yaml_parser_t* parser) {
  if (parser->marks.empty()) {
    panic_index_out_of_range();
  }
  yaml_mark_t mark = parser->marks.back();
  parser->marks.pop_back();
  return mark;
}

// The "first" branches peek without a nil check in Go (the previous state peeked that same token, so it is there);
// a nil there would be Go's nil-pointer panic.
yaml_token_t* peek_first_token(yaml_parser_t* parser) {
  yaml_token_t* token = peek_token(parser);
  if (token == nullptr) {
    throw Error("go-yaml port: nil pointer dereference (Go panics here)");
  }
  return token;
}

// Peek the next token in the token queue.
yaml_token_t* peek_token(yaml_parser_t* parser) {
  if (parser->token_available || yaml_parser_fetch_more_tokens(parser)) {
    return &parser->tokens[static_cast<size_t>(parser->tokens_head)];
  }
  return nullptr;
}

// Remove the next token from the queue (must be called after peek_token).
void skip_token(yaml_parser_t* parser) {
  parser->token_available = false;
  parser->tokens_parsed++;
  parser->stream_end_produced = parser->tokens[static_cast<size_t>(parser->tokens_head)].typ == yaml_STREAM_END_TOKEN;
  parser->tokens_head++;
}

// Set parser error.
bool yaml_parser_set_parser_error(yaml_parser_t* parser, const std::string& problem, yaml_mark_t problem_mark) {
  parser->error = yaml_PARSER_ERROR;
  parser->problem = problem;
  parser->problem_mark = problem_mark;
  return false;
}

bool yaml_parser_set_parser_error_context(yaml_parser_t* parser, const std::string& context,
                                          yaml_mark_t context_mark, const std::string& problem,
                                          yaml_mark_t problem_mark) {
  parser->error = yaml_PARSER_ERROR;
  parser->context = context;
  parser->context_mark = context_mark;
  parser->problem = problem;
  parser->problem_mark = problem_mark;
  return false;
}

// State dispatcher.
bool yaml_parser_state_machine(yaml_parser_t* parser, yaml_event_t* event) {
  switch (parser->state) {
    case yaml_PARSE_STREAM_START_STATE:
      return yaml_parser_parse_stream_start(parser, event);

    case yaml_PARSE_IMPLICIT_DOCUMENT_START_STATE:
      return yaml_parser_parse_document_start(parser, event, true);

    case yaml_PARSE_DOCUMENT_START_STATE:
      return yaml_parser_parse_document_start(parser, event, false);

    case yaml_PARSE_DOCUMENT_CONTENT_STATE:
      return yaml_parser_parse_document_content(parser, event);

    case yaml_PARSE_DOCUMENT_END_STATE:
      return yaml_parser_parse_document_end(parser, event);

    case yaml_PARSE_BLOCK_NODE_STATE:
      return yaml_parser_parse_node(parser, event, true, false);

    case yaml_PARSE_BLOCK_NODE_OR_INDENTLESS_SEQUENCE_STATE:
      return yaml_parser_parse_node(parser, event, true, true);

    case yaml_PARSE_FLOW_NODE_STATE:
      return yaml_parser_parse_node(parser, event, false, false);

    case yaml_PARSE_BLOCK_SEQUENCE_FIRST_ENTRY_STATE:
      return yaml_parser_parse_block_sequence_entry(parser, event, true);

    case yaml_PARSE_BLOCK_SEQUENCE_ENTRY_STATE:
      return yaml_parser_parse_block_sequence_entry(parser, event, false);

    case yaml_PARSE_INDENTLESS_SEQUENCE_ENTRY_STATE:
      return yaml_parser_parse_indentless_sequence_entry(parser, event);

    case yaml_PARSE_BLOCK_MAPPING_FIRST_KEY_STATE:
      return yaml_parser_parse_block_mapping_key(parser, event, true);

    case yaml_PARSE_BLOCK_MAPPING_KEY_STATE:
      return yaml_parser_parse_block_mapping_key(parser, event, false);

    case yaml_PARSE_BLOCK_MAPPING_VALUE_STATE:
      return yaml_parser_parse_block_mapping_value(parser, event);

    case yaml_PARSE_FLOW_SEQUENCE_FIRST_ENTRY_STATE:
      return yaml_parser_parse_flow_sequence_entry(parser, event, true);

    case yaml_PARSE_FLOW_SEQUENCE_ENTRY_STATE:
      return yaml_parser_parse_flow_sequence_entry(parser, event, false);

    case yaml_PARSE_FLOW_SEQUENCE_ENTRY_MAPPING_KEY_STATE:
      return yaml_parser_parse_flow_sequence_entry_mapping_key(parser, event);

    case yaml_PARSE_FLOW_SEQUENCE_ENTRY_MAPPING_VALUE_STATE:
      return yaml_parser_parse_flow_sequence_entry_mapping_value(parser, event);

    case yaml_PARSE_FLOW_SEQUENCE_ENTRY_MAPPING_END_STATE:
      return yaml_parser_parse_flow_sequence_entry_mapping_end(parser, event);

    case yaml_PARSE_FLOW_MAPPING_FIRST_KEY_STATE:
      return yaml_parser_parse_flow_mapping_key(parser, event, true);

    case yaml_PARSE_FLOW_MAPPING_KEY_STATE:
      return yaml_parser_parse_flow_mapping_key(parser, event, false);

    case yaml_PARSE_FLOW_MAPPING_VALUE_STATE:
      return yaml_parser_parse_flow_mapping_value(parser, event, false);

    case yaml_PARSE_FLOW_MAPPING_EMPTY_VALUE_STATE:
      return yaml_parser_parse_flow_mapping_value(parser, event, true);

    default:
      throw Error("invalid parser state");
  }
}

// Parse the production:
// stream   ::= STREAM-START implicit_document? explicit_document* STREAM-END
//              ************
bool yaml_parser_parse_stream_start(yaml_parser_t* parser, yaml_event_t* event) {
  yaml_token_t* token = peek_token(parser);
  if (token == nullptr) {
    return false;
  }
  if (token->typ != yaml_STREAM_START_TOKEN) {
    return yaml_parser_set_parser_error(parser, "did not find expected <stream-start>", token->start_mark);
  }
  parser->state = yaml_PARSE_IMPLICIT_DOCUMENT_START_STATE;
  *event = yaml_event_t{};
  event->typ = yaml_STREAM_START_EVENT;
  event->start_mark = token->start_mark;
  event->end_mark = token->end_mark;
  event->encoding = token->encoding;
  skip_token(parser);
  return true;
}

// Parse the productions:
// implicit_document    ::= block_node DOCUMENT-END*
//                          *
// explicit_document    ::= DIRECTIVE* DOCUMENT-START block_node? DOCUMENT-END*
//                          *************************
bool yaml_parser_parse_document_start(yaml_parser_t* parser, yaml_event_t* event, bool implicit) {
  yaml_token_t* token = peek_token(parser);
  if (token == nullptr) {
    return false;
  }

  // Parse extra document end indicators.
  if (!implicit) {
    while (token->typ == yaml_DOCUMENT_END_TOKEN) {
      skip_token(parser);
      token = peek_token(parser);
      if (token == nullptr) {
        return false;
      }
    }
  }

  if (implicit && token->typ != yaml_VERSION_DIRECTIVE_TOKEN && token->typ != yaml_TAG_DIRECTIVE_TOKEN &&
      token->typ != yaml_DOCUMENT_START_TOKEN && token->typ != yaml_STREAM_END_TOKEN) {
    // Parse an implicit document.
    // [C++] The token's marks are read after yaml_parser_process_directives, which peeks again (without fetching:
    // the token is available); copied first so no pointer into the queue is held across the call.
    yaml_mark_t token_start_mark = token->start_mark;
    yaml_mark_t token_end_mark = token->end_mark;
    if (!yaml_parser_process_directives(parser, nullptr, nullptr)) {
      return false;
    }
    parser->states.push_back(yaml_PARSE_DOCUMENT_END_STATE);
    parser->state = yaml_PARSE_BLOCK_NODE_STATE;

    *event = yaml_event_t{};
    event->typ = yaml_DOCUMENT_START_EVENT;
    event->start_mark = token_start_mark;
    event->end_mark = token_end_mark;

  } else if (token->typ != yaml_STREAM_END_TOKEN) {
    // Parse an explicit document.
    std::optional<yaml_version_directive_t> version_directive;
    std::vector<yaml_tag_directive_t> tag_directives;
    yaml_mark_t start_mark = token->start_mark;
    if (!yaml_parser_process_directives(parser, &version_directive, &tag_directives)) {
      return false;
    }
    token = peek_token(parser);
    if (token == nullptr) {
      return false;
    }
    if (token->typ != yaml_DOCUMENT_START_TOKEN) {
      yaml_parser_set_parser_error(parser, "did not find expected <document start>", token->start_mark);
      return false;
    }
    parser->states.push_back(yaml_PARSE_DOCUMENT_END_STATE);
    parser->state = yaml_PARSE_DOCUMENT_CONTENT_STATE;
    yaml_mark_t end_mark = token->end_mark;

    *event = yaml_event_t{};
    event->typ = yaml_DOCUMENT_START_EVENT;
    event->start_mark = start_mark;
    event->end_mark = end_mark;
    event->version_directive = version_directive;
    event->tag_directives = std::move(tag_directives);
    event->implicit = false;
    skip_token(parser);

  } else {
    // Parse the stream end.
    parser->state = yaml_PARSE_END_STATE;
    *event = yaml_event_t{};
    event->typ = yaml_STREAM_END_EVENT;
    event->start_mark = token->start_mark;
    event->end_mark = token->end_mark;
    skip_token(parser);
  }

  return true;
}

// Parse the productions:
// explicit_document    ::= DIRECTIVE* DOCUMENT-START block_node? DOCUMENT-END*
//                                                    ***********
//
bool yaml_parser_parse_document_content(yaml_parser_t* parser, yaml_event_t* event) {
  yaml_token_t* token = peek_token(parser);
  if (token == nullptr) {
    return false;
  }
  if (token->typ == yaml_VERSION_DIRECTIVE_TOKEN || token->typ == yaml_TAG_DIRECTIVE_TOKEN ||
      token->typ == yaml_DOCUMENT_START_TOKEN || token->typ == yaml_DOCUMENT_END_TOKEN ||
      token->typ == yaml_STREAM_END_TOKEN) {
    pop_state(parser);
    return yaml_parser_process_empty_scalar(parser, event, token->start_mark);
  }
  return yaml_parser_parse_node(parser, event, true, false);
}

// Parse the productions:
// implicit_document    ::= block_node DOCUMENT-END*
//                                     *************
// explicit_document    ::= DIRECTIVE* DOCUMENT-START block_node? DOCUMENT-END*
//
bool yaml_parser_parse_document_end(yaml_parser_t* parser, yaml_event_t* event) {
  yaml_token_t* token = peek_token(parser);
  if (token == nullptr) {
    return false;
  }

  yaml_mark_t start_mark = token->start_mark;
  yaml_mark_t end_mark = token->start_mark;

  bool implicit = true;
  if (token->typ == yaml_DOCUMENT_END_TOKEN) {
    end_mark = token->end_mark;
    skip_token(parser);
    implicit = false;
  }

  parser->tag_directives.clear();

  parser->state = yaml_PARSE_DOCUMENT_START_STATE;
  *event = yaml_event_t{};
  event->typ = yaml_DOCUMENT_END_EVENT;
  event->start_mark = start_mark;
  event->end_mark = end_mark;
  event->implicit = implicit;
  return true;
}

// Parse the productions:
// block_node_or_indentless_sequence    ::=
//                          ALIAS
//                          *****
//                          | properties (block_content | indentless_block_sequence)?
//                            **********  *
//                          | block_content | indentless_block_sequence
//                            *
// block_node           ::= ALIAS
//                          *****
//                          | properties block_content?
//                            ********** *
//                          | block_content
//                            *
// flow_node            ::= ALIAS
//                          *****
//                          | properties flow_content?
//                            ********** *
//                          | flow_content
//                            *
// properties           ::= TAG ANCHOR? | ANCHOR TAG?
//                          *************************
// block_content        ::= block_collection | flow_collection | SCALAR
//                                                               ******
// flow_content         ::= flow_collection | SCALAR
//                                            ******
bool yaml_parser_parse_node(yaml_parser_t* parser, yaml_event_t* event, bool block, bool indentless_sequence) {
  yaml_token_t* token = peek_token(parser);
  if (token == nullptr) {
    return false;
  }

  if (token->typ == yaml_ALIAS_TOKEN) {
    pop_state(parser);
    *event = yaml_event_t{};
    event->typ = yaml_ALIAS_EVENT;
    event->start_mark = token->start_mark;
    event->end_mark = token->end_mark;
    event->anchor = token->value;
    skip_token(parser);
    return true;
  }

  yaml_mark_t start_mark = token->start_mark;
  yaml_mark_t end_mark = token->start_mark;

  bool tag_token = false;
  std::string tag_handle, tag_suffix, anchor;
  yaml_mark_t tag_mark;
  if (token->typ == yaml_ANCHOR_TOKEN) {
    anchor = token->value;
    start_mark = token->start_mark;
    end_mark = token->end_mark;
    skip_token(parser);
    token = peek_token(parser);
    if (token == nullptr) {
      return false;
    }
    if (token->typ == yaml_TAG_TOKEN) {
      tag_token = true;
      tag_handle = token->value;
      tag_suffix = token->suffix;
      tag_mark = token->start_mark;
      end_mark = token->end_mark;
      skip_token(parser);
      token = peek_token(parser);
      if (token == nullptr) {
        return false;
      }
    }
  } else if (token->typ == yaml_TAG_TOKEN) {
    tag_token = true;
    tag_handle = token->value;
    tag_suffix = token->suffix;
    start_mark = token->start_mark;
    tag_mark = token->start_mark;
    end_mark = token->end_mark;
    skip_token(parser);
    token = peek_token(parser);
    if (token == nullptr) {
      return false;
    }
    if (token->typ == yaml_ANCHOR_TOKEN) {
      anchor = token->value;
      end_mark = token->end_mark;
      skip_token(parser);
      token = peek_token(parser);
      if (token == nullptr) {
        return false;
      }
    }
  }

  std::string tag;
  if (tag_token) {
    if (tag_handle.empty()) {
      tag = tag_suffix;
      tag_suffix.clear();
    } else {
      for (const yaml_tag_directive_t& directive : parser->tag_directives) {
        if (directive.handle == tag_handle) {
          tag = directive.prefix;
          tag += tag_suffix;
          break;
        }
      }
      if (tag.empty()) {
        yaml_parser_set_parser_error_context(parser, "while parsing a node", start_mark, "found undefined tag handle",
                                             tag_mark);
        return false;
      }
    }
  }

  bool implicit = tag.empty();
  if (indentless_sequence && token->typ == yaml_BLOCK_ENTRY_TOKEN) {
    end_mark = token->end_mark;
    parser->state = yaml_PARSE_INDENTLESS_SEQUENCE_ENTRY_STATE;
    *event = yaml_event_t{};
    event->typ = yaml_SEQUENCE_START_EVENT;
    event->start_mark = start_mark;
    event->end_mark = end_mark;
    event->anchor = anchor;
    event->tag = tag;
    event->implicit = implicit;
    event->style = static_cast<yaml_style_t>(yaml_BLOCK_SEQUENCE_STYLE);
    return true;
  }
  if (token->typ == yaml_SCALAR_TOKEN) {
    bool plain_implicit = false, quoted_implicit = false;
    end_mark = token->end_mark;
    if ((tag.empty() && token->style == yaml_PLAIN_SCALAR_STYLE) || (tag.size() == 1 && tag[0] == '!')) {
      plain_implicit = true;
    } else if (tag.empty()) {
      quoted_implicit = true;
    }
    pop_state(parser);

    *event = yaml_event_t{};
    event->typ = yaml_SCALAR_EVENT;
    event->start_mark = start_mark;
    event->end_mark = end_mark;
    event->anchor = anchor;
    event->tag = tag;
    event->value = token->value;
    event->implicit = plain_implicit;
    event->quoted_implicit = quoted_implicit;
    event->style = static_cast<yaml_style_t>(token->style);
    skip_token(parser);
    return true;
  }
  if (token->typ == yaml_FLOW_SEQUENCE_START_TOKEN) {
    // [Go] Some of the events below can be merged as they differ only on style.
    end_mark = token->end_mark;
    parser->state = yaml_PARSE_FLOW_SEQUENCE_FIRST_ENTRY_STATE;
    *event = yaml_event_t{};
    event->typ = yaml_SEQUENCE_START_EVENT;
    event->start_mark = start_mark;
    event->end_mark = end_mark;
    event->anchor = anchor;
    event->tag = tag;
    event->implicit = implicit;
    event->style = static_cast<yaml_style_t>(yaml_FLOW_SEQUENCE_STYLE);
    return true;
  }
  if (token->typ == yaml_FLOW_MAPPING_START_TOKEN) {
    end_mark = token->end_mark;
    parser->state = yaml_PARSE_FLOW_MAPPING_FIRST_KEY_STATE;
    *event = yaml_event_t{};
    event->typ = yaml_MAPPING_START_EVENT;
    event->start_mark = start_mark;
    event->end_mark = end_mark;
    event->anchor = anchor;
    event->tag = tag;
    event->implicit = implicit;
    event->style = static_cast<yaml_style_t>(yaml_FLOW_MAPPING_STYLE);
    return true;
  }
  if (block && token->typ == yaml_BLOCK_SEQUENCE_START_TOKEN) {
    end_mark = token->end_mark;
    parser->state = yaml_PARSE_BLOCK_SEQUENCE_FIRST_ENTRY_STATE;
    *event = yaml_event_t{};
    event->typ = yaml_SEQUENCE_START_EVENT;
    event->start_mark = start_mark;
    event->end_mark = end_mark;
    event->anchor = anchor;
    event->tag = tag;
    event->implicit = implicit;
    event->style = static_cast<yaml_style_t>(yaml_BLOCK_SEQUENCE_STYLE);
    return true;
  }
  if (block && token->typ == yaml_BLOCK_MAPPING_START_TOKEN) {
    end_mark = token->end_mark;
    parser->state = yaml_PARSE_BLOCK_MAPPING_FIRST_KEY_STATE;
    *event = yaml_event_t{};
    event->typ = yaml_MAPPING_START_EVENT;
    event->start_mark = start_mark;
    event->end_mark = end_mark;
    event->anchor = anchor;
    event->tag = tag;
    event->implicit = implicit;
    event->style = static_cast<yaml_style_t>(yaml_BLOCK_MAPPING_STYLE);
    return true;
  }
  if (!anchor.empty() || !tag.empty()) {
    pop_state(parser);

    *event = yaml_event_t{};
    event->typ = yaml_SCALAR_EVENT;
    event->start_mark = start_mark;
    event->end_mark = end_mark;
    event->anchor = anchor;
    event->tag = tag;
    event->implicit = implicit;
    event->quoted_implicit = false;
    event->style = static_cast<yaml_style_t>(yaml_PLAIN_SCALAR_STYLE);
    return true;
  }

  const char* context = "while parsing a flow node";
  if (block) {
    context = "while parsing a block node";
  }
  yaml_parser_set_parser_error_context(parser, context, start_mark, "did not find expected node content",
                                       token->start_mark);
  return false;
}

// Parse the productions:
// block_sequence ::= BLOCK-SEQUENCE-START (BLOCK-ENTRY block_node?)* BLOCK-END
//                    ********************  *********** *             *********
//
bool yaml_parser_parse_block_sequence_entry(yaml_parser_t* parser, yaml_event_t* event, bool first) {
  if (first) {
    yaml_token_t* token = peek_first_token(parser);
    parser->marks.push_back(token->start_mark);
    skip_token(parser);
  }

  yaml_token_t* token = peek_token(parser);
  if (token == nullptr) {
    return false;
  }

  if (token->typ == yaml_BLOCK_ENTRY_TOKEN) {
    yaml_mark_t mark = token->end_mark;
    skip_token(parser);
    token = peek_token(parser);
    if (token == nullptr) {
      return false;
    }
    if (token->typ != yaml_BLOCK_ENTRY_TOKEN && token->typ != yaml_BLOCK_END_TOKEN) {
      parser->states.push_back(yaml_PARSE_BLOCK_SEQUENCE_ENTRY_STATE);
      return yaml_parser_parse_node(parser, event, true, false);
    } else {
      parser->state = yaml_PARSE_BLOCK_SEQUENCE_ENTRY_STATE;
      return yaml_parser_process_empty_scalar(parser, event, mark);
    }
  }
  if (token->typ == yaml_BLOCK_END_TOKEN) {
    pop_state(parser);
    pop_mark(parser);

    *event = yaml_event_t{};
    event->typ = yaml_SEQUENCE_END_EVENT;
    event->start_mark = token->start_mark;
    event->end_mark = token->end_mark;

    skip_token(parser);
    return true;
  }

  yaml_mark_t context_mark = pop_mark(parser);
  return yaml_parser_set_parser_error_context(parser, "while parsing a block collection", context_mark,
                                              "did not find expected '-' indicator", token->start_mark);
}

// Parse the productions:
// indentless_sequence  ::= (BLOCK-ENTRY block_node?)+
//                           *********** *
bool yaml_parser_parse_indentless_sequence_entry(yaml_parser_t* parser, yaml_event_t* event) {
  yaml_token_t* token = peek_token(parser);
  if (token == nullptr) {
    return false;
  }

  if (token->typ == yaml_BLOCK_ENTRY_TOKEN) {
    yaml_mark_t mark = token->end_mark;
    skip_token(parser);
    token = peek_token(parser);
    if (token == nullptr) {
      return false;
    }
    if (token->typ != yaml_BLOCK_ENTRY_TOKEN && token->typ != yaml_KEY_TOKEN && token->typ != yaml_VALUE_TOKEN &&
        token->typ != yaml_BLOCK_END_TOKEN) {
      parser->states.push_back(yaml_PARSE_INDENTLESS_SEQUENCE_ENTRY_STATE);
      return yaml_parser_parse_node(parser, event, true, false);
    }
    parser->state = yaml_PARSE_INDENTLESS_SEQUENCE_ENTRY_STATE;
    return yaml_parser_process_empty_scalar(parser, event, mark);
  }
  pop_state(parser);

  *event = yaml_event_t{};
  event->typ = yaml_SEQUENCE_END_EVENT;
  event->start_mark = token->start_mark;
  event->end_mark = token->start_mark;  // [Go] Shouldn't this be token.end_mark?
  return true;
}

// Parse the productions:
// block_mapping        ::= BLOCK-MAPPING_START
//                          *******************
//                          ((KEY block_node_or_indentless_sequence?)?
//                            *** *
//                          (VALUE block_node_or_indentless_sequence?)?)*
//
//                          BLOCK-END
//                          *********
//
bool yaml_parser_parse_block_mapping_key(yaml_parser_t* parser, yaml_event_t* event, bool first) {
  if (first) {
    yaml_token_t* token = peek_first_token(parser);
    parser->marks.push_back(token->start_mark);
    skip_token(parser);
  }

  yaml_token_t* token = peek_token(parser);
  if (token == nullptr) {
    return false;
  }

  if (token->typ == yaml_KEY_TOKEN) {
    yaml_mark_t mark = token->end_mark;
    skip_token(parser);
    token = peek_token(parser);
    if (token == nullptr) {
      return false;
    }
    if (token->typ != yaml_KEY_TOKEN && token->typ != yaml_VALUE_TOKEN && token->typ != yaml_BLOCK_END_TOKEN) {
      parser->states.push_back(yaml_PARSE_BLOCK_MAPPING_VALUE_STATE);
      return yaml_parser_parse_node(parser, event, true, true);
    } else {
      parser->state = yaml_PARSE_BLOCK_MAPPING_VALUE_STATE;
      return yaml_parser_process_empty_scalar(parser, event, mark);
    }
  } else if (token->typ == yaml_BLOCK_END_TOKEN) {
    pop_state(parser);
    pop_mark(parser);
    *event = yaml_event_t{};
    event->typ = yaml_MAPPING_END_EVENT;
    event->start_mark = token->start_mark;
    event->end_mark = token->end_mark;
    skip_token(parser);
    return true;
  }

  yaml_mark_t context_mark = pop_mark(parser);
  return yaml_parser_set_parser_error_context(parser, "while parsing a block mapping", context_mark,
                                              "did not find expected key", token->start_mark);
}

// Parse the productions:
// block_mapping        ::= BLOCK-MAPPING_START
//
//                          ((KEY block_node_or_indentless_sequence?)?
//
//                          (VALUE block_node_or_indentless_sequence?)?)*
//                           ***** *
//                          BLOCK-END
//
//
bool yaml_parser_parse_block_mapping_value(yaml_parser_t* parser, yaml_event_t* event) {
  yaml_token_t* token = peek_token(parser);
  if (token == nullptr) {
    return false;
  }
  if (token->typ == yaml_VALUE_TOKEN) {
    yaml_mark_t mark = token->end_mark;
    skip_token(parser);
    token = peek_token(parser);
    if (token == nullptr) {
      return false;
    }
    if (token->typ != yaml_KEY_TOKEN && token->typ != yaml_VALUE_TOKEN && token->typ != yaml_BLOCK_END_TOKEN) {
      parser->states.push_back(yaml_PARSE_BLOCK_MAPPING_KEY_STATE);
      return yaml_parser_parse_node(parser, event, true, true);
    }
    parser->state = yaml_PARSE_BLOCK_MAPPING_KEY_STATE;
    return yaml_parser_process_empty_scalar(parser, event, mark);
  }
  parser->state = yaml_PARSE_BLOCK_MAPPING_KEY_STATE;
  return yaml_parser_process_empty_scalar(parser, event, token->start_mark);
}

// Parse the productions:
// flow_sequence        ::= FLOW-SEQUENCE-START
//                          *******************
//                          (flow_sequence_entry FLOW-ENTRY)*
//                           *                   **********
//                          flow_sequence_entry?
//                          *
//                          FLOW-SEQUENCE-END
//                          *****************
// flow_sequence_entry  ::= flow_node | KEY flow_node? (VALUE flow_node?)?
//                          *
//
bool yaml_parser_parse_flow_sequence_entry(yaml_parser_t* parser, yaml_event_t* event, bool first) {
  if (first) {
    yaml_token_t* token = peek_first_token(parser);
    parser->marks.push_back(token->start_mark);
    skip_token(parser);
  }
  yaml_token_t* token = peek_token(parser);
  if (token == nullptr) {
    return false;
  }
  if (token->typ != yaml_FLOW_SEQUENCE_END_TOKEN) {
    if (!first) {
      if (token->typ == yaml_FLOW_ENTRY_TOKEN) {
        skip_token(parser);
        token = peek_token(parser);
        if (token == nullptr) {
          return false;
        }
      } else {
        yaml_mark_t context_mark = pop_mark(parser);
        return yaml_parser_set_parser_error_context(parser, "while parsing a flow sequence", context_mark,
                                                    "did not find expected ',' or ']'", token->start_mark);
      }
    }

    if (token->typ == yaml_KEY_TOKEN) {
      parser->state = yaml_PARSE_FLOW_SEQUENCE_ENTRY_MAPPING_KEY_STATE;
      *event = yaml_event_t{};
      event->typ = yaml_MAPPING_START_EVENT;
      event->start_mark = token->start_mark;
      event->end_mark = token->end_mark;
      event->implicit = true;
      event->style = static_cast<yaml_style_t>(yaml_FLOW_MAPPING_STYLE);
      skip_token(parser);
      return true;
    } else if (token->typ != yaml_FLOW_SEQUENCE_END_TOKEN) {
      parser->states.push_back(yaml_PARSE_FLOW_SEQUENCE_ENTRY_STATE);
      return yaml_parser_parse_node(parser, event, false, false);
    }
  }

  pop_state(parser);
  pop_mark(parser);

  *event = yaml_event_t{};
  event->typ = yaml_SEQUENCE_END_EVENT;
  event->start_mark = token->start_mark;
  event->end_mark = token->end_mark;

  skip_token(parser);
  return true;
}

//
// Parse the productions:
// flow_sequence_entry  ::= flow_node | KEY flow_node? (VALUE flow_node?)?
//                                      *** *
//
bool yaml_parser_parse_flow_sequence_entry_mapping_key(yaml_parser_t* parser, yaml_event_t* event) {
  yaml_token_t* token = peek_token(parser);
  if (token == nullptr) {
    return false;
  }
  if (token->typ != yaml_VALUE_TOKEN && token->typ != yaml_FLOW_ENTRY_TOKEN &&
      token->typ != yaml_FLOW_SEQUENCE_END_TOKEN) {
    parser->states.push_back(yaml_PARSE_FLOW_SEQUENCE_ENTRY_MAPPING_VALUE_STATE);
    return yaml_parser_parse_node(parser, event, false, false);
  }
  yaml_mark_t mark = token->end_mark;
  skip_token(parser);
  parser->state = yaml_PARSE_FLOW_SEQUENCE_ENTRY_MAPPING_VALUE_STATE;
  return yaml_parser_process_empty_scalar(parser, event, mark);
}

// Parse the productions:
// flow_sequence_entry  ::= flow_node | KEY flow_node? (VALUE flow_node?)?
//                                                      ***** *
//
bool yaml_parser_parse_flow_sequence_entry_mapping_value(yaml_parser_t* parser, yaml_event_t* event) {
  yaml_token_t* token = peek_token(parser);
  if (token == nullptr) {
    return false;
  }
  // [Go] The inner `token := peek_token(parser)` below shadows this one, so the empty scalar after the if block
  // takes the start mark of the token peeked here (the VALUE token when there was one, already skipped).
  yaml_mark_t token_start_mark = token->start_mark;
  if (token->typ == yaml_VALUE_TOKEN) {
    skip_token(parser);
    yaml_token_t* inner = peek_token(parser);
    if (inner == nullptr) {
      return false;
    }
    if (inner->typ != yaml_FLOW_ENTRY_TOKEN && inner->typ != yaml_FLOW_SEQUENCE_END_TOKEN) {
      parser->states.push_back(yaml_PARSE_FLOW_SEQUENCE_ENTRY_MAPPING_END_STATE);
      return yaml_parser_parse_node(parser, event, false, false);
    }
  }
  parser->state = yaml_PARSE_FLOW_SEQUENCE_ENTRY_MAPPING_END_STATE;
  return yaml_parser_process_empty_scalar(parser, event, token_start_mark);
}

// Parse the productions:
// flow_sequence_entry  ::= flow_node | KEY flow_node? (VALUE flow_node?)?
//                                                                      *
//
bool yaml_parser_parse_flow_sequence_entry_mapping_end(yaml_parser_t* parser, yaml_event_t* event) {
  yaml_token_t* token = peek_token(parser);
  if (token == nullptr) {
    return false;
  }
  parser->state = yaml_PARSE_FLOW_SEQUENCE_ENTRY_STATE;
  *event = yaml_event_t{};
  event->typ = yaml_MAPPING_END_EVENT;
  event->start_mark = token->start_mark;
  event->end_mark = token->start_mark;  // [Go] Shouldn't this be end_mark?
  return true;
}

// Parse the productions:
// flow_mapping         ::= FLOW-MAPPING-START
//                          ******************
//                          (flow_mapping_entry FLOW-ENTRY)*
//                           *                  **********
//                          flow_mapping_entry?
//                          ******************
//                          FLOW-MAPPING-END
//                          ****************
// flow_mapping_entry   ::= flow_node | KEY flow_node? (VALUE flow_node?)?
//                          *           *** *
//
bool yaml_parser_parse_flow_mapping_key(yaml_parser_t* parser, yaml_event_t* event, bool first) {
  if (first) {
    yaml_token_t* token = peek_first_token(parser);
    parser->marks.push_back(token->start_mark);
    skip_token(parser);
  }

  yaml_token_t* token = peek_token(parser);
  if (token == nullptr) {
    return false;
  }

  if (token->typ != yaml_FLOW_MAPPING_END_TOKEN) {
    if (!first) {
      if (token->typ == yaml_FLOW_ENTRY_TOKEN) {
        skip_token(parser);
        token = peek_token(parser);
        if (token == nullptr) {
          return false;
        }
      } else {
        yaml_mark_t context_mark = pop_mark(parser);
        return yaml_parser_set_parser_error_context(parser, "while parsing a flow mapping", context_mark,
                                                    "did not find expected ',' or '}'", token->start_mark);
      }
    }

    if (token->typ == yaml_KEY_TOKEN) {
      skip_token(parser);
      token = peek_token(parser);
      if (token == nullptr) {
        return false;
      }
      if (token->typ != yaml_VALUE_TOKEN && token->typ != yaml_FLOW_ENTRY_TOKEN &&
          token->typ != yaml_FLOW_MAPPING_END_TOKEN) {
        parser->states.push_back(yaml_PARSE_FLOW_MAPPING_VALUE_STATE);
        return yaml_parser_parse_node(parser, event, false, false);
      } else {
        parser->state = yaml_PARSE_FLOW_MAPPING_VALUE_STATE;
        return yaml_parser_process_empty_scalar(parser, event, token->start_mark);
      }
    } else if (token->typ != yaml_FLOW_MAPPING_END_TOKEN) {
      parser->states.push_back(yaml_PARSE_FLOW_MAPPING_EMPTY_VALUE_STATE);
      return yaml_parser_parse_node(parser, event, false, false);
    }
  }

  pop_state(parser);
  pop_mark(parser);
  *event = yaml_event_t{};
  event->typ = yaml_MAPPING_END_EVENT;
  event->start_mark = token->start_mark;
  event->end_mark = token->end_mark;
  skip_token(parser);
  return true;
}

// Parse the productions:
// flow_mapping_entry   ::= flow_node | KEY flow_node? (VALUE flow_node?)?
//                                   *                  ***** *
//
bool yaml_parser_parse_flow_mapping_value(yaml_parser_t* parser, yaml_event_t* event, bool empty) {
  yaml_token_t* token = peek_token(parser);
  if (token == nullptr) {
    return false;
  }
  if (empty) {
    parser->state = yaml_PARSE_FLOW_MAPPING_KEY_STATE;
    return yaml_parser_process_empty_scalar(parser, event, token->start_mark);
  }
  if (token->typ == yaml_VALUE_TOKEN) {
    skip_token(parser);
    token = peek_token(parser);
    if (token == nullptr) {
      return false;
    }
    if (token->typ != yaml_FLOW_ENTRY_TOKEN && token->typ != yaml_FLOW_MAPPING_END_TOKEN) {
      parser->states.push_back(yaml_PARSE_FLOW_MAPPING_KEY_STATE);
      return yaml_parser_parse_node(parser, event, false, false);
    }
  }
  parser->state = yaml_PARSE_FLOW_MAPPING_KEY_STATE;
  return yaml_parser_process_empty_scalar(parser, event, token->start_mark);
}

// Generate an empty scalar event.
bool yaml_parser_process_empty_scalar(yaml_parser_t* /*parser*/, yaml_event_t* event, yaml_mark_t mark) {
  *event = yaml_event_t{};
  event->typ = yaml_SCALAR_EVENT;
  event->start_mark = mark;
  event->end_mark = mark;
  // value: empty
  event->implicit = true;
  event->style = static_cast<yaml_style_t>(yaml_PLAIN_SCALAR_STYLE);
  return true;
}

const std::vector<yaml_tag_directive_t>& default_tag_directives() {
  static const std::vector<yaml_tag_directive_t> directives = {
      {"!", "!"},
      {"!!", "tag:yaml.org,2002:"},
  };
  return directives;
}

// Parse directives.
bool yaml_parser_process_directives(yaml_parser_t* parser,
                                    std::optional<yaml_version_directive_t>* version_directive_ref,
                                    std::vector<yaml_tag_directive_t>* tag_directives_ref) {
  std::optional<yaml_version_directive_t> version_directive;
  std::vector<yaml_tag_directive_t> tag_directives;

  yaml_token_t* token = peek_token(parser);
  if (token == nullptr) {
    return false;
  }

  while (token->typ == yaml_VERSION_DIRECTIVE_TOKEN || token->typ == yaml_TAG_DIRECTIVE_TOKEN) {
    if (token->typ == yaml_VERSION_DIRECTIVE_TOKEN) {
      if (version_directive.has_value()) {
        yaml_parser_set_parser_error(parser, "found duplicate %YAML directive", token->start_mark);
        return false;
      }
      if (token->major != 1 || token->minor != 1) {
        yaml_parser_set_parser_error(parser, "found incompatible YAML document", token->start_mark);
        return false;
      }
      version_directive = yaml_version_directive_t{token->major, token->minor};
    } else if (token->typ == yaml_TAG_DIRECTIVE_TOKEN) {
      yaml_tag_directive_t value{token->value, token->prefix};
      if (!yaml_parser_append_tag_directive(parser, value, false, token->start_mark)) {
        return false;
      }
      tag_directives.push_back(value);
    }

    skip_token(parser);
    token = peek_token(parser);
    if (token == nullptr) {
      return false;
    }
  }

  for (const yaml_tag_directive_t& directive : default_tag_directives()) {
    if (!yaml_parser_append_tag_directive(parser, directive, true, token->start_mark)) {
      return false;
    }
  }

  if (version_directive_ref != nullptr) {
    *version_directive_ref = version_directive;
  }
  if (tag_directives_ref != nullptr) {
    *tag_directives_ref = std::move(tag_directives);
  }
  return true;
}

// Append a tag directive to the directives stack.
bool yaml_parser_append_tag_directive(yaml_parser_t* parser, const yaml_tag_directive_t& value,
                                      bool allow_duplicates, yaml_mark_t mark) {
  for (const yaml_tag_directive_t& directive : parser->tag_directives) {
    if (value.handle == directive.handle) {
      if (allow_duplicates) {
        return true;
      }
      return yaml_parser_set_parser_error(parser, "found duplicate %TAG directive", mark);
    }
  }

  // [Go] I suspect the copy is unnecessary. This was likely done
  // because there was no way to track ownership of the data.
  parser->tag_directives.push_back(value);
  return true;
}

}  // namespace

// Get the next event.
bool yaml_parser_parse(yaml_parser_t* parser, yaml_event_t* event) {
  // Erase the event object.
  *event = yaml_event_t{};

  // No events after the end of the stream or error.
  if (parser->stream_end_produced || parser->error != yaml_NO_ERROR || parser->state == yaml_PARSE_END_STATE) {
    return true;
  }

  // Generate the next event.
  return yaml_parser_state_machine(parser, event);
}

}  // namespace capstan::goyaml
