// The types of the go-yaml v2 reader, scanner and parser (no emitter), and the prototypes of the functions that
// api.cc, reader.cc, scanner.cc and parser.cc define.
// Port of go-yaml v2.4.0 as vendored in sigs.k8s.io/yaml v1.4.0 goyaml.v2/yamlh.go (MIT license, derived from
// libyaml; see lib/goyaml/LICENSE.go-yaml).
//
// Naming: every Go identifier keeps its exact name and case. Go enums are plain unscoped C++ enums with the same
// values; []byte is std::string; slices of structs are std::vector; Go's String() methods on enums are
// to_string() overloads. The read handler is replaced by the in-memory input string (`read_handler` is a flag
// saying whether yaml_parser_set_input_string was called). A Go `*yaml_version_directive_t` field is a
// std::optional (nil is std::nullopt). The dumper's yaml_document_t and the node types are not ported.
//
// Pointer stability: `parser.tokens` is a std::vector; yaml_insert_token may reallocate it or shift its
// elements, so a `yaml_token_t*` from peek_token is only valid until the next call that can fetch tokens
// (Go keeps an old backing array alive; C++ does not). Copy what you need before peeking again.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace capstan::goyaml {

// The version directive data.
struct yaml_version_directive_t {
  int8_t major = 0;  // The major version number.
  int8_t minor = 0;  // The minor version number.
};

// The tag directive data.
struct yaml_tag_directive_t {
  std::string handle;  // The tag handle.
  std::string prefix;  // The tag prefix.
};

// The stream encoding.
enum yaml_encoding_t : int {
  // Let the parser choose the encoding.
  yaml_ANY_ENCODING = 0,

  yaml_UTF8_ENCODING,     // The default UTF-8 encoding.
  yaml_UTF16LE_ENCODING,  // The UTF-16-LE encoding with BOM.
  yaml_UTF16BE_ENCODING,  // The UTF-16-BE encoding with BOM.
};

// Line break types.
enum yaml_break_t : int {
  // Let the parser choose the break type.
  yaml_ANY_BREAK = 0,

  yaml_CR_BREAK,    // Use CR for line breaks (Mac style).
  yaml_LN_BREAK,    // Use LN for line breaks (Unix style).
  yaml_CRLN_BREAK,  // Use CR LN for line breaks (DOS style).
};

// Many bad things could happen with the parser and emitter.
enum yaml_error_type_t : int {
  // No error is produced.
  yaml_NO_ERROR = 0,

  yaml_MEMORY_ERROR,    // Cannot allocate or reallocate a block of memory.
  yaml_READER_ERROR,    // Cannot read or decode the input stream.
  yaml_SCANNER_ERROR,   // Cannot scan the input stream.
  yaml_PARSER_ERROR,    // Cannot parse the input stream.
  yaml_COMPOSER_ERROR,  // Cannot compose a YAML document.
  yaml_WRITER_ERROR,    // Cannot write to the output stream.
  yaml_EMITTER_ERROR,   // Cannot emit a YAML stream.
};

// The pointer position.
struct yaml_mark_t {
  int index = 0;   // The position index.
  int line = 0;    // The position line.
  int column = 0;  // The position column.
};

// Node Styles

using yaml_style_t = int8_t;

// Scalar styles.
enum yaml_scalar_style_t : int8_t {
  // Let the emitter choose the style.
  yaml_ANY_SCALAR_STYLE = 0,

  yaml_PLAIN_SCALAR_STYLE,          // The plain scalar style.
  yaml_SINGLE_QUOTED_SCALAR_STYLE,  // The single-quoted scalar style.
  yaml_DOUBLE_QUOTED_SCALAR_STYLE,  // The double-quoted scalar style.
  yaml_LITERAL_SCALAR_STYLE,        // The literal scalar style.
  yaml_FOLDED_SCALAR_STYLE,         // The folded scalar style.
};

// Sequence styles.
enum yaml_sequence_style_t : int8_t {
  // Let the emitter choose the style.
  yaml_ANY_SEQUENCE_STYLE = 0,

  yaml_BLOCK_SEQUENCE_STYLE,  // The block sequence style.
  yaml_FLOW_SEQUENCE_STYLE,   // The flow sequence style.
};

// Mapping styles.
enum yaml_mapping_style_t : int8_t {
  // Let the emitter choose the style.
  yaml_ANY_MAPPING_STYLE = 0,

