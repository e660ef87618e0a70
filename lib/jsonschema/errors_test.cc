// Error reporting: locations, deterministic order, anyOf/oneOf summaries, schema errors, meta-schema checks.
#include "jsonschema/js_test_util.h"

using namespace capstan::jsonschema;
using namespace capstan::jsonschema::testing;

TEST_CASE("errors carry instance, keyword and schema locations", "[jsonschema]") {
  Schema s = Schema::Compile(Json(R"({"$defs": {"port": {"type": "integer", "maximum": 65535}},
                                      "properties": {"image": {"properties": {"tag": {"type": "string"}}},
                                                     "service": {"properties": {"port": {"$ref": "#/$defs/port"}}}}})"),
                             "file:///chart/values.schema.json", Registry());
  auto errors = Errors(s, R"({"service": {"port": 70000}, "image": {"tag": 1}})");
  REQUIRE(errors.size() == 2);
  // instance order follows the document: /service comes first
  CHECK(errors[0].instance_location == "/service/port");
  CHECK(errors[0].keyword == "maximum");
  CHECK(errors[0].keyword_location == "/properties/service/properties/port/$ref/maximum");
  CHECK(errors[0].schema_uri == "file:///chart/values.schema.json#/$defs/port/maximum");
  CHECK(errors[0].message == "70000 is greater than the maximum 65535");
  CHECK(errors[1].instance_location == "/image/tag");
  CHECK(errors[1].message == "got integer, want string");
}

TEST_CASE("all errors are collected, ordered by instance then keyword", "[jsonschema]") {
  Schema s = Compile(R"({"required": ["a", "z"], "minProperties": 3,
                         "properties": {"b": {"type": "string", "minLength": 5}}})");
  auto errors = Errors(s, R"({"b": 7})");
  REQUIRE(errors.size() == 4);
  CHECK(errors[0].keyword == "required");
  CHECK(errors[0].extra == std::vector<std::string>{"a"});
  CHECK(errors[1].keyword == "required");
  CHECK(errors[1].message == "missing required property 'z'");
  CHECK(errors[2].keyword == "minProperties");
  CHECK(errors[3].instance_location == "/b");
  for (int run = 0; run < 3; ++run) {  // deterministic
    auto again = Errors(s, R"({"b": 7})");
    REQUIRE(again.size() == errors.size());
    for (size_t i = 0; i < again.size(); ++i) CHECK(again[i].message == errors[i].message);
  }
}

TEST_CASE("anyOf reports the branch whose type matches, or a summary", "[jsonschema]") {
  Schema s = Compile(R"({"anyOf": [{"type": "string"},
                                   {"type": "object", "properties": {"port": {"type": "integer"}}}]})");
  auto errors = Errors(s, R"({"port": "x"})");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].instance_location == "/port");
  CHECK(errors[0].keyword == "type");
  errors = Errors(s, "1");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].keyword == "anyOf");
  CHECK_THAT(errors[0].message, Catch::StartsWith("value matches none of the 2 alternatives of anyOf"));
  CHECK(errors[0].extra.size() == 2);
  Schema one = Compile(R"({"oneOf": [{"minimum": 1}, {"maximum": 5}]})");
  errors = Errors(one, "3");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message == "value matches alternatives #0 and #1 of oneOf; exactly one must match");
}

TEST_CASE("invalid schemas raise SchemaError naming file, pointer and reason", "[jsonschema]") {
  try {
    Schema::Compile(Json(R"({"properties": {"a": {"type": "strin"}}})"), "file:///x.json", Registry());
    FAIL("no error");
  } catch (const SchemaError& e) {
    CHECK(e.source() == "file:///x.json");
    CHECK(e.pointer() == "/properties/a/type");
    CHECK_THAT(e.reason(), Catch::Contains("meta-schema"));
  }
  CHECK_THROWS_WITH(Compile(R"({"minLength": -1})"), Catch::Contains("/minLength"));
  CHECK_THROWS_WITH(Compile(R"({"$ref": "#/$defs/missing"})"), Catch::Contains("points at nothing"));
  CHECK_THROWS_WITH(Compile(R"({"$ref": "#/$defs/a~2"})"), Catch::Contains("invalid JSON pointer"));
  CHECK_THROWS_WITH(Compile(R"({"$ref": "http://example.com/other.json"})"),
                    Catch::Contains("never fetched"));
  CHECK_THROWS_WITH(Compile(R"({"$ref": "#nope"})"), Catch::Contains("no anchor 'nope'"));
  CHECK_THROWS_AS(Compile(R"(42)"), SchemaError);
}

TEST_CASE("meta-schema check can be switched off", "[jsonschema]") {
  Options o;
  o.check_meta_schema = false;
  CHECK_NOTHROW(Schema::Compile(Json(R"({"title": 5})"), "", Registry(), o));
  CHECK_THROWS_WITH(Schema::Compile(Json(R"({"title": 5})"), "", Registry()), Catch::Contains("/title"));
  // the compiler still refuses what it cannot use
  CHECK_THROWS_WITH(Schema::Compile(Json(R"({"minLength": "3"})"), "", Registry(), o),
                    Catch::Contains("non-negative integer"));
}

namespace {
std::string Nested(const std::string& open, const std::string& middle, const std::string& close, int depth) {
  std::string s;
  for (int i = 0; i < depth; ++i) s += open;
  s += middle;
  for (int i = 0; i < depth; ++i) s += close;
  return s;
}
}  // namespace

TEST_CASE("deep schemas and instances are bounded, never a crash", "[jsonschema]") {
  // A legitimately deep schema (the meta-schema check recurses through it too).
  Schema deep = Compile(Nested(R"({"properties": {"a": )", R"({"type": "integer"})", "}}", 60));
  CHECK(Valid(deep, Nested(R"({"a": )", "1", "}", 60)));
  CHECK_FALSE(Valid(deep, Nested(R"({"a": )", "\"x\"", "}", 60)));
  // Absurd nesting is refused with a message.
  Options o;
  o.check_meta_schema = false;
  CHECK_THROWS_WITH(Schema::Compile(Json(Nested(R"({"not": )", "{}", "}", 1000)), "", Registry(), o),
                    Catch::Contains("nested deeper than"));
  // Recursive schema against a very deep instance: a validation error, no stack overflow.
  Schema tree = Compile(R"({"items": {"$ref": "#"}})");
  rapidjson::Document very_deep;
  std::string text = Nested("[", "", "]", 5000);
  very_deep.Parse<rapidjson::kParseIterativeFlag>(text.c_str(), text.size());
  REQUIRE_FALSE(very_deep.HasParseError());
  CHECK_FALSE(tree.IsValid(very_deep));
  auto errors = tree.Validate(very_deep);
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0].message, Catch::Contains("nested deeper than"));
  std::string moderate = Nested("[", "", "]", 250);
  CHECK(Valid(tree, moderate));
}

TEST_CASE("an empty Schema refuses to validate", "[jsonschema]") {
  Schema empty;
  CHECK_THROWS_AS(empty.Validate(Json("1")), std::logic_error);
  CHECK_THROWS_AS(empty.IsValid(Json("1")), std::logic_error);
  CHECK_THROWS_AS(empty.Describe({}), std::logic_error);
  empty = Compile(R"({"type": "string"})");
  CHECK(Valid(empty, "\"x\""));
}
