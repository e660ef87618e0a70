// SourceMap: node and key positions by JSON pointer, scalar text and style, multi-document files, JSON schema
// texts, and errors with line numbers.
#include <catch2/catch.hpp>

#include "values/lint/source_map.h"

using namespace capstan::values::lint;

TEST_CASE("source map finds keys, values and scalar styles by JSON pointer") {
  const char* text =
      "# comment\n"
      "image:\n"
      "  repository: nginx\n"
      "  tag: \"1.10\"\n"
      "country: NO\n"
      "list:\n"
      "  - a\n"
      "  - {x: 0755}\n"
      "a/b: {c~d: 1}\n";
  SourceMap m = SourceMap::Build(text);
  REQUIRE(m.ok());
  const SourceNode* n = m.Find("/image/tag");
  REQUIRE(n != nullptr);
  CHECK(n->line == 4);
  CHECK(n->key_line == 4);
  CHECK(n->key_column == 3);
  CHECK(n->column == 9);  // libfyaml marks a quoted scalar at its first character inside the quotes
  CHECK(n->text == "1.10");
  CHECK_FALSE(n->plain);
  n = m.Find("/country");
  REQUIRE(n != nullptr);
  CHECK(n->plain);
  CHECK(n->text == "NO");
  CHECK(std::string(text).substr(n->key_begin, n->key_end - n->key_begin) == "country");
  n = m.Find("/image");
  REQUIRE(n != nullptr);
  CHECK(n->kind == SourceNode::Kind::kMap);
  CHECK(n->key_line == 2);
  CHECK(n->line == 3);
  n = m.Find("/list/1/x");
  REQUIRE(n != nullptr);
  CHECK(n->line == 8);
  CHECK(n->text == "0755");
  n = m.Find("/a~1b/c~0d");
  REQUIRE(n != nullptr);
  CHECK(n->line == 9);
  CHECK(m.FindNearest("/image/missing/deeper")->pointer == "/image");
  CHECK(m.FindNearest("/nothing")->pointer == "");
}

TEST_CASE("source map normalises keys and merges documents in order") {
  KeyNormalizer norm = [](std::string_view t, bool plain) {
    return plain && (t == "on" || t == "yes") ? std::string("true") : std::string(t);
  };
  SourceMap m = SourceMap::Build("a: 1\non: x\n---\na: 2\nb: 3\n", norm);
  REQUIRE(m.ok());
  CHECK(m.documents() == 2);
  REQUIRE(m.Find("/true") != nullptr);
  CHECK(m.Find("/true")->key_text == "on");
  CHECK(m.Find("/a")->line == 4);
  CHECK(m.Find("/a")->document == 1);
  CHECK(m.Find("/b")->line == 5);
}

TEST_CASE("source map of a JSON schema gives the line of a keyword") {
  const char* schema =
      "{\n"
      "  \"type\": \"object\",\n"
      "  \"properties\": {\n"
      "    \"db\": {\n"
      "      \"type\": \"object\",\n"
      "      \"required\": [\"port\"]\n"
      "    }\n"
      "  }\n"
      "}\n";
  SourceMap m = SourceMap::Build(schema);
  REQUIRE(m.ok());
  REQUIRE(m.Find("/properties/db/required") != nullptr);
  CHECK(m.Find("/properties/db/required")->key_line == 6);
  CHECK(m.Find("/properties/db/required/0")->line == 6);
}

TEST_CASE("source map reports YAML errors with their line and keeps going safely") {
  SourceMap m = SourceMap::Build("a: 1\nb: [1, 2\nc: 3\n");
  CHECK_FALSE(m.ok());
  CHECK(m.error().line >= 2);
  CHECK_FALSE(m.error().message.empty());
  SourceMap e = SourceMap::Build("");
  CHECK(e.ok());
  CHECK(e.FindNearest("/x") == nullptr);
}