  yaml_BLOCK_MAPPING_STYLE,  // The block mapping style.
  yaml_FLOW_MAPPING_STYLE,   // The flow mapping style.
};

// Tokens

// Token types.
enum yaml_token_type_t : int {
  // An empty token.
  yaml_NO_TOKEN = 0,

  yaml_STREAM_START_TOKEN,  // A STREAM-START token.
  yaml_STREAM_END_TOKEN,    // A STREAM-END token.

  yaml_VERSION_DIRECTIVE_TOKEN,  // A VERSION-DIRECTIVE token.
  yaml_TAG_DIRECTIVE_TOKEN,      // A TAG-DIRECTIVE token.
  yaml_DOCUMENT_START_TOKEN,     // A DOCUMENT-START token.
  yaml_DOCUMENT_END_TOKEN,       // A DOCUMENT-END token.

  yaml_BLOCK_SEQUENCE_START_TOKEN,  // A BLOCK-SEQUENCE-START token.
  yaml_BLOCK_MAPPING_START_TOKEN,   // A BLOCK-SEQUENCE-END token.
  yaml_BLOCK_END_TOKEN,             // A BLOCK-END token.

  yaml_FLOW_SEQUENCE_START_TOKEN,  // A FLOW-SEQUENCE-START token.
  yaml_FLOW_SEQUENCE_END_TOKEN,    // A FLOW-SEQUENCE-END token.
  yaml_FLOW_MAPPING_START_TOKEN,   // A FLOW-MAPPING-START token.
  yaml_FLOW_MAPPING_END_TOKEN,     // A FLOW-MAPPING-END token.

  yaml_BLOCK_ENTRY_TOKEN,  // A BLOCK-ENTRY token.
  yaml_FLOW_ENTRY_TOKEN,   // A FLOW-ENTRY token.
  yaml_KEY_TOKEN,          // A KEY token.
  yaml_VALUE_TOKEN,        // A VALUE token.

  yaml_ALIAS_TOKEN,   // An ALIAS token.
  yaml_ANCHOR_TOKEN,  // An ANCHOR token.
  yaml_TAG_TOKEN,     // A TAG token.
  yaml_SCALAR_TOKEN,  // A SCALAR token.
};

// Go: func (tt yaml_token_type_t) String() string ("yaml_STREAM_START_TOKEN", ..., "<unknown token>").
std::string to_string(yaml_token_type_t tt);

// The token structure.
struct yaml_token_t {
  // The token type.
  yaml_token_type_t typ = yaml_NO_TOKEN;

  // The start/end of the token.
  yaml_mark_t start_mark, end_mark;

  // The stream encoding (for yaml_STREAM_START_TOKEN).
  yaml_encoding_t encoding = yaml_ANY_ENCODING;

  // The alias/anchor/scalar value or tag/tag directive handle
  // (for yaml_ALIAS_TOKEN, yaml_ANCHOR_TOKEN, yaml_SCALAR_TOKEN, yaml_TAG_TOKEN, yaml_TAG_DIRECTIVE_TOKEN).
  std::string value;

  // The tag suffix (for yaml_TAG_TOKEN).
  std::string suffix;

  // The tag directive prefix (for yaml_TAG_DIRECTIVE_TOKEN).
  std::string prefix;

  // The scalar style (for yaml_SCALAR_TOKEN).
  yaml_scalar_style_t style = yaml_ANY_SCALAR_STYLE;

  // The version directive major/minor (for yaml_VERSION_DIRECTIVE_TOKEN).
  int8_t major = 0, minor = 0;
};

// Events

// Event types.
enum yaml_event_type_t : int8_t {
  // An empty event.
  yaml_NO_EVENT = 0,

  yaml_STREAM_START_EVENT,    // A STREAM-START event.
  yaml_STREAM_END_EVENT,      // A STREAM-END event.
  yaml_DOCUMENT_START_EVENT,  // A DOCUMENT-START event.
  yaml_DOCUMENT_END_EVENT,    // A DOCUMENT-END event.
  yaml_ALIAS_EVENT,           // An ALIAS event.
  yaml_SCALAR_EVENT,          // A SCALAR event.
  yaml_SEQUENCE_START_EVENT,  // A SEQUENCE-START event.
  yaml_SEQUENCE_END_EVENT,    // A SEQUENCE-END event.
  yaml_MAPPING_START_EVENT,   // A MAPPING-START event.
  yaml_MAPPING_END_EVENT,     // A MAPPING-END event.
};

