// References: $ref/$defs, $id base changes, anchors, dynamic and recursive references, local files, cycles.
#include <fstream>

#include "jsonschema/js_test_util.h"
#include "support/test_support.h"

using namespace capstan::jsonschema;
using namespace capstan::jsonschema::testing;

TEST_CASE("$ref to $defs, definitions, anchors and embedded $id", "[jsonschema]") {
  Schema s = Compile(R"({
    "$id": "https://example.com/root.json",
    "$defs": {
      "name": {"$anchor": "name", "type": "string"},
      "embedded": {"$id": "item.json", "type": "integer", "$defs": {"neg": {"maximum": 0}}}
    },
    "properties": {
      "a": {"$ref": "#name"},
      "b": {"$ref": "item.json"},
      "c": {"$ref": "https://example.com/item.json#/$defs/neg"},
      "d": {"$ref": "#/$defs/name", "maxLength": 2}
    }})");
  CHECK(Valid(s, R"({"a": "x", "b": 1, "c": -1, "d": "ab"})"));
  CHECK_FALSE(Valid(s, R"({"a": 1})"));
  CHECK_FALSE(Valid(s, R"({"b": "x"})"));
  CHECK_FALSE(Valid(s, R"({"c": 1})"));
  CHECK_FALSE(Valid(s, R"({"d": "abc"})"));  // 2019-09+: $ref siblings apply
}

TEST_CASE("recursive schemas validate trees, cyclic $ref does not hang", "[jsonschema]") {
  Schema tree = Compile(R"({"type": "object", "properties": {"value": {"type": "integer"},
                            "children": {"type": "array", "items": {"$ref": "#"}}}})");
  CHECK(Valid(tree, R"({"value": 1, "children": [{"value": 2, "children": []}]})"));
  auto errors = Errors(tree, R"({"children": [{"children": [{"value": "x"}]}]})");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].instance_location == "/children/0/children/0/value");
  // A reference loop that never consumes the instance ends with an error, not a crash.
  Schema loop = Compile(R"({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"})");
  CHECK_FALSE(Valid(loop, "1"));
  auto loop_errors = Errors(loop, "1");
  REQUIRE_FALSE(loop_errors.empty());
  CHECK_THAT(loop_errors[0].message, Catch::Contains("cyclic $ref"));
}

TEST_CASE("$dynamicRef extends a base schema", "[jsonschema]") {
  Registry reg;
  reg.Add("https://example.com/tree", Json(R"({
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://example.com/tree", "$dynamicAnchor": "node", "type": "object",
    "properties": {"data": true, "children": {"type": "array", "items": {"$dynamicRef": "#node"}}}})"));
  Schema strict = Compile(R"({"$id": "https://example.com/strict-tree", "$dynamicAnchor": "node",
                              "$ref": "tree", "unevaluatedProperties": false})", Draft::k2020_12, reg);
  CHECK(Valid(strict, R"({"children": [{"data": 1}]})"));
  CHECK_FALSE(Valid(strict, R"({"children": [{"daat": 1}]})"));
}

TEST_CASE("$recursiveRef in 2019-09", "[jsonschema]") {
  Schema s = Compile(R"({"$schema": "https://json-schema.org/draft/2019-09/schema", "$recursiveAnchor": true,
                         "type": ["object", "integer"],
                         "additionalProperties": {"$recursiveRef": "#"}})");
  CHECK(Valid(s, R"({"a": {"b": 1}})"));
  CHECK_FALSE(Valid(s, R"({"a": {"b": "x"}})"));
}

TEST_CASE("local files resolve by URI, nothing is fetched", "[jsonschema]") {
  capstan::test::TempDir dir;
  std::string common = dir.path() + "/common.json";
  std::ofstream(common) << R"({"$defs": {"port": {"type": "integer", "minimum": 1}}})";
  Registry reg;
  reg.AddFile(common);
  CHECK(reg.Contains("file://" + common));
  Schema s = Schema::Compile(Json(R"({"properties": {"port": {"$ref": "common.json#/$defs/port"}}})"),
                             "file://" + dir.path() + "/values.schema.json", reg);
  CHECK(Valid(s, R"({"port": 80})"));
  CHECK_FALSE(Valid(s, R"({"port": 0})"));
  std::string bad = dir.path() + "/bad.json";
  std::ofstream(bad) << "{nope";
  CHECK_THROWS_WITH(reg.AddFile(bad), Catch::Contains("not valid JSON"));
  CHECK_THROWS_AS(reg.AddFile(dir.path() + "/missing.json"), capstan::UsageError);
}

TEST_CASE("references to meta-schemas resolve from the built-in copies", "[jsonschema]") {
  Schema s = Compile(R"({"$ref": "https://json-schema.org/draft/2020-12/schema"})");
  CHECK(Valid(s, R"({"type": "string"})"));
  CHECK_FALSE(Valid(s, R"({"type": 12})"));
  Schema d7 = Compile(R"({"$ref": "http://json-schema.org/draft-07/schema#"})", Draft::k07);
  CHECK_FALSE(Valid(d7, R"({"minLength": -1})"));
}

TEST_CASE("unresolved urn: references are permissive only on request (Helm 4 compatibility)", "[jsonschema]") {
  const char* schema = R"({"properties": {"a": {"$ref": "urn:example:missing"}, "b": {"type": "integer"}}})";
  CHECK_THROWS_WITH(Compile(schema), Catch::Contains("cannot resolve reference 'urn:example:missing'"));
  Options o;
  o.permissive_urn_refs = true;
  Schema s = Schema::Compile(Json(schema), "file:///values.schema.json", Registry(), o);
  REQUIRE(s.warnings().size() == 1);
  CHECK_THAT(s.warnings()[0], Catch::Contains("urn:example:missing"));
  CHECK(Valid(s, R"({"a": {"anything": [1]}, "b": 1})"));
  CHECK_FALSE(Valid(s, R"({"b": "x"})"));
  CHECK_THROWS_WITH(Schema::Compile(Json(R"({"$ref": "http://example.com/x.json"})"), "", Registry(), o),
                    Catch::Contains("never fetched"));
}
