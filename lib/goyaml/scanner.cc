// The go-yaml v2 scanner: turns the reader's characters into tokens (plain/quoted/block scalars, flow and block
// collection indicators, simple keys, indentation, anchors, tags, directives), with go-yaml's exact errors.
// Port of go-yaml v2.4.0 as vendored in sigs.k8s.io/yaml v1.4.0 goyaml.v2/scannerc.go (MIT license, derived from
// libyaml; see lib/goyaml/LICENSE.go-yaml). Function for function; `[Go]` comments mark where go-yaml deviates
// from libyaml. Where Go would panic (index out of range), this port throws capstan::Error.
//
// The process of transforming a YAML stream into a sequence of events is divided on two steps: Scanning and
// Parsing. The Scanner transforms the input stream into a sequence of tokens, while the parser transform the
// sequence of tokens produced by the Scanner into a sequence of parsing events. (The long token-grammar comment of
// scannerc.go is not repeated here; see upstream.)
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "goyaml/yamlh.h"
#include "goyaml/yamlprivateh.h"
#include "util/error.h"

namespace capstan::goyaml {

namespace {

// Go's v[i] on a slice: out of range panics in Go, throws capstan::Error here.
template <class T>
T& slice_at(std::vector<T>& v, int i) {
  if (i < 0 || static_cast<size_t>(i) >= v.size()) index_out_of_range(i, static_cast<int>(v.size()));
  return v[static_cast<size_t>(i)];
}

// parser.buffer[parser.buffer_pos+k]
inline uint8_t at(yaml_parser_t* parser, int k = 0) { return byte_at(parser->buffer, parser->buffer_pos + k); }

// cache(parser, length): [Go] This was inlined: !cache(A, B) -> unread < B && !update(A, B)
// (every caller spells it out, so the function itself is not ported).

// Advance the buffer pointer.
void skip(yaml_parser_t* parser) {
  parser->mark.index++;
  parser->mark.column++;
  parser->unread--;
  parser->buffer_pos += width(at(parser));
}

void skip_line(yaml_parser_t* parser) {
  if (is_crlf(parser->buffer, parser->buffer_pos)) {
    parser->mark.index += 2;
    parser->mark.column = 0;
    parser->mark.line++;
    parser->unread -= 2;
    parser->buffer_pos += 2;
  } else if (is_break(parser->buffer, parser->buffer_pos)) {
    parser->mark.index++;
    parser->mark.column = 0;
    parser->mark.line++;
    parser->unread--;
    parser->buffer_pos += width(at(parser));
  }
}

// Go: s = append(s, parser.buffer[from:to]...) (panics when the slice expression is out of range).
void append_buffer(yaml_parser_t* parser, std::string& s, int from, int to) {
  if (from < 0 || to < from || static_cast<size_t>(to) > parser->buffer.size()) {
    throw capstan::Error("go-yaml port: slice bounds out of range [" + std::to_string(from) + ":" +
                         std::to_string(to) + "] with length " + std::to_string(parser->buffer.size()) +
                         " (Go panics here)");
  }
  s.append(parser->buffer, static_cast<size_t>(from), static_cast<size_t>(to - from));
}

// Copy a character to a string buffer and advance pointers.
// Go: s = read(parser, s)
void read(yaml_parser_t* parser, std::string& s) {
  int w = width(at(parser));
  if (w == 0) throw capstan::Error("go-yaml port: invalid character sequence (Go panics here)");
  append_buffer(parser, s, parser->buffer_pos, parser->buffer_pos + w);
  parser->buffer_pos += w;
  parser->mark.index++;
  parser->mark.column++;
  parser->unread--;
}

// Copy a line break character to a string buffer and advance pointers.
// Go: s = read_line(parser, s)
void read_line(yaml_parser_t* parser, std::string& s) {
  const std::string& buf = parser->buffer;
  int pos = parser->buffer_pos;
  if (byte_at(buf, pos) == '\r' && byte_at(buf, pos + 1) == '\n') {
    // CR LF . LF
    s.push_back('\n');
    parser->buffer_pos += 2;
    parser->mark.index++;
    parser->unread--;
  } else if (byte_at(buf, pos) == '\r' || byte_at(buf, pos) == '\n') {
    // CR|LF . LF
    s.push_back('\n');
    parser->buffer_pos += 1;
  } else if (byte_at(buf, pos) == 0xC2 && byte_at(buf, pos + 1) == 0x85) {
    // NEL . LF
    s.push_back('\n');
    parser->buffer_pos += 2;
  } else if (byte_at(buf, pos) == 0xE2 && byte_at(buf, pos + 1) == 0x80 &&
             (byte_at(buf, pos + 2) == 0xA8 || byte_at(buf, pos + 2) == 0xA9)) {
    // LS|PS . LS|PS
    append_buffer(parser, s, parser->buffer_pos, pos + 3);
    parser->buffer_pos += 3;
  } else {
    return;
  }
  parser->mark.index++;
  parser->mark.column = 0;
  parser->mark.line++;
  parser->unread--;
}

// max_flow_level limits the flow_level
constexpr int max_flow_level = 10000;

// max_indents limits the indents stack size
constexpr int max_indents = 10000;

constexpr int max_number_length = 2;

}  // namespace

// Get the next token.
bool yaml_parser_scan(yaml_parser_t* parser, yaml_token_t* token) {
  // Erase the token object.
  *token = yaml_token_t{};  // [Go] Is this necessary?

  // No tokens after STREAM-END or error.
  if (parser->stream_end_produced || parser->error != yaml_NO_ERROR) return true;

  // Ensure that the tokens queue contains enough tokens.
  if (!parser->token_available) {
    if (!yaml_parser_fetch_more_tokens(parser)) return false;
  }

  // Fetch the next token from the queue.
  *token = slice_at(parser->tokens, parser->tokens_head);
  parser->tokens_head++;
  parser->tokens_parsed++;
  parser->token_available = false;

  if (token->typ == yaml_STREAM_END_TOKEN) parser->stream_end_produced = true;
  return true;
}

// Set the scanner error and return false.
bool yaml_parser_set_scanner_error(yaml_parser_t* parser, const std::string& context, yaml_mark_t context_mark,
                                   const std::string& problem) {
  parser->error = yaml_SCANNER_ERROR;
  parser->context = context;
  parser->context_mark = context_mark;
  parser->problem = problem;
  parser->problem_mark = parser->mark;
  return false;
}

bool yaml_parser_set_scanner_tag_error(yaml_parser_t* parser, bool directive, yaml_mark_t context_mark,
                                       const std::string& problem) {
  std::string context = "while parsing a tag";
  if (directive) context = "while parsing a %TAG directive";
  return yaml_parser_set_scanner_error(parser, context, context_mark, problem);
}

// Ensure that the tokens queue contains at least one token which can be
// returned to the Parser.
// (go-yaml, unlike libyaml's yaml_parser_stale_simple_keys, checks only the simple key that may occupy the queue
// head, via simple_keys_by_tok, and only when the queue is non-empty: an expired required key is reported when the
// parser asks for the token it would have preceded.)
bool yaml_parser_fetch_more_tokens(yaml_parser_t* parser) {
  // While we need more tokens to fetch, do it.
  for (;;) {
    if (parser->tokens_head != static_cast<int>(parser->tokens.size())) {
      // If queue is non-empty, check if any potential simple key may
      // occupy the head position.
      auto it = parser->simple_keys_by_tok.find(parser->tokens_parsed);
      if (it == parser->simple_keys_by_tok.end()) break;
      auto [valid, ok] = yaml_simple_key_is_valid(parser, &slice_at(parser->simple_keys, it->second));
      if (!ok) return false;
      if (!valid) break;
    }
    // Fetch the next token.
    if (!yaml_parser_fetch_next_token(parser)) return false;
  }

  parser->token_available = true;
  return true;
}

// The dispatcher for token fetchers.
bool yaml_parser_fetch_next_token(yaml_parser_t* parser) {
  // Ensure that the buffer is initialized.
  if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;

  // Check if we just started scanning.  Fetch STREAM-START then.
  if (!parser->stream_start_produced) return yaml_parser_fetch_stream_start(parser);

  // Eat whitespaces and comments until we reach the next token.
  if (!yaml_parser_scan_to_next_token(parser)) return false;

  // Check the indentation level against the current column.
  if (!yaml_parser_unroll_indent(parser, parser->mark.column)) return false;

  // Ensure that the buffer contains at least 4 characters.  4 is the length
  // of the longest indicators ('--- ' and '... ').
  if (parser->unread < 4 && !yaml_parser_update_buffer(parser, 4)) return false;

  // Is it the end of the stream?
  if (is_z(parser->buffer, parser->buffer_pos)) return yaml_parser_fetch_stream_end(parser);

  // Is it a directive?
  if (parser->mark.column == 0 && at(parser) == '%') return yaml_parser_fetch_directive(parser);

  const std::string& buf = parser->buffer;
  int pos = parser->buffer_pos;

  // Is it the document start indicator?
  if (parser->mark.column == 0 && byte_at(buf, pos) == '-' && byte_at(buf, pos + 1) == '-' &&
      byte_at(buf, pos + 2) == '-' && is_blankz(buf, pos + 3)) {
    return yaml_parser_fetch_document_indicator(parser, yaml_DOCUMENT_START_TOKEN);
  }

  // Is it the document end indicator?
  if (parser->mark.column == 0 && byte_at(buf, pos) == '.' && byte_at(buf, pos + 1) == '.' &&
      byte_at(buf, pos + 2) == '.' && is_blankz(buf, pos + 3)) {
    return yaml_parser_fetch_document_indicator(parser, yaml_DOCUMENT_END_TOKEN);
  }

  uint8_t c = at(parser);

  // Is it the flow sequence start indicator?
  if (c == '[') return yaml_parser_fetch_flow_collection_start(parser, yaml_FLOW_SEQUENCE_START_TOKEN);

  // Is it the flow mapping start indicator?
  if (c == '{') return yaml_parser_fetch_flow_collection_start(parser, yaml_FLOW_MAPPING_START_TOKEN);

  // Is it the flow sequence end indicator?
  if (c == ']') return yaml_parser_fetch_flow_collection_end(parser, yaml_FLOW_SEQUENCE_END_TOKEN);

  // Is it the flow mapping end indicator?
  if (c == '}') return yaml_parser_fetch_flow_collection_end(parser, yaml_FLOW_MAPPING_END_TOKEN);

  // Is it the flow entry indicator?
  if (c == ',') return yaml_parser_fetch_flow_entry(parser);

  // Is it the block entry indicator?
  if (c == '-' && is_blankz(parser->buffer, parser->buffer_pos + 1)) return yaml_parser_fetch_block_entry(parser);

  // Is it the key indicator?
  if (c == '?' && (parser->flow_level > 0 || is_blankz(parser->buffer, parser->buffer_pos + 1))) {
    return yaml_parser_fetch_key(parser);
  }

  // Is it the value indicator?
  if (c == ':' && (parser->flow_level > 0 || is_blankz(parser->buffer, parser->buffer_pos + 1))) {
    return yaml_parser_fetch_value(parser);
  }

  // Is it an alias?
  if (c == '*') return yaml_parser_fetch_anchor(parser, yaml_ALIAS_TOKEN);

  // Is it an anchor?
  if (c == '&') return yaml_parser_fetch_anchor(parser, yaml_ANCHOR_TOKEN);

  // Is it a tag?
  if (c == '!') return yaml_parser_fetch_tag(parser);

  // Is it a literal scalar?
  if (c == '|' && parser->flow_level == 0) return yaml_parser_fetch_block_scalar(parser, true);

  // Is it a folded scalar?
  if (c == '>' && parser->flow_level == 0) return yaml_parser_fetch_block_scalar(parser, false);

  // Is it a single-quoted scalar?
  if (c == '\'') return yaml_parser_fetch_flow_scalar(parser, true);

  // Is it a double-quoted scalar?
  if (c == '"') return yaml_parser_fetch_flow_scalar(parser, false);

  // Is it a plain scalar?
  //
  // A plain scalar may start with any non-blank characters except
  //
  //      '-', '?', ':', ',', '[', ']', '{', '}',
  //      '#', '&', '*', '!', '|', '>', '\'', '\"',
  //      '%', '@', '`'.
  //
  // In the block context (and, for the '-' indicator, in the flow context
  // too), it may also start with the characters
  //
  //      '-', '?', ':'
  //
  // if it is followed by a non-space character.
  //
  // The last rule is more restrictive than the specification requires.
  // [Go] Make this logic more reasonable.
  if (!(is_blankz(parser->buffer, parser->buffer_pos) || c == '-' || c == '?' || c == ':' || c == ',' ||
        c == '[' || c == ']' || c == '{' || c == '}' || c == '#' || c == '&' || c == '*' || c == '!' || c == '|' ||
        c == '>' || c == '\'' || c == '"' || c == '%' || c == '@' || c == '`') ||
      (c == '-' && !is_blank(parser->buffer, parser->buffer_pos + 1)) ||
      (parser->flow_level == 0 && (c == '?' || c == ':') && !is_blankz(parser->buffer, parser->buffer_pos + 1))) {
    return yaml_parser_fetch_plain_scalar(parser);
  }

  // If we don't determine the token type so far, it is an error.
  return yaml_parser_set_scanner_error(parser, "while scanning for the next token", parser->mark,
                                       "found character that cannot start any token");
}

std::pair<bool, bool> yaml_simple_key_is_valid(yaml_parser_t* parser, yaml_simple_key_t* simple_key) {
  if (!simple_key->possible) return {false, true};

  // The 1.2 specification says:
  //
  //     "If the ? indicator is omitted, parsing needs to see past the
  //     implicit key to recognize it as such. To limit the amount of
  //     lookahead required, the “:” indicator must appear at most 1024
  //     Unicode characters beyond the start of the key. In addition, the key
  //     is restricted to a single line."
  //
  if (simple_key->mark.line < parser->mark.line || simple_key->mark.index + 1024 < parser->mark.index) {
    // Check if the potential simple key to be removed is required.
    if (simple_key->required) {
      return {false, yaml_parser_set_scanner_error(parser, "while scanning a simple key", simple_key->mark,
                                                   "could not find expected ':'")};
    }
    simple_key->possible = false;
    return {false, true};
  }
  return {true, true};
}

// Check if a simple key may start at the current position and add it if
// needed.
bool yaml_parser_save_simple_key(yaml_parser_t* parser) {
  // A simple key is required at the current position if the scanner is in
  // the block context and the current column coincides with the indentation
  // level.

  bool required = parser->flow_level == 0 && parser->indent == parser->mark.column;

  //
  // If the current position may start a simple key, save it.
  //
  if (parser->simple_key_allowed) {
    yaml_simple_key_t simple_key;
    simple_key.possible = true;
    simple_key.required = required;
    simple_key.token_number =
        parser->tokens_parsed + (static_cast<int>(parser->tokens.size()) - parser->tokens_head);
    simple_key.mark = parser->mark;

    if (!yaml_parser_remove_simple_key(parser)) return false;
    int last = static_cast<int>(parser->simple_keys.size()) - 1;
    slice_at(parser->simple_keys, last) = simple_key;
    parser->simple_keys_by_tok[simple_key.token_number] = last;
  }
  return true;
}

// Remove a potential simple key at the current flow level.
bool yaml_parser_remove_simple_key(yaml_parser_t* parser) {
  int i = static_cast<int>(parser->simple_keys.size()) - 1;
  yaml_simple_key_t& key = slice_at(parser->simple_keys, i);
  if (key.possible) {
    // If the key is required, it is an error.
    if (key.required) {
      return yaml_parser_set_scanner_error(parser, "while scanning a simple key", key.mark,
                                           "could not find expected ':'");
    }
    // Remove the key from the stack.
    key.possible = false;
    parser->simple_keys_by_tok.erase(key.token_number);
  }
  return true;
}

// Increase the flow level and resize the simple key list if needed.
bool yaml_parser_increase_flow_level(yaml_parser_t* parser) {
  // Reset the simple key on the next level.
  yaml_simple_key_t key;
  key.possible = false;
  key.required = false;
  key.token_number = parser->tokens_parsed + (static_cast<int>(parser->tokens.size()) - parser->tokens_head);
  key.mark = parser->mark;
  parser->simple_keys.push_back(key);

  // Increase the flow level.
  parser->flow_level++;
  if (parser->flow_level > max_flow_level) {
    return yaml_parser_set_scanner_error(parser, "while increasing flow level", parser->simple_keys.back().mark,
                                         "exceeded max depth of " + std::to_string(max_flow_level));
  }
  return true;
}

// Decrease the flow level.
// (go-yaml: the entry deleted from simple_keys_by_tok is the closing level's token number, which equals the token
// number of the flow collection's own simple key when the collection is empty, e.g. `[]: x`; that key's entry
// goes too, and its KEY token is later appended instead of inserted. Kept as is: it is go-yaml's behaviour.)
bool yaml_parser_decrease_flow_level(yaml_parser_t* parser) {
  if (parser->flow_level > 0) {
    parser->flow_level--;
    int last = static_cast<int>(parser->simple_keys.size()) - 1;
    parser->simple_keys_by_tok.erase(slice_at(parser->simple_keys, last).token_number);
    parser->simple_keys.pop_back();
  }
  return true;
}

// Push the current indentation level to the stack and set the new level
// the current column is greater than the indentation level.  In this case,
// append or insert the specified token into the token queue.
bool yaml_parser_roll_indent(yaml_parser_t* parser, int column, int number, yaml_token_type_t typ,
                             yaml_mark_t mark) {
  // In the flow context, do nothing.
  if (parser->flow_level > 0) return true;

  if (parser->indent < column) {
    // Push the current indentation level to the stack and set the new
    // indentation level.
    parser->indents.push_back(parser->indent);
    parser->indent = column;
    if (static_cast<int>(parser->indents.size()) > max_indents) {
      return yaml_parser_set_scanner_error(
          parser, "while increasing indent level",
          slice_at(parser->simple_keys, static_cast<int>(parser->simple_keys.size()) - 1).mark,
          "exceeded max depth of " + std::to_string(max_indents));
    }

    // Create a token and insert it into the queue.
    yaml_token_t token;
    token.typ = typ;
    token.start_mark = mark;
    token.end_mark = mark;
    if (number > -1) number -= parser->tokens_parsed;
    yaml_insert_token(parser, number, &token);
  }
  return true;
}

// Pop indentation levels from the indents stack until the current level
// becomes less or equal to the column.  For each indentation level, append
// the BLOCK-END token.
bool yaml_parser_unroll_indent(yaml_parser_t* parser, int column) {
  // In the flow context, do nothing.
  if (parser->flow_level > 0) return true;

  // Loop through the indentation levels in the stack.
  while (parser->indent > column) {
    // Create a token and append it to the queue.
    yaml_token_t token;
    token.typ = yaml_BLOCK_END_TOKEN;
    token.start_mark = parser->mark;
    token.end_mark = parser->mark;
    yaml_insert_token(parser, -1, &token);

    // Pop the indentation level.
    parser->indent = slice_at(parser->indents, static_cast<int>(parser->indents.size()) - 1);
    parser->indents.pop_back();
  }
  return true;
}

// Initialize the scanner and produce the STREAM-START token.
bool yaml_parser_fetch_stream_start(yaml_parser_t* parser) {
  // Set the initial indentation.
  parser->indent = -1;

  // Initialize the simple key stack.
  parser->simple_keys.push_back(yaml_simple_key_t{});

  parser->simple_keys_by_tok.clear();

  // A simple key is allowed at the beginning of the stream.
  parser->simple_key_allowed = true;

  // We have started.
  parser->stream_start_produced = true;

  // Create the STREAM-START token and append it to the queue.
  yaml_token_t token;
  token.typ = yaml_STREAM_START_TOKEN;
  token.start_mark = parser->mark;
  token.end_mark = parser->mark;
  token.encoding = parser->encoding;
  yaml_insert_token(parser, -1, &token);
  return true;
}

// Produce the STREAM-END token and shut down the scanner.
bool yaml_parser_fetch_stream_end(yaml_parser_t* parser) {
  // Force new line.
  if (parser->mark.column != 0) {
    parser->mark.column = 0;
    parser->mark.line++;
  }

  // Reset the indentation level.
  if (!yaml_parser_unroll_indent(parser, -1)) return false;

  // Reset simple keys.
  if (!yaml_parser_remove_simple_key(parser)) return false;

  parser->simple_key_allowed = false;

  // Create the STREAM-END token and append it to the queue.
  yaml_token_t token;
  token.typ = yaml_STREAM_END_TOKEN;
  token.start_mark = parser->mark;
  token.end_mark = parser->mark;
  yaml_insert_token(parser, -1, &token);
  return true;
}

// Produce a VERSION-DIRECTIVE or TAG-DIRECTIVE token.
bool yaml_parser_fetch_directive(yaml_parser_t* parser) {
  // Reset the indentation level.
  if (!yaml_parser_unroll_indent(parser, -1)) return false;

  // Reset simple keys.
  if (!yaml_parser_remove_simple_key(parser)) return false;

  parser->simple_key_allowed = false;

  // Create the YAML-DIRECTIVE or TAG-DIRECTIVE token.
  yaml_token_t token;
  if (!yaml_parser_scan_directive(parser, &token)) return false;
  // Append the token to the queue.
  yaml_insert_token(parser, -1, &token);
  return true;
}

// Produce the DOCUMENT-START or DOCUMENT-END token.
bool yaml_parser_fetch_document_indicator(yaml_parser_t* parser, yaml_token_type_t typ) {
  // Reset the indentation level.
  if (!yaml_parser_unroll_indent(parser, -1)) return false;

  // Reset simple keys.
  if (!yaml_parser_remove_simple_key(parser)) return false;

  parser->simple_key_allowed = false;

  // Consume the token.
  yaml_mark_t start_mark = parser->mark;

  skip(parser);
  skip(parser);
  skip(parser);

  yaml_mark_t end_mark = parser->mark;

  // Create the DOCUMENT-START or DOCUMENT-END token.
  yaml_token_t token;
  token.typ = typ;
  token.start_mark = start_mark;
  token.end_mark = end_mark;
  // Append the token to the queue.
  yaml_insert_token(parser, -1, &token);
  return true;
}

// Produce the FLOW-SEQUENCE-START or FLOW-MAPPING-START token.
bool yaml_parser_fetch_flow_collection_start(yaml_parser_t* parser, yaml_token_type_t typ) {
  // The indicators '[' and '{' may start a simple key.
  if (!yaml_parser_save_simple_key(parser)) return false;

  // Increase the flow level.
  if (!yaml_parser_increase_flow_level(parser)) return false;

  // A simple key may follow the indicators '[' and '{'.
  parser->simple_key_allowed = true;

  // Consume the token.
  yaml_mark_t start_mark = parser->mark;
  skip(parser);
  yaml_mark_t end_mark = parser->mark;

  // Create the FLOW-SEQUENCE-START of FLOW-MAPPING-START token.
  yaml_token_t token;
  token.typ = typ;
  token.start_mark = start_mark;
  token.end_mark = end_mark;
  // Append the token to the queue.
  yaml_insert_token(parser, -1, &token);
  return true;
}

// Produce the FLOW-SEQUENCE-END or FLOW-MAPPING-END token.
bool yaml_parser_fetch_flow_collection_end(yaml_parser_t* parser, yaml_token_type_t typ) {
  // Reset any potential simple key on the current flow level.
  if (!yaml_parser_remove_simple_key(parser)) return false;

  // Decrease the flow level.
  if (!yaml_parser_decrease_flow_level(parser)) return false;

  // No simple keys after the indicators ']' and '}'.
  parser->simple_key_allowed = false;

  // Consume the token.

  yaml_mark_t start_mark = parser->mark;
  skip(parser);
  yaml_mark_t end_mark = parser->mark;

  // Create the FLOW-SEQUENCE-END of FLOW-MAPPING-END token.
  yaml_token_t token;
  token.typ = typ;
  token.start_mark = start_mark;
  token.end_mark = end_mark;
  // Append the token to the queue.
  yaml_insert_token(parser, -1, &token);
  return true;
}

// Produce the FLOW-ENTRY token.
bool yaml_parser_fetch_flow_entry(yaml_parser_t* parser) {
  // Reset any potential simple keys on the current flow level.
  if (!yaml_parser_remove_simple_key(parser)) return false;

  // Simple keys are allowed after ','.
  parser->simple_key_allowed = true;

  // Consume the token.
  yaml_mark_t start_mark = parser->mark;
  skip(parser);
  yaml_mark_t end_mark = parser->mark;

  // Create the FLOW-ENTRY token and append it to the queue.
  yaml_token_t token;
  token.typ = yaml_FLOW_ENTRY_TOKEN;
  token.start_mark = start_mark;
  token.end_mark = end_mark;
  yaml_insert_token(parser, -1, &token);
  return true;
}

// Produce the BLOCK-ENTRY token.
bool yaml_parser_fetch_block_entry(yaml_parser_t* parser) {
  // Check if the scanner is in the block context.
  if (parser->flow_level == 0) {
    // Check if we are allowed to start a new entry.
    if (!parser->simple_key_allowed) {
      return yaml_parser_set_scanner_error(parser, "", parser->mark,
                                           "block sequence entries are not allowed in this context");
    }
    // Add the BLOCK-SEQUENCE-START token if needed.
    if (!yaml_parser_roll_indent(parser, parser->mark.column, -1, yaml_BLOCK_SEQUENCE_START_TOKEN, parser->mark)) {
      return false;
    }
  } else {
    // It is an error for the '-' indicator to occur in the flow context,
    // but we let the Parser detect and report about it because the Parser
    // is able to point to the context.
  }

  // Reset any potential simple keys on the current flow level.
  if (!yaml_parser_remove_simple_key(parser)) return false;

  // Simple keys are allowed after '-'.
  parser->simple_key_allowed = true;

  // Consume the token.
  yaml_mark_t start_mark = parser->mark;
  skip(parser);
  yaml_mark_t end_mark = parser->mark;

  // Create the BLOCK-ENTRY token and append it to the queue.
  yaml_token_t token;
  token.typ = yaml_BLOCK_ENTRY_TOKEN;
  token.start_mark = start_mark;
  token.end_mark = end_mark;
  yaml_insert_token(parser, -1, &token);
  return true;
}

// Produce the KEY token.
bool yaml_parser_fetch_key(yaml_parser_t* parser) {
  // In the block context, additional checks are required.
  if (parser->flow_level == 0) {
    // Check if we are allowed to start a new key (not nessesary simple).
    if (!parser->simple_key_allowed) {
      return yaml_parser_set_scanner_error(parser, "", parser->mark, "mapping keys are not allowed in this context");
    }
    // Add the BLOCK-MAPPING-START token if needed.
    if (!yaml_parser_roll_indent(parser, parser->mark.column, -1, yaml_BLOCK_MAPPING_START_TOKEN, parser->mark)) {
      return false;
    }
  }

  // Reset any potential simple keys on the current flow level.
  if (!yaml_parser_remove_simple_key(parser)) return false;

  // Simple keys are allowed after '?' in the block context.
  parser->simple_key_allowed = parser->flow_level == 0;

  // Consume the token.
  yaml_mark_t start_mark = parser->mark;
  skip(parser);
  yaml_mark_t end_mark = parser->mark;

  // Create the KEY token and append it to the queue.
  yaml_token_t token;
  token.typ = yaml_KEY_TOKEN;
  token.start_mark = start_mark;
  token.end_mark = end_mark;
  yaml_insert_token(parser, -1, &token);
  return true;
}

// Produce the VALUE token.
bool yaml_parser_fetch_value(yaml_parser_t* parser) {
  // (A reference into parser.simple_keys: nothing below resizes that vector.)
  yaml_simple_key_t* simple_key =
      &slice_at(parser->simple_keys, static_cast<int>(parser->simple_keys.size()) - 1);

  // Have we found a simple key?
  auto [valid, ok] = yaml_simple_key_is_valid(parser, simple_key);
  if (!ok) {
    return false;

  } else if (valid) {
    // Create the KEY token and insert it into the queue.
    yaml_token_t token;
    token.typ = yaml_KEY_TOKEN;
    token.start_mark = simple_key->mark;
    token.end_mark = simple_key->mark;
    yaml_insert_token(parser, simple_key->token_number - parser->tokens_parsed, &token);

    // In the block context, we may need to add the BLOCK-MAPPING-START token.
    if (!yaml_parser_roll_indent(parser, simple_key->mark.column, simple_key->token_number,
                                 yaml_BLOCK_MAPPING_START_TOKEN, simple_key->mark)) {
      return false;
    }

    // Remove the simple key.
    simple_key->possible = false;
    parser->simple_keys_by_tok.erase(simple_key->token_number);

    // A simple key cannot follow another simple key.
    parser->simple_key_allowed = false;

  } else {
    // The ':' indicator follows a complex key.

    // In the block context, extra checks are required.
    if (parser->flow_level == 0) {
      // Check if we are allowed to start a complex value.
      if (!parser->simple_key_allowed) {
        return yaml_parser_set_scanner_error(parser, "", parser->mark,
                                             "mapping values are not allowed in this context");
      }

      // Add the BLOCK-MAPPING-START token if needed.
      if (!yaml_parser_roll_indent(parser, parser->mark.column, -1, yaml_BLOCK_MAPPING_START_TOKEN, parser->mark)) {
        return false;
      }
    }

    // Simple keys after ':' are allowed in the block context.
    parser->simple_key_allowed = parser->flow_level == 0;
  }

  // Consume the token.
  yaml_mark_t start_mark = parser->mark;
  skip(parser);
  yaml_mark_t end_mark = parser->mark;

  // Create the VALUE token and append it to the queue.
  yaml_token_t token;
  token.typ = yaml_VALUE_TOKEN;
  token.start_mark = start_mark;
  token.end_mark = end_mark;
  yaml_insert_token(parser, -1, &token);
  return true;
}

// Produce the ALIAS or ANCHOR token.
bool yaml_parser_fetch_anchor(yaml_parser_t* parser, yaml_token_type_t typ) {
  // An anchor or an alias could be a simple key.
  if (!yaml_parser_save_simple_key(parser)) return false;

  // A simple key cannot follow an anchor or an alias.
  parser->simple_key_allowed = false;

  // Create the ALIAS or ANCHOR token and append it to the queue.
  yaml_token_t token;
  if (!yaml_parser_scan_anchor(parser, &token, typ)) return false;
  yaml_insert_token(parser, -1, &token);
  return true;
}

// Produce the TAG token.
bool yaml_parser_fetch_tag(yaml_parser_t* parser) {
  // A tag could be a simple key.
  if (!yaml_parser_save_simple_key(parser)) return false;

  // A simple key cannot follow a tag.
  parser->simple_key_allowed = false;

  // Create the TAG token and append it to the queue.
  yaml_token_t token;
  if (!yaml_parser_scan_tag(parser, &token)) return false;
  yaml_insert_token(parser, -1, &token);
  return true;
}

// Produce the SCALAR(...,literal) or SCALAR(...,folded) tokens.
bool yaml_parser_fetch_block_scalar(yaml_parser_t* parser, bool literal) {
  // Remove any potential simple keys.
  if (!yaml_parser_remove_simple_key(parser)) return false;

  // A simple key may follow a block scalar.
  parser->simple_key_allowed = true;

  // Create the SCALAR token and append it to the queue.
  yaml_token_t token;
  if (!yaml_parser_scan_block_scalar(parser, &token, literal)) return false;
  yaml_insert_token(parser, -1, &token);
  return true;
}

// Produce the SCALAR(...,single-quoted) or SCALAR(...,double-quoted) tokens.
bool yaml_parser_fetch_flow_scalar(yaml_parser_t* parser, bool single) {
  // A plain scalar could be a simple key.
  if (!yaml_parser_save_simple_key(parser)) return false;

  // A simple key cannot follow a flow scalar.
  parser->simple_key_allowed = false;

  // Create the SCALAR token and append it to the queue.
  yaml_token_t token;
  if (!yaml_parser_scan_flow_scalar(parser, &token, single)) return false;
  yaml_insert_token(parser, -1, &token);
  return true;
}

// Produce the SCALAR(...,plain) token.
bool yaml_parser_fetch_plain_scalar(yaml_parser_t* parser) {
  // A plain scalar could be a simple key.
  if (!yaml_parser_save_simple_key(parser)) return false;

  // A simple key cannot follow a flow scalar.
  parser->simple_key_allowed = false;

  // Create the SCALAR token and append it to the queue.
  yaml_token_t token;
  if (!yaml_parser_scan_plain_scalar(parser, &token)) return false;
  yaml_insert_token(parser, -1, &token);
  return true;
}

// Eat whitespaces and comments until the next token is found.
bool yaml_parser_scan_to_next_token(yaml_parser_t* parser) {
  // Until the next token is not found.
  for (;;) {
    // Allow the BOM mark to start a line.
    if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
    if (parser->mark.column == 0 && is_bom(parser->buffer, parser->buffer_pos)) skip(parser);

    // Eat whitespaces.
    // Tabs are allowed:
    //  - in the flow context
    //  - in the block context, but not at the beginning of the line or
    //  after '-', '?', or ':' (complex value).
    if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;

    while (at(parser) == ' ' || ((parser->flow_level > 0 || !parser->simple_key_allowed) && at(parser) == '\t')) {
      skip(parser);
      if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
    }

    // Eat a comment until a line break.
    if (at(parser) == '#') {
      while (!is_breakz(parser->buffer, parser->buffer_pos)) {
        skip(parser);
        if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
      }
    }

    // If it is a line break, eat it.
    if (is_break(parser->buffer, parser->buffer_pos)) {
      if (parser->unread < 2 && !yaml_parser_update_buffer(parser, 2)) return false;
      skip_line(parser);

      // In the block context, a new line may start a simple key.
      if (parser->flow_level == 0) parser->simple_key_allowed = true;
    } else {
      break;  // We have found a token.
    }
  }

  return true;
}

// Scan a YAML-DIRECTIVE or TAG-DIRECTIVE token.
//
// Scope:
//      %YAML    1.1    # a comment \n
//      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//      %TAG    !yaml!  tag:yaml.org,2002:  \n
//      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//
bool yaml_parser_scan_directive(yaml_parser_t* parser, yaml_token_t* token) {
  // Eat '%'.
  yaml_mark_t start_mark = parser->mark;
  skip(parser);

  // Scan the directive name.
  std::string name;
  if (!yaml_parser_scan_directive_name(parser, start_mark, &name)) return false;

  // Is it a YAML directive?
  if (name == "YAML") {
    // Scan the VERSION directive value.
    int8_t major = 0, minor = 0;
    if (!yaml_parser_scan_version_directive_value(parser, start_mark, &major, &minor)) return false;
    yaml_mark_t end_mark = parser->mark;

    // Create a VERSION-DIRECTIVE token.
    *token = yaml_token_t{};
    token->typ = yaml_VERSION_DIRECTIVE_TOKEN;
    token->start_mark = start_mark;
    token->end_mark = end_mark;
    token->major = major;
    token->minor = minor;

    // Is it a TAG directive?
  } else if (name == "TAG") {
    // Scan the TAG directive value.
    std::string handle, prefix;
    if (!yaml_parser_scan_tag_directive_value(parser, start_mark, &handle, &prefix)) return false;
    yaml_mark_t end_mark = parser->mark;

    // Create a TAG-DIRECTIVE token.
    *token = yaml_token_t{};
    token->typ = yaml_TAG_DIRECTIVE_TOKEN;
    token->start_mark = start_mark;
    token->end_mark = end_mark;
    token->value = handle;
    token->prefix = prefix;

    // Unknown directive.
  } else {
    yaml_parser_set_scanner_error(parser, "while scanning a directive", start_mark, "found unknown directive name");
    return false;
  }

  // Eat the rest of the line including any comments.
  if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;

  while (is_blank(parser->buffer, parser->buffer_pos)) {
    skip(parser);
    if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
  }

  if (at(parser) == '#') {
    while (!is_breakz(parser->buffer, parser->buffer_pos)) {
      skip(parser);
      if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
    }
  }

  // Check if we are at the end of the line.
  if (!is_breakz(parser->buffer, parser->buffer_pos)) {
    yaml_parser_set_scanner_error(parser, "while scanning a directive", start_mark,
                                  "did not find expected comment or line break");
    return false;
  }

  // Eat a line break.
  if (is_break(parser->buffer, parser->buffer_pos)) {
    if (parser->unread < 2 && !yaml_parser_update_buffer(parser, 2)) return false;
    skip_line(parser);
  }

  return true;
}

// Scan the directive name.
//
// Scope:
//      %YAML   1.1     # a comment \n
//       ^^^^
//      %TAG    !yaml!  tag:yaml.org,2002:  \n
//       ^^^
//
bool yaml_parser_scan_directive_name(yaml_parser_t* parser, yaml_mark_t start_mark, std::string* name) {
  // Consume the directive name.
  if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;

  std::string s;
  while (is_alpha(parser->buffer, parser->buffer_pos)) {
    read(parser, s);
    if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
  }

  // Check if the name is empty.
  if (s.empty()) {
    yaml_parser_set_scanner_error(parser, "while scanning a directive", start_mark,
                                  "could not find expected directive name");
    return false;
  }

  // Check for an blank character after the name.
  if (!is_blankz(parser->buffer, parser->buffer_pos)) {
    yaml_parser_set_scanner_error(parser, "while scanning a directive", start_mark,
                                  "found unexpected non-alphabetical character");
    return false;
  }
  *name = s;
  return true;
}

// Scan the value of VERSION-DIRECTIVE.
//
// Scope:
//      %YAML   1.1     # a comment \n
//           ^^^^^^
bool yaml_parser_scan_version_directive_value(yaml_parser_t* parser, yaml_mark_t start_mark, int8_t* major,
                                              int8_t* minor) {
  // Eat whitespaces.
  if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
  while (is_blank(parser->buffer, parser->buffer_pos)) {
    skip(parser);
    if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
  }

  // Consume the major version number.
  if (!yaml_parser_scan_version_directive_number(parser, start_mark, major)) return false;

  // Eat '.'.
  if (at(parser) != '.') {
    return yaml_parser_set_scanner_error(parser, "while scanning a %YAML directive", start_mark,
                                         "did not find expected digit or '.' character");
  }

  skip(parser);

  // Consume the minor version number.
  if (!yaml_parser_scan_version_directive_number(parser, start_mark, minor)) return false;
  return true;
}

// Scan the version number of VERSION-DIRECTIVE.
//
// Scope:
//      %YAML   1.1     # a comment \n
//              ^
//      %YAML   1.1     # a comment \n
//                ^
bool yaml_parser_scan_version_directive_number(yaml_parser_t* parser, yaml_mark_t start_mark, int8_t* number) {
  // Repeat while the next character is digit.
  if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
  int8_t value = 0, length = 0;
  while (is_digit(parser->buffer, parser->buffer_pos)) {
    // Check if the number is too long.
    length++;
    if (length > max_number_length) {
      return yaml_parser_set_scanner_error(parser, "while scanning a %YAML directive", start_mark,
                                           "found extremely long version number");
    }
    value = static_cast<int8_t>(value * 10 + as_digit(parser->buffer, parser->buffer_pos));
    skip(parser);
    if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
  }

  // Check if the number was present.
  if (length == 0) {
    return yaml_parser_set_scanner_error(parser, "while scanning a %YAML directive", start_mark,
                                         "did not find expected version number");
  }
  *number = value;
  return true;
}

// Scan the value of a TAG-DIRECTIVE token.
//
// Scope:
//      %TAG    !yaml!  tag:yaml.org,2002:  \n
//          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//
bool yaml_parser_scan_tag_directive_value(yaml_parser_t* parser, yaml_mark_t start_mark, std::string* handle,
                                          std::string* prefix) {
  std::string handle_value, prefix_value;

  // Eat whitespaces.
  if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;

  while (is_blank(parser->buffer, parser->buffer_pos)) {
    skip(parser);
    if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
  }

  // Scan a handle.
  if (!yaml_parser_scan_tag_handle(parser, true, start_mark, &handle_value)) return false;

  // Expect a whitespace.
  if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
  if (!is_blank(parser->buffer, parser->buffer_pos)) {
    yaml_parser_set_scanner_error(parser, "while scanning a %TAG directive", start_mark,
                                  "did not find expected whitespace");
    return false;
  }

  // Eat whitespaces.
  while (is_blank(parser->buffer, parser->buffer_pos)) {
    skip(parser);
    if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
  }

  // Scan a prefix.
  if (!yaml_parser_scan_tag_uri(parser, true, std::string(), start_mark, &prefix_value)) return false;

  // Expect a whitespace or line break.
  if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
  if (!is_blankz(parser->buffer, parser->buffer_pos)) {
    yaml_parser_set_scanner_error(parser, "while scanning a %TAG directive", start_mark,
                                  "did not find expected whitespace or line break");
    return false;
  }

  *handle = handle_value;
  *prefix = prefix_value;
  return true;
}

bool yaml_parser_scan_anchor(yaml_parser_t* parser, yaml_token_t* token, yaml_token_type_t typ) {
  std::string s;

  // Eat the indicator character.
  yaml_mark_t start_mark = parser->mark;
  skip(parser);

  // Consume the value.
  if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;

  while (is_alpha(parser->buffer, parser->buffer_pos)) {
    read(parser, s);
    if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
  }

  yaml_mark_t end_mark = parser->mark;

  /*
   * Check if length of the anchor is greater than 0 and it is followed by
   * a whitespace character or one of the indicators:
   *
   *      '?', ':', ',', ']', '}', '%', '@', '`'.
   */

  if (s.empty() || !(is_blankz(parser->buffer, parser->buffer_pos) || at(parser) == '?' || at(parser) == ':' ||
                     at(parser) == ',' || at(parser) == ']' || at(parser) == '}' || at(parser) == '%' ||
                     at(parser) == '@' || at(parser) == '`')) {
    std::string context = "while scanning an alias";
    if (typ == yaml_ANCHOR_TOKEN) context = "while scanning an anchor";
    yaml_parser_set_scanner_error(parser, context, start_mark,
                                  "did not find expected alphabetic or numeric character");
    return false;
  }

  // Create a token.
  *token = yaml_token_t{};
  token->typ = typ;
  token->start_mark = start_mark;
  token->end_mark = end_mark;
  token->value = s;

  return true;
}

/*
 * Scan a TAG token.
 */

bool yaml_parser_scan_tag(yaml_parser_t* parser, yaml_token_t* token) {
  std::string handle, suffix;

  yaml_mark_t start_mark = parser->mark;

  // Check if the tag is in the canonical form.
  if (parser->unread < 2 && !yaml_parser_update_buffer(parser, 2)) return false;

  if (at(parser, 1) == '<') {
    // Keep the handle as ''

    // Eat '!<'
    skip(parser);
    skip(parser);

    // Consume the tag value.
    if (!yaml_parser_scan_tag_uri(parser, false, std::string(), start_mark, &suffix)) return false;

    // Check for '>' and eat it.
    if (at(parser) != '>') {
      yaml_parser_set_scanner_error(parser, "while scanning a tag", start_mark, "did not find the expected '>'");
      return false;
    }

    skip(parser);
  } else {
    // The tag has either the '!suffix' or the '!handle!suffix' form.

    // First, try to scan a handle.
    if (!yaml_parser_scan_tag_handle(parser, false, start_mark, &handle)) return false;

    // Check if it is, indeed, handle.
    if (byte_at(handle, 0) == '!' && handle.size() > 1 && handle.back() == '!') {
      // Scan the suffix now.
      if (!yaml_parser_scan_tag_uri(parser, false, std::string(), start_mark, &suffix)) return false;
    } else {
      // It wasn't a handle after all.  Scan the rest of the tag.
      if (!yaml_parser_scan_tag_uri(parser, false, handle, start_mark, &suffix)) return false;

      // Set the handle to '!'.
      handle = "!";

      // A special case: the '!' tag.  Set the handle to '' and the
      // suffix to '!'.
      if (suffix.empty()) std::swap(handle, suffix);
    }
  }

  // Check the character which ends the tag.
  if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
  if (!is_blankz(parser->buffer, parser->buffer_pos)) {
    yaml_parser_set_scanner_error(parser, "while scanning a tag", start_mark,
                                  "did not find expected whitespace or line break");
    return false;
  }

  yaml_mark_t end_mark = parser->mark;

  // Create a token.
  *token = yaml_token_t{};
  token->typ = yaml_TAG_TOKEN;
  token->start_mark = start_mark;
  token->end_mark = end_mark;
  token->value = handle;
  token->suffix = suffix;
  return true;
}

// Scan a tag handle.
bool yaml_parser_scan_tag_handle(yaml_parser_t* parser, bool directive, yaml_mark_t start_mark,
                                 std::string* handle) {
  // Check the initial '!' character.
  if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
  if (at(parser) != '!') {
    yaml_parser_set_scanner_tag_error(parser, directive, start_mark, "did not find expected '!'");
    return false;
  }

  std::string s;

  // Copy the '!' character.
  read(parser, s);

  // Copy all subsequent alphabetical and numerical characters.
  if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
  while (is_alpha(parser->buffer, parser->buffer_pos)) {
    read(parser, s);
    if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
  }

  // Check if the trailing character is '!' and copy it.
  if (at(parser) == '!') {
    read(parser, s);
  } else {
    // It's either the '!' tag or not really a tag handle.  If it's a %TAG
    // directive, it's an error.  If it's a tag token, it must be a part of URI.
    if (directive && s != "!") {
      yaml_parser_set_scanner_tag_error(parser, directive, start_mark, "did not find expected '!'");
      return false;
    }
  }

  *handle = s;
  return true;
}

// Scan a tag.
bool yaml_parser_scan_tag_uri(yaml_parser_t* parser, bool directive, const std::string& head,
                              yaml_mark_t start_mark, std::string* uri) {
  // size_t length = head ? strlen((char *)head) : 0
  std::string s;
  bool hasTag = !head.empty();

  // Copy the head if needed.
  //
  // Note that we don't copy the leading '!' character.
  if (head.size() > 1) s.append(head, 1, std::string::npos);

  // Scan the tag.
  if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;

  // The set of characters that may appear in URI is as follows:
  //
  //      '0'-'9', 'A'-'Z', 'a'-'z', '_', '-', ';', '/', '?', ':', '@', '&',
  //      '=', '+', '$', ',', '.', '!', '~', '*', '\'', '(', ')', '[', ']',
  //      '%'.
  // [Go] Convert this into more reasonable logic.
  auto uri_char = [&]() {
    if (is_alpha(parser->buffer, parser->buffer_pos)) return true;
    uint8_t c = at(parser);
    return c == ';' || c == '/' || c == '?' || c == ':' || c == '@' || c == '&' || c == '=' || c == '+' ||
           c == '$' || c == ',' || c == '.' || c == '!' || c == '~' || c == '*' || c == '\'' || c == '(' ||
           c == ')' || c == '[' || c == ']' || c == '%';
  };
  while (uri_char()) {
    // Check if it is a URI-escape sequence.
    if (at(parser) == '%') {
      if (!yaml_parser_scan_uri_escapes(parser, directive, start_mark, &s)) return false;
    } else {
      read(parser, s);
    }
    if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
    hasTag = true;
  }

  if (!hasTag) {
    yaml_parser_set_scanner_tag_error(parser, directive, start_mark, "did not find expected tag URI");
    return false;
  }
  *uri = s;
  return true;
}

// Decode an URI-escape sequence corresponding to a single UTF-8 character.
bool yaml_parser_scan_uri_escapes(yaml_parser_t* parser, bool directive, yaml_mark_t start_mark, std::string* s) {
  // Decode the required number of characters.
  int w = 1024;
  while (w > 0) {
    // Check for a URI-escaped octet.
    if (parser->unread < 3 && !yaml_parser_update_buffer(parser, 3)) return false;

    if (!(at(parser) == '%' && is_hex(parser->buffer, parser->buffer_pos + 1) &&
          is_hex(parser->buffer, parser->buffer_pos + 2))) {
      return yaml_parser_set_scanner_tag_error(parser, directive, start_mark, "did not find URI escaped octet");
    }

    // Get the octet.
    uint8_t octet = static_cast<uint8_t>((as_hex(parser->buffer, parser->buffer_pos + 1) << 4) +
                                         as_hex(parser->buffer, parser->buffer_pos + 2));

    // If it is the leading octet, determine the length of the UTF-8 sequence.
    if (w == 1024) {
      w = width(octet);
      if (w == 0) {
        return yaml_parser_set_scanner_tag_error(parser, directive, start_mark,
                                                 "found an incorrect leading UTF-8 octet");
      }
    } else {
      // Check if the trailing octet is correct.
      if ((octet & 0xC0) != 0x80) {
        return yaml_parser_set_scanner_tag_error(parser, directive, start_mark,
                                                 "found an incorrect trailing UTF-8 octet");
      }
    }

    // Copy the octet and move the pointers.
    s->push_back(static_cast<char>(octet));
    skip(parser);
    skip(parser);
    skip(parser);
    w--;
  }
  return true;
}

// Scan a block scalar.
bool yaml_parser_scan_block_scalar(yaml_parser_t* parser, yaml_token_t* token, bool literal) {
  // Eat the indicator '|' or '>'.
  yaml_mark_t start_mark = parser->mark;
  skip(parser);

  // Scan the additional block scalar indicators.
  if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;

  // Check for a chomping indicator.
  int chomping = 0, increment = 0;
  if (at(parser) == '+' || at(parser) == '-') {
    // Set the chomping method and eat the indicator.
    if (at(parser) == '+') {
      chomping = +1;
    } else {
      chomping = -1;
    }
    skip(parser);

    // Check for an indentation indicator.
    if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
    if (is_digit(parser->buffer, parser->buffer_pos)) {
      // Check that the indentation is greater than 0.
      if (at(parser) == '0') {
        yaml_parser_set_scanner_error(parser, "while scanning a block scalar", start_mark,
                                      "found an indentation indicator equal to 0");
        return false;
      }

      // Get the indentation level and eat the indicator.
      increment = as_digit(parser->buffer, parser->buffer_pos);
      skip(parser);
    }

  } else if (is_digit(parser->buffer, parser->buffer_pos)) {
    // Do the same as above, but in the opposite order.

    if (at(parser) == '0') {
      yaml_parser_set_scanner_error(parser, "while scanning a block scalar", start_mark,
                                    "found an indentation indicator equal to 0");
      return false;
    }
    increment = as_digit(parser->buffer, parser->buffer_pos);
    skip(parser);

    if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
    if (at(parser) == '+' || at(parser) == '-') {
      if (at(parser) == '+') {
        chomping = +1;
      } else {
        chomping = -1;
      }
      skip(parser);
    }
  }

  // Eat whitespaces and comments to the end of the line.
  if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
  while (is_blank(parser->buffer, parser->buffer_pos)) {
    skip(parser);
    if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
  }
  if (at(parser) == '#') {
    while (!is_breakz(parser->buffer, parser->buffer_pos)) {
      skip(parser);
      if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
    }
  }

  // Check if we are at the end of the line.
  if (!is_breakz(parser->buffer, parser->buffer_pos)) {
    yaml_parser_set_scanner_error(parser, "while scanning a block scalar", start_mark,
                                  "did not find expected comment or line break");
    return false;
  }

  // Eat a line break.
  if (is_break(parser->buffer, parser->buffer_pos)) {
    if (parser->unread < 2 && !yaml_parser_update_buffer(parser, 2)) return false;
    skip_line(parser);
  }

  yaml_mark_t end_mark = parser->mark;

  // Set the indentation level if it was specified.
  int indent = 0;
  if (increment > 0) {
    if (parser->indent >= 0) {
      indent = parser->indent + increment;
    } else {
      indent = increment;
    }
  }

  // Scan the leading line breaks and determine the indentation level if needed.
  std::string s, leading_break, trailing_breaks;
  if (!yaml_parser_scan_block_scalar_breaks(parser, &indent, &trailing_breaks, start_mark, &end_mark)) return false;

  // Scan the block scalar content.
  if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
  bool leading_blank = false, trailing_blank = false;
  while (parser->mark.column == indent && !is_z(parser->buffer, parser->buffer_pos)) {
    // We are at the beginning of a non-empty line.

    // Is it a trailing whitespace?
    trailing_blank = is_blank(parser->buffer, parser->buffer_pos);

    // Check if we need to fold the leading line break.
    if (!literal && !leading_blank && !trailing_blank && !leading_break.empty() && leading_break[0] == '\n') {
      // Do we need to join the lines by space?
      if (trailing_breaks.empty()) s.push_back(' ');
    } else {
      s.append(leading_break);
    }
    leading_break.clear();

    // Append the remaining line breaks.
    s.append(trailing_breaks);
    trailing_breaks.clear();

    // Is it a leading whitespace?
    leading_blank = is_blank(parser->buffer, parser->buffer_pos);

    // Consume the current line.
    while (!is_breakz(parser->buffer, parser->buffer_pos)) {
      read(parser, s);
      if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
    }

    // Consume the line break.
    if (parser->unread < 2 && !yaml_parser_update_buffer(parser, 2)) return false;

    read_line(parser, leading_break);

    // Eat the following indentation spaces and line breaks.
    if (!yaml_parser_scan_block_scalar_breaks(parser, &indent, &trailing_breaks, start_mark, &end_mark)) {
      return false;
    }
  }

  // Chomp the tail.
  if (chomping != -1) s.append(leading_break);
  if (chomping == 1) s.append(trailing_breaks);

  // Create a token.
  *token = yaml_token_t{};
  token->typ = yaml_SCALAR_TOKEN;
  token->start_mark = start_mark;
  token->end_mark = end_mark;
  token->value = s;
  token->style = yaml_LITERAL_SCALAR_STYLE;
  if (!literal) token->style = yaml_FOLDED_SCALAR_STYLE;
  return true;
}

// Scan indentation spaces and line breaks for a block scalar.  Determine the
// indentation level if needed.
bool yaml_parser_scan_block_scalar_breaks(yaml_parser_t* parser, int* indent, std::string* breaks,
                                          yaml_mark_t start_mark, yaml_mark_t* end_mark) {
  *end_mark = parser->mark;

  // Eat the indentation spaces and line breaks.
  int max_indent = 0;
  for (;;) {
    // Eat the indentation spaces.
    if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
    while ((*indent == 0 || parser->mark.column < *indent) && is_space(parser->buffer, parser->buffer_pos)) {
      skip(parser);
      if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
    }
    if (parser->mark.column > max_indent) max_indent = parser->mark.column;

    // Check for a tab character messing the indentation.
    if ((*indent == 0 || parser->mark.column < *indent) && is_tab(parser->buffer, parser->buffer_pos)) {
      return yaml_parser_set_scanner_error(parser, "while scanning a block scalar", start_mark,
                                           "found a tab character where an indentation space is expected");
    }

    // Have we found a non-empty line?
    if (!is_break(parser->buffer, parser->buffer_pos)) break;

    // Consume the line break.
    if (parser->unread < 2 && !yaml_parser_update_buffer(parser, 2)) return false;
    // [Go] Should really be returning breaks instead.
    read_line(parser, *breaks);
    *end_mark = parser->mark;
  }

  // Determine the indentation level if needed.
  if (*indent == 0) {
    *indent = max_indent;
    if (*indent < parser->indent + 1) *indent = parser->indent + 1;
    if (*indent < 1) *indent = 1;
  }
  return true;
}

// Scan a quoted scalar.
bool yaml_parser_scan_flow_scalar(yaml_parser_t* parser, yaml_token_t* token, bool single) {
  // Eat the left quote.
  yaml_mark_t start_mark = parser->mark;
  skip(parser);

  // Consume the content of the quoted scalar.
  std::string s, leading_break, trailing_breaks, whitespaces;
  for (;;) {
    // Check that there are no document indicators at the beginning of the line.
    if (parser->unread < 4 && !yaml_parser_update_buffer(parser, 4)) return false;

    if (parser->mark.column == 0 &&
        ((at(parser, 0) == '-' && at(parser, 1) == '-' && at(parser, 2) == '-') ||
         (at(parser, 0) == '.' && at(parser, 1) == '.' && at(parser, 2) == '.')) &&
        is_blankz(parser->buffer, parser->buffer_pos + 3)) {
      yaml_parser_set_scanner_error(parser, "while scanning a quoted scalar", start_mark,
                                    "found unexpected document indicator");
      return false;
    }

    // Check for EOF.
    if (is_z(parser->buffer, parser->buffer_pos)) {
      yaml_parser_set_scanner_error(parser, "while scanning a quoted scalar", start_mark,
                                    "found unexpected end of stream");
      return false;
    }

    // Consume non-blank characters.
    bool leading_blanks = false;
    while (!is_blankz(parser->buffer, parser->buffer_pos)) {
      if (single && at(parser) == '\'' && at(parser, 1) == '\'') {
        // Is is an escaped single quote.
        s.push_back('\'');
        skip(parser);
        skip(parser);

      } else if (single && at(parser) == '\'') {
        // It is a right single quote.
        break;
      } else if (!single && at(parser) == '"') {
        // It is a right double quote.
        break;

      } else if (!single && at(parser) == '\\' && is_break(parser->buffer, parser->buffer_pos + 1)) {
        // It is an escaped line break.
        if (parser->unread < 3 && !yaml_parser_update_buffer(parser, 3)) return false;
        skip(parser);
        skip_line(parser);
        leading_blanks = true;
        break;

      } else if (!single && at(parser) == '\\') {
        // It is an escape sequence.
        int code_length = 0;

        // Check the escape character.
        switch (at(parser, 1)) {
          case '0': s.push_back('\0'); break;
          case 'a': s.push_back('\x07'); break;
          case 'b': s.push_back('\x08'); break;
          case 't':
          case '\t': s.push_back('\x09'); break;
          case 'n': s.push_back('\x0A'); break;
          case 'v': s.push_back('\x0B'); break;
          case 'f': s.push_back('\x0C'); break;
          case 'r': s.push_back('\x0D'); break;
          case 'e': s.push_back('\x1B'); break;
          case ' ': s.push_back('\x20'); break;
          case '"': s.push_back('"'); break;
          case '\'': s.push_back('\''); break;
          case '\\': s.push_back('\\'); break;
          case 'N':  // NEL (#x85)
            s.append("\xC2\x85");
            break;
          case '_':  // #xA0
            s.append("\xC2\xA0");
            break;
          case 'L':  // LS (#x2028)
            s.append("\xE2\x80\xA8");
            break;
          case 'P':  // PS (#x2029)
            s.append("\xE2\x80\xA9");
            break;
          case 'x': code_length = 2; break;
          case 'u': code_length = 4; break;
          case 'U': code_length = 8; break;
          default:
            yaml_parser_set_scanner_error(parser, "while parsing a quoted scalar", start_mark,
                                          "found unknown escape character");
            return false;
        }

        skip(parser);
        skip(parser);

        // Consume an arbitrary escape code.
        if (code_length > 0) {
          int64_t value = 0;  // Go's int is 64 bits: 8 hex digits must not overflow

          // Scan the character value.
          if (parser->unread < code_length && !yaml_parser_update_buffer(parser, code_length)) return false;
          for (int k = 0; k < code_length; k++) {
            if (!is_hex(parser->buffer, parser->buffer_pos + k)) {
              yaml_parser_set_scanner_error(parser, "while parsing a quoted scalar", start_mark,
                                            "did not find expected hexdecimal number");
              return false;
            }
            value = (value << 4) + as_hex(parser->buffer, parser->buffer_pos + k);
          }

          // Check the value and write the character.
          if ((value >= 0xD800 && value <= 0xDFFF) || value > 0x10FFFF) {
            yaml_parser_set_scanner_error(parser, "while parsing a quoted scalar", start_mark,
                                          "found invalid Unicode character escape code");
            return false;
          }
          if (value <= 0x7F) {
            s.push_back(static_cast<char>(value));
          } else if (value <= 0x7FF) {
            s.push_back(static_cast<char>(0xC0 + (value >> 6)));
            s.push_back(static_cast<char>(0x80 + (value & 0x3F)));
          } else if (value <= 0xFFFF) {
            s.push_back(static_cast<char>(0xE0 + (value >> 12)));
            s.push_back(static_cast<char>(0x80 + ((value >> 6) & 0x3F)));
            s.push_back(static_cast<char>(0x80 + (value & 0x3F)));
          } else {
            s.push_back(static_cast<char>(0xF0 + (value >> 18)));
            s.push_back(static_cast<char>(0x80 + ((value >> 12) & 0x3F)));
            s.push_back(static_cast<char>(0x80 + ((value >> 6) & 0x3F)));
            s.push_back(static_cast<char>(0x80 + (value & 0x3F)));
          }

          // Advance the pointer.
          for (int k = 0; k < code_length; k++) skip(parser);
        }
      } else {
        // It is a non-escaped non-blank character.
        read(parser, s);
      }
      if (parser->unread < 2 && !yaml_parser_update_buffer(parser, 2)) return false;
    }

    if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;

    // Check if we are at the end of the scalar.
    if (single) {
      if (at(parser) == '\'') break;
    } else {
      if (at(parser) == '"') break;
    }

    // Consume blank characters.
    while (is_blank(parser->buffer, parser->buffer_pos) || is_break(parser->buffer, parser->buffer_pos)) {
      if (is_blank(parser->buffer, parser->buffer_pos)) {
        // Consume a space or a tab character.
        if (!leading_blanks) {
          read(parser, whitespaces);
        } else {
          skip(parser);
        }
      } else {
        if (parser->unread < 2 && !yaml_parser_update_buffer(parser, 2)) return false;

        // Check if it is a first line break.
        if (!leading_blanks) {
          whitespaces.clear();
          read_line(parser, leading_break);
          leading_blanks = true;
        } else {
          read_line(parser, trailing_breaks);
        }
      }
      if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
    }

    // Join the whitespaces or fold line breaks.
    if (leading_blanks) {
      // Do we need to fold line breaks?
      if (!leading_break.empty() && leading_break[0] == '\n') {
        if (trailing_breaks.empty()) {
          s.push_back(' ');
        } else {
          s.append(trailing_breaks);
        }
      } else {
        s.append(leading_break);
        s.append(trailing_breaks);
      }
      trailing_breaks.clear();
      leading_break.clear();
    } else {
      s.append(whitespaces);
      whitespaces.clear();
    }
  }

  // Eat the right quote.
  skip(parser);
  yaml_mark_t end_mark = parser->mark;

  // Create a token.
  *token = yaml_token_t{};
  token->typ = yaml_SCALAR_TOKEN;
  token->start_mark = start_mark;
  token->end_mark = end_mark;
  token->value = s;
  token->style = yaml_SINGLE_QUOTED_SCALAR_STYLE;
  if (!single) token->style = yaml_DOUBLE_QUOTED_SCALAR_STYLE;
  return true;
}

// Scan a plain scalar.
bool yaml_parser_scan_plain_scalar(yaml_parser_t* parser, yaml_token_t* token) {
  std::string s, leading_break, trailing_breaks, whitespaces;
  bool leading_blanks = false;
  int indent = parser->indent + 1;

  yaml_mark_t start_mark = parser->mark;
  yaml_mark_t end_mark = parser->mark;

  // Consume the content of the plain scalar.
  for (;;) {
    // Check for a document indicator.
    if (parser->unread < 4 && !yaml_parser_update_buffer(parser, 4)) return false;
    if (parser->mark.column == 0 &&
        ((at(parser, 0) == '-' && at(parser, 1) == '-' && at(parser, 2) == '-') ||
         (at(parser, 0) == '.' && at(parser, 1) == '.' && at(parser, 2) == '.')) &&
        is_blankz(parser->buffer, parser->buffer_pos + 3)) {
      break;
    }

    // Check for a comment.
    if (at(parser) == '#') break;

    // Consume non-blank characters.
    while (!is_blankz(parser->buffer, parser->buffer_pos)) {
      // Check for indicators that may end a plain scalar.
      if ((at(parser) == ':' && is_blankz(parser->buffer, parser->buffer_pos + 1)) ||
          (parser->flow_level > 0 && (at(parser) == ',' || at(parser) == '?' || at(parser) == '[' ||
                                      at(parser) == ']' || at(parser) == '{' || at(parser) == '}'))) {
        break;
      }

      // Check if we need to join whitespaces and breaks.
      if (leading_blanks || !whitespaces.empty()) {
        if (leading_blanks) {
          // Do we need to fold line breaks?
          if (byte_at(leading_break, 0) == '\n') {
            if (trailing_breaks.empty()) {
              s.push_back(' ');
            } else {
              s.append(trailing_breaks);
            }
          } else {
            s.append(leading_break);
            s.append(trailing_breaks);
          }
          trailing_breaks.clear();
          leading_break.clear();
          leading_blanks = false;
        } else {
          s.append(whitespaces);
          whitespaces.clear();
        }
      }

      // Copy the character.
      read(parser, s);

      end_mark = parser->mark;
      if (parser->unread < 2 && !yaml_parser_update_buffer(parser, 2)) return false;
    }

    // Is it the end?
    if (!(is_blank(parser->buffer, parser->buffer_pos) || is_break(parser->buffer, parser->buffer_pos))) break;

    // Consume blank characters.
    if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;

    while (is_blank(parser->buffer, parser->buffer_pos) || is_break(parser->buffer, parser->buffer_pos)) {
      if (is_blank(parser->buffer, parser->buffer_pos)) {
        // Check for tab characters that abuse indentation.
        if (leading_blanks && parser->mark.column < indent && is_tab(parser->buffer, parser->buffer_pos)) {
          yaml_parser_set_scanner_error(parser, "while scanning a plain scalar", start_mark,
                                        "found a tab character that violates indentation");
          return false;
        }

        // Consume a space or a tab character.
        if (!leading_blanks) {
          read(parser, whitespaces);
        } else {
          skip(parser);
        }
      } else {
        if (parser->unread < 2 && !yaml_parser_update_buffer(parser, 2)) return false;

        // Check if it is a first line break.
        if (!leading_blanks) {
          whitespaces.clear();
          read_line(parser, leading_break);
          leading_blanks = true;
        } else {
          read_line(parser, trailing_breaks);
        }
      }
      if (parser->unread < 1 && !yaml_parser_update_buffer(parser, 1)) return false;
    }

    // Check indentation level.
    if (parser->flow_level == 0 && parser->mark.column < indent) break;
  }

  // Create a token.
  *token = yaml_token_t{};
  token->typ = yaml_SCALAR_TOKEN;
  token->start_mark = start_mark;
  token->end_mark = end_mark;
  token->value = s;
  token->style = yaml_PLAIN_SCALAR_STYLE;

  // Note that we change the 'simple_key_allowed' flag.
  if (leading_blanks) parser->simple_key_allowed = true;
  return true;
}

}  // namespace capstan::goyaml