// Go: func (e yaml_event_type_t) String() string ("none", "stream start", ..., "unknown event %d").
std::string to_string(yaml_event_type_t e);

// The event structure.
struct yaml_event_t {
  // The event type.
  yaml_event_type_t typ = yaml_NO_EVENT;

  // The start and end of the event.
  yaml_mark_t start_mark, end_mark;

  // The document encoding (for yaml_STREAM_START_EVENT).
  yaml_encoding_t encoding = yaml_ANY_ENCODING;

  // The version directive (for yaml_DOCUMENT_START_EVENT). Go: *yaml_version_directive_t (nil = nullopt).
  std::optional<yaml_version_directive_t> version_directive;

  // The list of tag directives (for yaml_DOCUMENT_START_EVENT).
  std::vector<yaml_tag_directive_t> tag_directives;

  // The anchor (for yaml_SCALAR_EVENT, yaml_SEQUENCE_START_EVENT, yaml_MAPPING_START_EVENT, yaml_ALIAS_EVENT).
  std::string anchor;

  // The tag (for yaml_SCALAR_EVENT, yaml_SEQUENCE_START_EVENT, yaml_MAPPING_START_EVENT).
  std::string tag;

  // The scalar value (for yaml_SCALAR_EVENT).
  std::string value;

  // Is the document start/end indicator implicit, or the tag optional?
  // (for yaml_DOCUMENT_START_EVENT, yaml_DOCUMENT_END_EVENT, yaml_SEQUENCE_START_EVENT, yaml_MAPPING_START_EVENT,
  // yaml_SCALAR_EVENT).
  bool implicit = false;

  // Is the tag optional for any non-plain style? (for yaml_SCALAR_EVENT).
  bool quoted_implicit = false;

  // The style (for yaml_SCALAR_EVENT, yaml_SEQUENCE_START_EVENT, yaml_MAPPING_START_EVENT).
  yaml_style_t style = 0;

  yaml_scalar_style_t scalar_style() const { return static_cast<yaml_scalar_style_t>(style); }
  yaml_sequence_style_t sequence_style() const { return static_cast<yaml_sequence_style_t>(style); }
  yaml_mapping_style_t mapping_style() const { return static_cast<yaml_mapping_style_t>(style); }
};

// Nodes

inline constexpr const char* yaml_NULL_TAG = "tag:yaml.org,2002:null";  // The tag !!null with the only possible value: null.
inline constexpr const char* yaml_BOOL_TAG = "tag:yaml.org,2002:bool";  // The tag !!bool with the values: true and false.
inline constexpr const char* yaml_STR_TAG = "tag:yaml.org,2002:str";    // The tag !!str for string values.
inline constexpr const char* yaml_INT_TAG = "tag:yaml.org,2002:int";    // The tag !!int for integer values.
inline constexpr const char* yaml_FLOAT_TAG = "tag:yaml.org,2002:float";  // The tag !!float for float values.
inline constexpr const char* yaml_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp";  // !!timestamp: date and time.

inline constexpr const char* yaml_SEQ_TAG = "tag:yaml.org,2002:seq";  // The tag !!seq is used to denote sequences.
inline constexpr const char* yaml_MAP_TAG = "tag:yaml.org,2002:map";  // The tag !!map is used to denote mapping.

// Not in original libyaml.
inline constexpr const char* yaml_BINARY_TAG = "tag:yaml.org,2002:binary";
inline constexpr const char* yaml_MERGE_TAG = "tag:yaml.org,2002:merge";

inline constexpr const char* yaml_DEFAULT_SCALAR_TAG = yaml_STR_TAG;    // The default scalar tag is !!str.
inline constexpr const char* yaml_DEFAULT_SEQUENCE_TAG = yaml_SEQ_TAG;  // The default sequence tag is !!seq.
inline constexpr const char* yaml_DEFAULT_MAPPING_TAG = yaml_MAP_TAG;   // The default mapping tag is !!map.

// This structure holds information about a potential simple key.
struct yaml_simple_key_t {
  bool possible = false;  // Is a simple key possible?
  bool required = false;  // Is a simple key required?
  int token_number = 0;   // The number of the token.
  yaml_mark_t mark;       // The position mark.
};

// The states of the parser.
enum yaml_parser_state_t : int {
  yaml_PARSE_STREAM_START_STATE = 0,

