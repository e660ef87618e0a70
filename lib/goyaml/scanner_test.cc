#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "goyaml/yamlh.h"
#include "goyaml/yamlprivateh.h"

using namespace capstan::goyaml;

// Expected tokens, marks and errors are derived by hand from go-yaml v2.4.0's scannerc.go/readerc.go (no Go
// toolchain here); marks are written line:column, 0-based as go-yaml stores them (its messages add 1 to the line).
namespace {

std::string mark(const yaml_mark_t& m) { return std::to_string(m.line) + ":" + std::to_string(m.column); }

std::string describe(const yaml_token_t& t) {
  std::string name = to_string(t.typ);                // yaml_SCALAR_TOKEN
  name = name.substr(5, name.size() - 5 - 6);        // SCALAR
  std::string s = name;
  switch (t.typ) {
    case yaml_SCALAR_TOKEN: {
      const char* styles[] = {"any", "plain", "single", "double", "literal", "folded"};
      s += std::string(" ") + styles[t.style] + " '" + t.value + "'";
      break;
    }
    case yaml_ALIAS_TOKEN:
    case yaml_ANCHOR_TOKEN: s += " '" + t.value + "'"; break;
    case yaml_TAG_TOKEN: s += " '" + t.value + "' '" + t.suffix + "'"; break;
    case yaml_TAG_DIRECTIVE_TOKEN: s += " '" + t.value + "' '" + t.prefix + "'"; break;
    case yaml_VERSION_DIRECTIVE_TOKEN: s += " " + std::to_string(t.major) + "." + std::to_string(t.minor); break;
    default: break;
  }
  if (t.start_mark.line == t.end_mark.line && t.start_mark.column == t.end_mark.column) {
    return s + " " + mark(t.start_mark);
  }
  return s + " " + mark(t.start_mark) + "-" + mark(t.end_mark);
}

struct Scanned {
  std::vector<std::string> tokens;
  std::vector<yaml_token_t> raw;
  yaml_parser_t parser;
  bool ok = true;
};

// Scans the whole input the way a consumer of yaml_parser_scan does: one token at a time.
Scanned scan(const std::string& input) {
  Scanned r;
  yaml_parser_initialize(&r.parser);
  yaml_parser_set_input_string(&r.parser, input);
  for (;;) {
    yaml_token_t token;
    if (!yaml_parser_scan(&r.parser, &token)) {
      r.ok = false;
      break;
    }
    r.tokens.push_back(describe(token));
    r.raw.push_back(token);
    if (token.typ == yaml_STREAM_END_TOKEN) break;
  }
  return r;
}

std::vector<std::string> tokens(const std::string& input) {
  Scanned r = scan(input);
  INFO(r.parser.problem);
  CHECK(r.ok);
  return r.tokens;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("goyaml scanner: block mapping with a nested block sequence") {
  CHECK(tokens("a: 1\nb:\n  - x\n  - y\n") == V{
                                                 "STREAM_START 0:0",
                                                 "BLOCK_MAPPING_START 0:0",
                                                 "KEY 0:0",
                                                 "SCALAR plain 'a' 0:0-0:1",
                                                 "VALUE 0:1-0:2",
                                                 "SCALAR plain '1' 0:3-0:4",
                                                 "KEY 1:0",
                                                 "SCALAR plain 'b' 1:0-1:1",
                                                 "VALUE 1:1-1:2",
                                                 "BLOCK_SEQUENCE_START 2:2",
                                                 "BLOCK_ENTRY 2:2-2:3",
                                                 "SCALAR plain 'x' 2:4-2:5",
                                                 "BLOCK_ENTRY 3:2-3:3",
                                                 "SCALAR plain 'y' 3:4-3:5",
                                                 "BLOCK_END 4:0",
                                                 "BLOCK_END 4:0",
                                                 "STREAM_END 4:0",
                                             });
  Scanned r = scan("a: 1\n");
  CHECK(r.raw[0].encoding == yaml_UTF8_ENCODING);
  CHECK(r.raw[3].start_mark.index == 0);
  CHECK(r.raw[5].end_mark.index == 4);
}

TEST_CASE("goyaml scanner: indentless sequence and multi-line plain scalars") {
  CHECK(tokens("k:\n- a\n  b\n\n  c\n- d\n") == V{
                                                    "STREAM_START 0:0",
                                                    "BLOCK_MAPPING_START 0:0",
                                                    "KEY 0:0",
                                                    "SCALAR plain 'k' 0:0-0:1",
                                                    "VALUE 0:1-0:2",
                                                    "BLOCK_ENTRY 1:0-1:1",
                                                    "SCALAR plain 'a b\nc' 1:2-4:3",
                                                    "BLOCK_ENTRY 5:0-5:1",
                                                    "SCALAR plain 'd' 5:2-5:3",
                                                    "BLOCK_END 6:0",
                                                    "STREAM_END 6:0",
                                                });
}

TEST_CASE("goyaml scanner: flow collections") {
  CHECK(tokens("{a: [1, 2], b: c}") == V{
                                           "STREAM_START 0:0",
                                           "FLOW_MAPPING_START 0:0-0:1",
                                           "KEY 0:1",
                                           "SCALAR plain 'a' 0:1-0:2",
                                           "VALUE 0:2-0:3",
                                           "FLOW_SEQUENCE_START 0:4-0:5",
                                           "SCALAR plain '1' 0:5-0:6",
                                           "FLOW_ENTRY 0:6-0:7",
                                           "SCALAR plain '2' 0:8-0:9",
                                           "FLOW_SEQUENCE_END 0:9-0:10",
                                           "FLOW_ENTRY 0:10-0:11",
                                           "KEY 0:12",
                                           "SCALAR plain 'b' 0:12-0:13",
                                           "VALUE 0:13-0:14",
                                           "SCALAR plain 'c' 0:15-0:16",
                                           "FLOW_MAPPING_END 0:16-0:17",
                                           "STREAM_END 1:0",
                                       });
  // go-yaml v2 ends a plain scalar at ':' only when a blank follows, in flow context too; tabs separate tokens
  // in flow context; '-' followed by a non-blank starts a plain scalar.
  CHECK(tokens("[a:b,\t-c, ? d]") == V{
                                         "STREAM_START 0:0",
                                         "FLOW_SEQUENCE_START 0:0-0:1",
                                         "SCALAR plain 'a:b' 0:1-0:4",
                                         "FLOW_ENTRY 0:4-0:5",
                                         "SCALAR plain '-c' 0:6-0:8",
                                         "FLOW_ENTRY 0:8-0:9",
                                         "KEY 0:10-0:11",
                                         "SCALAR plain 'd' 0:12-0:13",
                                         "FLOW_SEQUENCE_END 0:13-0:14",
                                         "STREAM_END 1:0",
                                     });
}

TEST_CASE("goyaml scanner: double-quoted escapes") {
  CHECK(tokens("\"\\x41\\u00e9\\U0001F600\"") == V{
                                                      "STREAM_START 0:0",
                                                      "SCALAR double 'A\xC3\xA9\xF0\x9F\x98\x80' 0:0-0:22",
                                                      "STREAM_END 1:0",
                                                  });
  Scanned r = scan("\"\\0\\a\\t\\\t\\N\\_\\L\\P\\/\"");
  // '\/' is not a go-yaml v2 escape.
  CHECK_FALSE(r.ok);
  CHECK(r.parser.problem == "found unknown escape character");
  CHECK(tokens("\"\\0\\a\\t\\\t\\e\\ \\\"\\'\\\\\\N\\_\\L\\P\"")[1] ==
        std::string("SCALAR double '") + std::string("\0\x07\t\t\x1b \"'\\", 9) +
            "\xC2\x85\xC2\xA0\xE2\x80\xA8\xE2\x80\xA9' 0:0-0:28");
  // Line folding and escaped line breaks.
  CHECK(tokens("\"a\n  b\n\n  c\"")[1] == "SCALAR double 'a b\nc' 0:0-3:4");
  CHECK(tokens("\"a \\\n  b\"")[1] == "SCALAR double 'a b' 0:0-1:4");
  CHECK(tokens("\"a\\\n  b\"")[1] == "SCALAR double 'ab' 0:0-1:4");
}

TEST_CASE("goyaml scanner: single quotes") {
  CHECK(tokens("'it''s'") == V{"STREAM_START 0:0", "SCALAR single 'it's' 0:0-0:7", "STREAM_END 1:0"});
  CHECK(tokens("'a\\n  b '")[1] == "SCALAR single 'a\\n  b ' 0:0-0:9");
}

TEST_CASE("goyaml scanner: block scalars") {
  CHECK(tokens("a: |\n  x\n  y\n\nb: >-\n  p\n  q\n\nc: |2+\n   z\n\n") == V{
                                                                                   "STREAM_START 0:0",
                                                                                   "BLOCK_MAPPING_START 0:0",
                                                                                   "KEY 0:0",
                                                                                   "SCALAR plain 'a' 0:0-0:1",
                                                                                   "VALUE 0:1-0:2",
                                                                                   "SCALAR literal 'x\ny\n' 0:3-4:0",
                                                                                   "KEY 4:0",
                                                                                   "SCALAR plain 'b' 4:0-4:1",
                                                                                   "VALUE 4:1-4:2",
                                                                                   "SCALAR folded 'p q' 4:3-8:0",
                                                                                   "KEY 8:0",
                                                                                   "SCALAR plain 'c' 8:0-8:1",
                                                                                   "VALUE 8:1-8:2",
                                                                                   "SCALAR literal ' z\n\n' 8:3-11:0",
                                                                                   "BLOCK_END 11:0",
                                                                                   "STREAM_END 11:0",
                                                                               });
  // Folding keeps more-indented lines and blank lines.
  CHECK(tokens(">\n a\n b\n\n  c\n d\n")[1] == "SCALAR folded 'a b\n\n c\nd\n' 0:0-6:0");
  // A block scalar that ends the input without a line break ends where the input does.
  CHECK(tokens("|\n x")[1] == "SCALAR literal 'x' 0:0-1:2");
}

TEST_CASE("goyaml scanner: anchors, aliases and tags") {
  CHECK(tokens("- &x !!str a\n- *x\n- !<tag:x> b\n- ! c\n- !e!f g\n- !foo h\n") == V{
                                                                                     "STREAM_START 0:0",
                                                                                     "BLOCK_SEQUENCE_START 0:0",
                                                                                     "BLOCK_ENTRY 0:0-0:1",
                                                                                     "ANCHOR 'x' 0:2-0:4",
                                                                                     "TAG '!!' 'str' 0:5-0:10",
                                                                                     "SCALAR plain 'a' 0:11-0:12",
                                                                                     "BLOCK_ENTRY 1:0-1:1",
                                                                                     "ALIAS 'x' 1:2-1:4",
                                                                                     "BLOCK_ENTRY 2:0-2:1",
                                                                                     "TAG '' 'tag:x' 2:2-2:10",
                                                                                     "SCALAR plain 'b' 2:11-2:12",
                                                                                     "BLOCK_ENTRY 3:0-3:1",
                                                                                     "TAG '' '!' 3:2-3:3",
                                                                                     "SCALAR plain 'c' 3:4-3:5",
                                                                                     "BLOCK_ENTRY 4:0-4:1",
                                                                                     "TAG '!e!' 'f' 4:2-4:6",
                                                                                     "SCALAR plain 'g' 4:7-4:8",
                                                                                     "BLOCK_ENTRY 5:0-5:1",
                                                                                     "TAG '!' 'foo' 5:2-5:6",
                                                                                     "SCALAR plain 'h' 5:7-5:8",
                                                                                     "BLOCK_END 6:0",
                                                                                     "STREAM_END 6:0",
                                                                                 });
  // URI escapes in tags.
  CHECK(tokens("!<tag:%C3%A9> x")[1] == "TAG '' 'tag:\xC3\xA9' 0:0-0:13");
}

TEST_CASE("goyaml scanner: directives and document markers") {
  CHECK(tokens("%YAML 1.1\n%TAG !e! tag:example.com,2000:\n--- a\n...\n") == V{
                                                                                 "STREAM_START 0:0",
                                                                                 "VERSION_DIRECTIVE 1.1 0:0-0:9",
                                                                                 "TAG_DIRECTIVE '!e!' "
                                                                                 "'tag:example.com,2000:' 1:0-1:30",
                                                                                 "DOCUMENT_START 2:0-2:3",
                                                                                 "SCALAR plain 'a' 2:4-2:5",
                                                                                 "DOCUMENT_END 3:0-3:3",
                                                                                 "STREAM_END 4:0",
                                                                             });
  // '---' inside a line is a plain scalar; '--- ' at column 0 ends a plain scalar.
  CHECK(tokens("a ---\n---\nb") == V{
                                        "STREAM_START 0:0",
                                        "SCALAR plain 'a ---' 0:0-0:5",
                                        "DOCUMENT_START 1:0-1:3",
                                        "SCALAR plain 'b' 2:0-2:1",
                                        "STREAM_END 3:0",
                                    });
}

TEST_CASE("goyaml scanner: comments") {
  CHECK(tokens("# c\na: b # t\n# d\n") == V{
                                               "STREAM_START 0:0",
                                               "BLOCK_MAPPING_START 1:0",
                                               "KEY 1:0",
                                               "SCALAR plain 'a' 1:0-1:1",
                                               "VALUE 1:1-1:2",
                                               "SCALAR plain 'b' 1:3-1:4",
                                               "BLOCK_END 3:0",
                                               "STREAM_END 3:0",
                                           });
  // '#' not preceded by a blank is part of a plain scalar.
  CHECK(tokens("a#b")[1] == "SCALAR plain 'a#b' 0:0-0:3");
}

TEST_CASE("goyaml scanner: tabs") {
  // A tab after a scalar, inside a scalar, or after a quoted scalar is fine.
  CHECK(tokens("a: b\t\n")[5] == "SCALAR plain 'b' 0:3-0:4");
  CHECK(tokens("a: b\tc\n")[5] == "SCALAR plain 'b\tc' 0:3-0:6");
  CHECK(tokens("'a'\t: b\n")[3] == "SCALAR single 'a' 0:0-0:3");
  CHECK(tokens("{a:\tb}")[5] == "SCALAR plain 'b' 0:4-0:5");
  // After the ':' of a simple key no simple key may follow, so the scanner eats tabs as separators there.
  CHECK(tokens("a:\tb\n")[5] == "SCALAR plain 'b' 0:3-0:4");
  CHECK(tokens("a: \tb\n")[5] == "SCALAR plain 'b' 0:4-0:5");

  // A tab where a simple key may start (indentation, after '- ', '? ', or the ':' of a complex key) cannot
  // start a token.
  for (const char* in : {"\ta: b\n", "- \tb\n", "?\ta\n", "? a\n:\tb\n", "a:\n\tb: c\n"}) {
    Scanned r = scan(in);
    INFO(in);
    CHECK_FALSE(r.ok);
    CHECK(r.parser.error == yaml_SCANNER_ERROR);
    CHECK(r.parser.context == "while scanning for the next token");
    CHECK(r.parser.problem == "found character that cannot start any token");
    CHECK(mark(r.parser.problem_mark) == mark(r.parser.context_mark));
  }
  CHECK(mark(scan("\ta: b\n").parser.problem_mark) == "0:0");
  CHECK(mark(scan("- \tb\n").parser.problem_mark) == "0:2");
  CHECK(mark(scan("a:\n\tb: c\n").parser.problem_mark) == "1:0");

  // A tab indenting the continuation line of a plain scalar.
  Scanned r = scan("a: b\n\tc\n");
  CHECK_FALSE(r.ok);
  CHECK(r.parser.context == "while scanning a plain scalar");
  CHECK(mark(r.parser.context_mark) == "0:3");
  CHECK(r.parser.problem == "found a tab character that violates indentation");
  CHECK(mark(r.parser.problem_mark) == "1:0");

  // A tab indenting a block scalar line.
  r = scan("a: |\n  x\n\ty\n");
  CHECK_FALSE(r.ok);
  CHECK(r.parser.context == "while scanning a block scalar");
  CHECK(r.parser.problem == "found a tab character where an indentation space is expected");
  CHECK(mark(r.parser.problem_mark) == "2:0");
}

TEST_CASE("goyaml scanner: scanner errors carry go-yaml's messages and marks") {
  struct Case {
    std::string input, context, context_mark, problem, problem_mark;
  };
  std::vector<Case> cases = {
      {"a: @b\n", "while scanning for the next token", "0:3", "found character that cannot start any token", "0:3"},
      {"a: `b\n", "while scanning for the next token", "0:3", "found character that cannot start any token", "0:3"},
      {"a: b: c\n", "", "0:4", "mapping values are not allowed in this context", "0:4"},
      {"a: - b\n", "", "0:3", "block sequence entries are not allowed in this context", "0:3"},
      {"a: 'x", "while scanning a quoted scalar", "0:3", "found unexpected end of stream", "0:5"},
      {"a: \"x\n", "while scanning a quoted scalar", "0:3", "found unexpected end of stream", "1:0"},
      {"\"a\n---\n\"", "while scanning a quoted scalar", "0:0", "found unexpected document indicator", "1:0"},
      {"\"\\q\"", "while parsing a quoted scalar", "0:0", "found unknown escape character", "0:1"},
      {"\"\\xZZ\"", "while parsing a quoted scalar", "0:0", "did not find expected hexdecimal number", "0:3"},
      {"\"\\uD800\"", "while parsing a quoted scalar", "0:0", "found invalid Unicode character escape code", "0:3"},
      {"\"\\UFFFFFFFF\"", "while parsing a quoted scalar", "0:0", "found invalid Unicode character escape code",
       "0:3"},
      {"a: 1\nb\n", "while scanning a simple key", "1:0", "could not find expected ':'", "2:0"},
      {"a: |0\n", "while scanning a block scalar", "0:3", "found an indentation indicator equal to 0", "0:4"},
      {"a: |x\n", "while scanning a block scalar", "0:3", "did not find expected comment or line break", "0:4"},
      {"&\n", "while scanning an anchor", "0:0", "did not find expected alphabetic or numeric character", "0:1"},
      {"*a.\n", "while scanning an alias", "0:0", "did not find expected alphabetic or numeric character", "0:2"},
      {"!<x\n", "while scanning a tag", "0:0", "did not find the expected '>'", "0:3"},
      {"!a!\n", "while parsing a tag", "0:0", "did not find expected tag URI", "0:3"},
      {"!<%ZZ>\n", "while parsing a tag", "0:0", "did not find URI escaped octet", "0:2"},
      {"!<%FF>\n", "while parsing a tag", "0:0", "found an incorrect leading UTF-8 octet", "0:2"},
      {"!x\"\n", "while scanning a tag", "0:0", "did not find expected whitespace or line break", "0:2"},
      {"%FOO\n", "while scanning a directive", "0:0", "found unknown directive name", "0:4"},
      {"%\n", "while scanning a directive", "0:0", "could not find expected directive name", "0:1"},
      {"%YAML 1\n", "while scanning a %YAML directive", "0:0", "did not find expected digit or '.' character",
       "0:7"},
      {"%YAML 123.1\n", "while scanning a %YAML directive", "0:0", "found extremely long version number", "0:8"},
      {"%YAML 1.1 x\n", "while scanning a directive", "0:0", "did not find expected comment or line break",
       "0:10"},
      {"%TAG !a tag:\n", "while parsing a %TAG directive", "0:0", "did not find expected '!'", "0:7"},
      {"%TAG !a! \n", "while parsing a %TAG directive", "0:0", "did not find expected tag URI", "0:9"},
  };
  for (const Case& c : cases) {
    INFO(c.input);
    Scanned r = scan(c.input);
    CHECK_FALSE(r.ok);
    CHECK(r.parser.error == yaml_SCANNER_ERROR);
    CHECK(r.parser.context == c.context);
    CHECK(mark(r.parser.context_mark) == c.context_mark);
    CHECK(r.parser.problem == c.problem);
    CHECK(mark(r.parser.problem_mark) == c.problem_mark);
  }
}

TEST_CASE("goyaml scanner: simple keys are limited to 1024 characters") {
  std::string key(1025, 'k');
  Scanned r = scan(key + ": v\n");
  CHECK_FALSE(r.ok);
  CHECK(r.parser.problem == "mapping values are not allowed in this context");
  CHECK(mark(r.parser.problem_mark) == "0:1025");
  CHECK(tokens(std::string(1024, 'k') + ": v\n")[3] == "SCALAR plain '" + std::string(1024, 'k') + "' 0:0-0:1024");
}

TEST_CASE("goyaml reader: encodings and BOMs") {
  V expected = {"STREAM_START 0:0",         "BLOCK_MAPPING_START 0:0", "KEY 0:0",   "SCALAR plain 'a' 0:0-0:1",
                "VALUE 0:1-0:2",            "SCALAR plain '\xC3\xA9' 0:3-0:4",        "BLOCK_END 1:0",
                "STREAM_END 1:0"};
  CHECK(tokens("\xEF\xBB\xBF" "a: \xC3\xA9") == expected);
  CHECK(tokens(std::string("\xFF\xFE" "a\0:\0 \0\xE9\0", 10)) == expected);
  CHECK(tokens(std::string("\xFE\xFF" "\0a\0:\0 \0\xE9", 10)) == expected);
  CHECK(scan(std::string("\xFF\xFE" "a\0", 4)).raw[0].encoding == yaml_UTF16LE_ENCODING);
  CHECK(scan(std::string("\xFE\xFF" "\0a", 4)).raw[0].encoding == yaml_UTF16BE_ENCODING);
  // A UTF-16 surrogate pair decodes to one 4-byte UTF-8 character.
  CHECK(tokens(std::string("\xFF\xFE" "\x3D\xD8\x00\xDE", 6))[1] == "SCALAR plain '\xF0\x9F\x98\x80' 0:0-0:1");

  // Multi-byte characters straddling the 512-byte raw buffer boundary.
  std::string long_value;
  for (int i = 0; i < 400; i++) long_value += "\xC3\xA9\xE2\x82\xAC";
  CHECK(tokens("v: " + long_value)[5] == "SCALAR plain '" + long_value + "' 0:3-0:803");
}

TEST_CASE("goyaml reader: invalid input carries go-yaml's reader errors") {
  struct Case {
    std::string input, problem;
    int offset, value;
  };
  std::vector<Case> cases = {
      {"a: \xFF\n", "invalid leading UTF-8 octet", 3, 0xFF},
      {"a: \xC3(\n", "invalid trailing UTF-8 octet", 4, '('},
      {"a: \xC0\x80\n", "invalid length of a UTF-8 sequence", 3, -1},
      {"a: \xED\xA0\x80\n", "invalid Unicode character", 3, 0xD800},
      {"a: \xF4\x90\x80\x80\n", "invalid Unicode character", 3, 0x110000},
      {"a: b\x01\n", "control characters are not allowed", 4, 1},
      {std::string("a: b\0", 5), "control characters are not allowed", 4, 0},
      {"a: \xEF\xBF\xBE", "control characters are not allowed", 3, 0xFFFE},
      {"a: \xC3", "incomplete UTF-8 octet sequence", 3, -1},
      {std::string("\xFF\xFE" "a", 3), "incomplete UTF-16 character", 2, -1},
      {std::string("\xFF\xFE" "\x00\xDC", 4), "unexpected low surrogate area", 2, 0xDC00},
      {std::string("\xFF\xFE" "\x00\xD8", 4), "incomplete UTF-16 surrogate pair", 2, -1},
      {std::string("\xFF\xFE" "\x00\xD8" "a\x00", 6), "expected low surrogate area", 4, 'a'},
  };
  for (const Case& c : cases) {
    INFO(c.problem);
    Scanned r = scan(c.input);
    CHECK_FALSE(r.ok);
    CHECK(r.parser.error == yaml_READER_ERROR);
    CHECK(r.parser.problem == c.problem);
    CHECK(r.parser.problem_offset == c.offset);
    CHECK(r.parser.problem_value == c.value);
  }
  // The reader decodes a whole raw buffer (512 bytes) at once: an error in the first chunk stops the scanner before
  // STREAM-START; a trailing incomplete sequence is only reported once the input is exhausted.
  CHECK(scan("a: \xFF").tokens.empty());
  CHECK(scan("a: \xC3").tokens == V{"STREAM_START 0:0"});
  Scanned late = scan(std::string(600, 'a') + "\xFF");
  CHECK(late.tokens == V{"STREAM_START 0:0"});
  CHECK(late.parser.problem_offset == 600);
}

TEST_CASE("goyaml scanner: an empty input and a lone scalar") {
  CHECK(tokens("") == V{"STREAM_START 0:0", "STREAM_END 0:0"});
  CHECK(tokens("x") == V{"STREAM_START 0:0", "SCALAR plain 'x' 0:0-0:1", "STREAM_END 1:0"});
  CHECK(tokens("a: b\r\nc: d\r\n")[9] == "SCALAR plain 'd' 1:3-1:4");
}

TEST_CASE("goyaml: names of token types, event types and parser states") {
  CHECK(to_string(yaml_BLOCK_MAPPING_START_TOKEN) == "yaml_BLOCK_MAPPING_START_TOKEN");
  CHECK(to_string(static_cast<yaml_token_type_t>(99)) == "<unknown token>");
  CHECK(to_string(yaml_MAPPING_START_EVENT) == "mapping start");
  CHECK(to_string(static_cast<yaml_event_type_t>(42)) == "unknown event 42");
  CHECK(to_string(yaml_PARSE_FLOW_MAPPING_EMPTY_VALUE_STATE) == "yaml_PARSE_FLOW_MAPPING_EMPTY_VALUE_STATE");
}

TEST_CASE("goyaml: character classes read bytes like Go, panicking out of range") {
  std::string b = "a\xC2\x85 \t";
  CHECK(is_alpha(b, 0));
  CHECK(is_break(b, 1));
  CHECK(is_blank(b, 3));
  CHECK(is_blankz(b, 4));
  CHECK(width(0xC2) == 2);
  CHECK(width(0x80) == 0);
  CHECK_THROWS_AS(is_z(b, 5), capstan::Error);
  CHECK_THROWS_AS(is_z(b, -1), capstan::Error);
}

// Where go-yaml v2.4.0 differs from libyaml 0.2.5 (checked by running both over the yaml-test-suite inputs and
// mutations of them): these are go-yaml's behaviours, kept on purpose.
TEST_CASE("goyaml scanner: go-yaml v2 deviations from libyaml 0.2") {
  // No '\/' escape; '\'' is an escape.
  CHECK(scan("\"a\\/b\"").parser.problem == "found unknown escape character");
  CHECK(tokens("\"a\\'b\"")[1] == "SCALAR double 'a'b' 0:0-0:6");
  // '?' ends a plain scalar in flow context; ':' followed by ',' does not.
  CHECK(tokens("[a?b]")[2] == "SCALAR plain 'a' 0:1-0:2");
  CHECK(tokens("{a:, b}")[2] == "SCALAR plain 'a:' 0:1-0:3");
  // ',', '[' and ']' are tag URI characters.
  CHECK(tokens("!!str, x")[1] == "TAG '!!' 'str,' 0:0-0:6");
  // Simple keys are checked lazily (simple_keys_by_tok): the BLOCK-END before a key without ':' is delivered
  // first, and the error comes with the next token.
  Scanned r = scan("a:\n  b: c\nd\n");
  CHECK_FALSE(r.ok);
  CHECK(r.tokens.back() == "BLOCK_END 2:0");
  CHECK(r.parser.problem == "could not find expected ':'");
  CHECK(mark(r.parser.context_mark) == "2:0");
  CHECK(mark(r.parser.problem_mark) == "3:0");
  // An empty flow collection as a simple key: the flow level's simple key has the same token number as the
  // collection's own key, so closing the level drops the collection's entry from simple_keys_by_tok; the queue head
  // is released early and KEY/BLOCK-MAPPING-START are appended after the collection instead of inserted before it.
  CHECK(tokens("? []: x\n") == V{
                                   "STREAM_START 0:0",
                                   "BLOCK_MAPPING_START 0:0",
                                   "KEY 0:0-0:1",
                                   "FLOW_SEQUENCE_START 0:2-0:3",
                                   "FLOW_SEQUENCE_END 0:3-0:4",
                                   "KEY 0:2",
                                   "BLOCK_MAPPING_START 0:2",
                                   "VALUE 0:4-0:5",
                                   "SCALAR plain 'x' 0:6-0:7",
                                   "BLOCK_END 1:0",
                                   "BLOCK_END 1:0",
                                   "STREAM_END 1:0",
                               });
  CHECK(tokens("[a]: b\n")[1] == "BLOCK_MAPPING_START 0:0");  // a non-empty collection is not affected
}