  yaml_PARSE_IMPLICIT_DOCUMENT_START_STATE,            // Expect the beginning of an implicit document.
  yaml_PARSE_DOCUMENT_START_STATE,                     // Expect DOCUMENT-START.
  yaml_PARSE_DOCUMENT_CONTENT_STATE,                   // Expect the content of a document.
  yaml_PARSE_DOCUMENT_END_STATE,                       // Expect DOCUMENT-END.
  yaml_PARSE_BLOCK_NODE_STATE,                         // Expect a block node.
  yaml_PARSE_BLOCK_NODE_OR_INDENTLESS_SEQUENCE_STATE,  // Expect a block node or indentless sequence.
  yaml_PARSE_FLOW_NODE_STATE,                          // Expect a flow node.
  yaml_PARSE_BLOCK_SEQUENCE_FIRST_ENTRY_STATE,         // Expect the first entry of a block sequence.
  yaml_PARSE_BLOCK_SEQUENCE_ENTRY_STATE,               // Expect an entry of a block sequence.
  yaml_PARSE_INDENTLESS_SEQUENCE_ENTRY_STATE,          // Expect an entry of an indentless sequence.
  yaml_PARSE_BLOCK_MAPPING_FIRST_KEY_STATE,            // Expect the first key of a block mapping.
  yaml_PARSE_BLOCK_MAPPING_KEY_STATE,                  // Expect a block mapping key.
  yaml_PARSE_BLOCK_MAPPING_VALUE_STATE,                // Expect a block mapping value.
  yaml_PARSE_FLOW_SEQUENCE_FIRST_ENTRY_STATE,          // Expect the first entry of a flow sequence.
  yaml_PARSE_FLOW_SEQUENCE_ENTRY_STATE,                // Expect an entry of a flow sequence.
  yaml_PARSE_FLOW_SEQUENCE_ENTRY_MAPPING_KEY_STATE,    // Expect a key of an ordered mapping.
  yaml_PARSE_FLOW_SEQUENCE_ENTRY_MAPPING_VALUE_STATE,  // Expect a value of an ordered mapping.
  yaml_PARSE_FLOW_SEQUENCE_ENTRY_MAPPING_END_STATE,    // Expect the and of an ordered mapping entry.
  yaml_PARSE_FLOW_MAPPING_FIRST_KEY_STATE,             // Expect the first key of a flow mapping.
  yaml_PARSE_FLOW_MAPPING_KEY_STATE,                   // Expect a key of a flow mapping.
  yaml_PARSE_FLOW_MAPPING_VALUE_STATE,                 // Expect a value of a flow mapping.
  yaml_PARSE_FLOW_MAPPING_EMPTY_VALUE_STATE,           // Expect an empty value of a flow mapping.
  yaml_PARSE_END_STATE,                                // Expect nothing.
};

// Go: func (ps yaml_parser_state_t) String() string ("yaml_PARSE_STREAM_START_STATE", ...,
// "<unknown parser state>").
std::string to_string(yaml_parser_state_t ps);

// This structure holds aliases data.
struct yaml_alias_data_t {
  std::string anchor;  // The anchor.
  int index = 0;       // The node id.
  yaml_mark_t mark;    // The anchor mark.
};

// The parser structure.
//
// All members are internal. Manage the structure using the
// yaml_parser_ family of functions.
struct yaml_parser_t {
  // Error handling

  yaml_error_type_t error = yaml_NO_ERROR;  // Error type.

  std::string problem;  // Error description.

  // The byte about which the problem occurred.
  int problem_offset = 0;
  int problem_value = 0;
  yaml_mark_t problem_mark;

  // The error context.
  std::string context;
  yaml_mark_t context_mark;

  // Reader stuff

  // Go: read_handler yaml_read_handler_t. Here: has an input been set? (the only handler is the string one).
  bool read_handler = false;

  std::string input;  // String input data.
  int input_pos = 0;

  bool eof = false;  // EOF flag

  std::string buffer;  // The working buffer.
  int buffer_pos = 0;  // The current position of the buffer.

  int unread = 0;  // The number of unread characters in the buffer.

  std::string raw_buffer;  // The raw buffer.
  int raw_buffer_pos = 0;  // The current position of the buffer.

  yaml_encoding_t encoding = yaml_ANY_ENCODING;  // The input encoding.

  int offset = 0;    // The offset of the current position (in bytes).
  yaml_mark_t mark;  // The mark of the current position.

  // Scanner stuff

  bool stream_start_produced = false;  // Have we started to scan the input stream?
  bool stream_end_produced = false;    // Have we reached the end of the input stream?

  int flow_level = 0;  // The number of unclosed '[' and '{' indicators.

  std::vector<yaml_token_t> tokens;  // The tokens queue.
  int tokens_head = 0;               // The head of the tokens queue.
  int tokens_parsed = 0;             // The number of tokens fetched from the queue.
  bool token_available = false;      // Does the tokens queue contain a token ready for dequeueing.

  int indent = 0;            // The current indentation level.
  std::vector<int> indents;  // The indentation levels stack.

  bool simple_key_allowed = false;              // May a simple key occur at the current position?
  std::vector<yaml_simple_key_t> simple_keys;   // The stack of simple keys.
  std::map<int, int> simple_keys_by_tok;        // possible simple_key indexes indexed by token_number

  // Parser stuff

  yaml_parser_state_t state = yaml_PARSE_STREAM_START_STATE;  // The current parser state.
  std::vector<yaml_parser_state_t> states;                     // The parser states stack.
  std::vector<yaml_mark_t> marks;                              // The stack of marks.
  std::vector<yaml_tag_directive_t> tag_directives;            // The list of TAG directives.

  // Dumper stuff

  std::vector<yaml_alias_data_t> aliases;  // The alias data.
};

// ---- api.cc (apic.go) ------------------------------------------------------------------------------------------

void yaml_insert_token(yaml_parser_t* parser, int pos, yaml_token_t* token);
// Create a new parser object.
bool yaml_parser_initialize(yaml_parser_t* parser);
// Destroy a parser object.
void yaml_parser_delete(yaml_parser_t* parser);
// Set a string input. Throws capstan::Error where Go panics ("must set the input source only once").
void yaml_parser_set_input_string(yaml_parser_t* parser, const std::string& input);
// Set the source encoding. Throws capstan::Error where Go panics ("must set the encoding only once").
void yaml_parser_set_encoding(yaml_parser_t* parser, yaml_encoding_t encoding);

void yaml_stream_start_event_initialize(yaml_event_t* event, yaml_encoding_t encoding);
void yaml_stream_end_event_initialize(yaml_event_t* event);
void yaml_document_start_event_initialize(yaml_event_t* event,
                                          std::optional<yaml_version_directive_t> version_directive,
                                          std::vector<yaml_tag_directive_t> tag_directives, bool implicit);
void yaml_document_end_event_initialize(yaml_event_t* event, bool implicit);
bool yaml_scalar_event_initialize(yaml_event_t* event, const std::string& anchor, const std::string& tag,
                                  const std::string& value, bool plain_implicit, bool quoted_implicit,
                                  yaml_scalar_style_t style);
bool yaml_sequence_start_event_initialize(yaml_event_t* event, const std::string& anchor, const std::string& tag,
                                          bool implicit, yaml_sequence_style_t style);
bool yaml_sequence_end_event_initialize(yaml_event_t* event);
void yaml_mapping_start_event_initialize(yaml_event_t* event, const std::string& anchor, const std::string& tag,
                                         bool implicit, yaml_mapping_style_t style);
void yaml_mapping_end_event_initialize(yaml_event_t* event);
void yaml_event_delete(yaml_event_t* event);

// ---- reader.cc (readerc.go) ------------------------------------------------------------------------------------

bool yaml_parser_set_reader_error(yaml_parser_t* parser, const std::string& problem, int offset, int value);
bool yaml_parser_determine_encoding(yaml_parser_t* parser);
bool yaml_parser_update_raw_buffer(yaml_parser_t* parser);
// Ensure that the buffer contains at least `length` characters (padded with NULs at the end of the input).
bool yaml_parser_update_buffer(yaml_parser_t* parser, int length);

// ---- scanner.cc (scannerc.go) ----------------------------------------------------------------------------------

// Get the next token.
bool yaml_parser_scan(yaml_parser_t* parser, yaml_token_t* token);
bool yaml_parser_set_scanner_error(yaml_parser_t* parser, const std::string& context, yaml_mark_t context_mark,
                                   const std::string& problem);
bool yaml_parser_set_scanner_tag_error(yaml_parser_t* parser, bool directive, yaml_mark_t context_mark,
                                       const std::string& problem);
// Ensure that the tokens queue contains at least one token which can be returned to the Parser.
bool yaml_parser_fetch_more_tokens(yaml_parser_t* parser);
bool yaml_parser_fetch_next_token(yaml_parser_t* parser);
// Go returns (valid, ok bool): `auto [valid, ok] = yaml_simple_key_is_valid(parser, simple_key);`
std::pair<bool, bool> yaml_simple_key_is_valid(yaml_parser_t* parser, yaml_simple_key_t* simple_key);
bool yaml_parser_save_simple_key(yaml_parser_t* parser);
bool yaml_parser_remove_simple_key(yaml_parser_t* parser);
bool yaml_parser_increase_flow_level(yaml_parser_t* parser);
bool yaml_parser_decrease_flow_level(yaml_parser_t* parser);
bool yaml_parser_roll_indent(yaml_parser_t* parser, int column, int number, yaml_token_type_t typ, yaml_mark_t mark);
bool yaml_parser_unroll_indent(yaml_parser_t* parser, int column);
bool yaml_parser_fetch_stream_start(yaml_parser_t* parser);
bool yaml_parser_fetch_stream_end(yaml_parser_t* parser);
bool yaml_parser_fetch_directive(yaml_parser_t* parser);
bool yaml_parser_fetch_document_indicator(yaml_parser_t* parser, yaml_token_type_t typ);
bool yaml_parser_fetch_flow_collection_start(yaml_parser_t* parser, yaml_token_type_t typ);
bool yaml_parser_fetch_flow_collection_end(yaml_parser_t* parser, yaml_token_type_t typ);
bool yaml_parser_fetch_flow_entry(yaml_parser_t* parser);
bool yaml_parser_fetch_block_entry(yaml_parser_t* parser);
bool yaml_parser_fetch_key(yaml_parser_t* parser);
bool yaml_parser_fetch_value(yaml_parser_t* parser);
bool yaml_parser_fetch_anchor(yaml_parser_t* parser, yaml_token_type_t typ);
bool yaml_parser_fetch_tag(yaml_parser_t* parser);
bool yaml_parser_fetch_block_scalar(yaml_parser_t* parser, bool literal);
bool yaml_parser_fetch_flow_scalar(yaml_parser_t* parser, bool single);
bool yaml_parser_fetch_plain_scalar(yaml_parser_t* parser);
bool yaml_parser_scan_to_next_token(yaml_parser_t* parser);
bool yaml_parser_scan_directive(yaml_parser_t* parser, yaml_token_t* token);
bool yaml_parser_scan_directive_name(yaml_parser_t* parser, yaml_mark_t start_mark, std::string* name);
bool yaml_parser_scan_version_directive_value(yaml_parser_t* parser, yaml_mark_t start_mark, int8_t* major,
                                              int8_t* minor);
bool yaml_parser_scan_version_directive_number(yaml_parser_t* parser, yaml_mark_t start_mark, int8_t* number);
bool yaml_parser_scan_tag_directive_value(yaml_parser_t* parser, yaml_mark_t start_mark, std::string* handle,
                                          std::string* prefix);
bool yaml_parser_scan_anchor(yaml_parser_t* parser, yaml_token_t* token, yaml_token_type_t typ);
bool yaml_parser_scan_tag(yaml_parser_t* parser, yaml_token_t* token);
bool yaml_parser_scan_tag_handle(yaml_parser_t* parser, bool directive, yaml_mark_t start_mark, std::string* handle);
bool yaml_parser_scan_tag_uri(yaml_parser_t* parser, bool directive, const std::string& head, yaml_mark_t start_mark,
                              std::string* uri);
bool yaml_parser_scan_uri_escapes(yaml_parser_t* parser, bool directive, yaml_mark_t start_mark, std::string* s);
bool yaml_parser_scan_block_scalar(yaml_parser_t* parser, yaml_token_t* token, bool literal);
bool yaml_parser_scan_block_scalar_breaks(yaml_parser_t* parser, int* indent, std::string* breaks,
                                          yaml_mark_t start_mark, yaml_mark_t* end_mark);
bool yaml_parser_scan_flow_scalar(yaml_parser_t* parser, yaml_token_t* token, bool single);
bool yaml_parser_scan_plain_scalar(yaml_parser_t* parser, yaml_token_t* token);

// ---- parser.cc (parserc.go, written by the parse helper) -------------------------------------------------------

// Get the next event.
bool yaml_parser_parse(yaml_parser_t* parser, yaml_event_t* event);

}  // namespace capstan::goyaml
