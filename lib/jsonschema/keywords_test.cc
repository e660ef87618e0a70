// Keyword families of the JSON Schema validator: types, numbers, strings, arrays, objects, applicators, drafts.
#include "jsonschema/json_value.h"
#include "jsonschema/unicode.h"
#include "jsonschema/js_test_util.h"

using namespace capstan::jsonschema;
using namespace capstan::jsonschema::testing;

TEST_CASE("type, including integer for 1.0 and type lists", "[jsonschema]") {
  Schema s = Compile(R"({"type": "integer"})");
  CHECK(Valid(s, "1"));
  CHECK(Valid(s, "1.0"));
  CHECK(Valid(s, "-9223372036854775808"));
  CHECK_FALSE(Valid(s, "1.5"));
  CHECK_FALSE(Valid(s, "\"1\""));
  Schema list = Compile(R"({"type": ["string", "null"]})");
  CHECK(Valid(list, "null"));
  CHECK(Valid(list, "\"x\""));
  auto errors = Errors(list, "3");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message == "got integer, want null or string");
}

TEST_CASE("const and enum use JSON equality", "[jsonschema]") {
  Schema s = Compile(R"({"enum": [1, {"a": [true, null]}, "x"]})");
  CHECK(Valid(s, "1.0"));
  CHECK(Valid(s, R"({"a": [true, null]})"));
  CHECK_FALSE(Valid(s, R"({"a": [true]})"));
  CHECK_FALSE(Valid(s, "true"));
  Schema c = Compile(R"({"const": {"b": 2, "a": 1}})");
  CHECK(Valid(c, R"({"a": 1.0, "b": 2})"));
  CHECK_FALSE(Valid(c, R"({"a": 1})"));
  Schema f = Compile(R"({"const": false})");
  CHECK_FALSE(Valid(f, "0"));
}

TEST_CASE("numeric limits, exact for big integers", "[jsonschema]") {
  Schema s = Compile(R"({"minimum": 1, "maximum": 10, "exclusiveMaximum": 10})");
  CHECK(Valid(s, "1"));
  CHECK(Valid(s, "9.99"));
  CHECK_FALSE(Valid(s, "10"));
  CHECK_FALSE(Valid(s, "0.5"));
  Schema big = Compile(R"({"maximum": 9007199254740992})");
  CHECK_FALSE(Valid(big, "9007199254740993"));
  CHECK(Valid(big, "9007199254740992"));
}

TEST_CASE("multipleOf with integers and floats", "[jsonschema]") {
  Schema s = Compile(R"({"multipleOf": 0.01})");
  CHECK(Valid(s, "19.99"));
  CHECK(Valid(s, "0.07"));
  CHECK_FALSE(Valid(s, "0.075"));
  Schema i = Compile(R"({"multipleOf": 3})");
  CHECK(Valid(i, "9"));
  CHECK_FALSE(Valid(i, "10"));
  CHECK(Valid(i, "\"not a number\""));
  Schema tiny = Compile(R"({"multipleOf": 0.123456789})");
  CHECK_FALSE(Valid(tiny, "1e308"));
}

TEST_CASE("string lengths count code points", "[jsonschema]") {
  Schema s = Compile(R"({"minLength": 2, "maxLength": 3})");
  CHECK(Valid(s, "\"\xC3\xA9\xC3\xA9\""));  // two code points, four bytes
  CHECK_FALSE(Valid(s, "\"\xF0\x9F\x92\xA9\""));  // one code point (U+1F4A9)
  CHECK_FALSE(Valid(s, "\"abcd\""));
  CHECK(CodePointCount("a\xE2\x82\xAC") == 2);
}

TEST_CASE("pattern is an unanchored ECMA-262 search", "[jsonschema]") {
  Schema s = Compile(R"({"pattern": "^[a-z][a-z0-9-]{0,61}[a-z0-9]$"})");
  CHECK(Valid(s, "\"my-release\""));
  CHECK_FALSE(Valid(s, "\"-bad\""));
  CHECK(Valid(s, "42"));  // non-strings are ignored
  Schema un = Compile(R"({"pattern": "b+"})");
  CHECK(Valid(un, "\"abbbc\""));
  auto errors = Errors(s, "\"Bad\"");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].keyword == "pattern");
  CHECK_THROWS_AS(Compile(R"({"pattern": "(a"})"), SchemaError);
  CHECK_THROWS_WITH(Compile(R"({"pattern": "(a)\\1"})"), Catch::Contains("back-references are not supported"));
}

TEST_CASE("format annotates by default and asserts on request", "[jsonschema]") {
  Schema annotate = Compile(R"({"format": "date-time"})");
  CHECK(Valid(annotate, "\"yesterday\""));
  Schema assert_ = Compile(R"({"format": "date-time"})", Draft::k2020_12, Registry(), true);
  CHECK(Valid(assert_, "\"2024-02-29T12:00:00Z\""));
  CHECK_FALSE(Valid(assert_, "\"2023-02-29T12:00:00Z\""));
  CHECK_FALSE(Valid(assert_, "\"yesterday\""));
  Schema ip = Compile(R"({"format": "ipv4"})", Draft::k2020_12, Registry(), true);
  CHECK(Valid(ip, "\"10.0.0.1\""));
  CHECK_FALSE(Valid(ip, "\"10.0.0.256\""));
  CHECK(Valid(ip, "12"));
}

TEST_CASE("arrays: prefixItems, items, contains with min/maxContains, uniqueItems", "[jsonschema]") {
  Schema s = Compile(R"({"prefixItems": [{"type": "string"}], "items": {"type": "integer"}})");
  CHECK(Valid(s, R"(["a", 1, 2])"));
  auto errors = Errors(s, R"(["a", 1, "x"])");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].instance_location == "/2");
  CHECK(errors[0].keyword_location == "/items/type");
  Schema c = Compile(R"({"contains": {"const": 1}, "minContains": 2, "maxContains": 3})");
  CHECK(Valid(c, "[1, 1, 2]"));
  CHECK_FALSE(Valid(c, "[1, 2]"));
  CHECK_FALSE(Valid(c, "[1, 1, 1, 1]"));
  Schema u = Compile(R"({"uniqueItems": true})");
  CHECK(Valid(u, R"([1, "1", {"a": 1}, {"a": 2}])"));
  CHECK_FALSE(Valid(u, R"([1, 1.0])"));
  CHECK_FALSE(Valid(u, R"([{"a": 1, "b": 2}, {"b": 2, "a": 1}])"));
  Schema old = Compile(R"({"items": [{"type": "string"}], "additionalItems": false})", Draft::k07);
  CHECK(Valid(old, R"(["a"])"));
  CHECK_FALSE(Valid(old, R"(["a", "b"])"));
}

TEST_CASE("objects: properties, patternProperties, additionalProperties, required, dependencies", "[jsonschema]") {
  Schema s = Compile(R"({
    "properties": {"port": {"type": "integer"}, "host": {"type": "string"}},
    "patternProperties": {"^x-": {"type": "string"}},
    "additionalProperties": false,
    "required": ["port"],
    "dependentRequired": {"port": ["host"]},
    "propertyNames": {"maxLength": 8}
  })");
  CHECK_FALSE(Valid(s, R"({"port": 80})"));  // host missing
  auto errors = Errors(s, R"({"port": "80", "x-a": "1", "bogus": 1, "x-b": 2, "host": "h"})");
  for (const auto& e : errors) UNSCOPED_INFO(e.instance_location << " " << e.keyword << ": " << e.message);
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].instance_location == "/port");
  CHECK(errors[1].instance_location == "/bogus");
  CHECK(errors[1].keyword == "additionalProperties");
  CHECK(errors[1].extra == std::vector<std::string>{"bogus", "port", "host"});
  CHECK(errors[1].message == "property 'bogus' is not allowed; allowed: port, host");
  CHECK(errors[2].instance_location == "/x-b");
  Schema names = Compile(R"({"propertyNames": {"pattern": "^[a-z]+$"}})");
  CHECK_FALSE(Valid(names, R"({"Upper": 1})"));
  Schema dep7 = Compile(R"({"dependencies": {"a": ["b"], "c": {"required": ["d"]}}})", Draft::k07);
  CHECK(Valid(dep7, R"({"a": 1, "b": 2})"));
  CHECK_FALSE(Valid(dep7, R"({"a": 1})"));
  CHECK_FALSE(Valid(dep7, R"({"c": 1})"));
}

TEST_CASE("applicators: allOf, anyOf, oneOf, not, if/then/else, dependentSchemas", "[jsonschema]") {
  Schema s = Compile(R"({"if": {"properties": {"kind": {"const": "db"}}, "required": ["kind"]},
                         "then": {"required": ["port"]}, "else": {"required": ["url"]}})");
  CHECK(Valid(s, R"({"kind": "db", "port": 5432})"));
  CHECK_FALSE(Valid(s, R"({"kind": "db"})"));
  CHECK(Valid(s, R"({"url": "x"})"));
  Schema one = Compile(R"({"oneOf": [{"type": "integer"}, {"minimum": 2}]})");
  CHECK(Valid(one, "1"));
  CHECK(Valid(one, "2.5"));
  CHECK_FALSE(Valid(one, "3"));
  Schema n = Compile(R"({"not": {"type": "null"}})");
  CHECK_FALSE(Valid(n, "null"));
  CHECK(Valid(n, "0"));
  Schema ds = Compile(R"({"dependentSchemas": {"tls": {"required": ["cert"]}}})");
  CHECK_FALSE(Valid(ds, R"({"tls": true})"));
}

TEST_CASE("boolean schemas and unevaluated properties/items", "[jsonschema]") {
  CHECK(Valid(Compile("true"), "{}"));
  CHECK_FALSE(Valid(Compile("false"), "{}"));
  Schema s = Compile(R"({"allOf": [{"properties": {"a": true}}], "properties": {"b": true},
                         "unevaluatedProperties": false})");
  CHECK(Valid(s, R"({"a": 1, "b": 2})"));
  auto errors = Errors(s, R"({"a": 1, "c": 2})");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].instance_location == "/c");
  CHECK(errors[0].keyword == "unevaluatedProperties");
  Schema any = Compile(R"({"anyOf": [{"properties": {"a": true}, "required": ["a"]},
                                     {"properties": {"b": true}, "required": ["b"]}],
                           "unevaluatedProperties": false})");
  CHECK(Valid(any, R"({"a": 1, "b": 1})"));
  CHECK_FALSE(Valid(any, R"({"a": 1, "c": 1})"));
  Schema items = Compile(R"({"prefixItems": [true], "contains": {"type": "string"}, "unevaluatedItems": false})");
  CHECK(Valid(items, R"([1, "a", "b"])"));
  CHECK_FALSE(Valid(items, R"([1, "a", 2])"));
}

TEST_CASE("draft-04 specifics: boolean exclusiveMaximum, id, $ref siblings ignored", "[jsonschema]") {
  Schema s = Compile(R"({"$schema": "http://json-schema.org/draft-04/schema#",
                         "maximum": 5, "exclusiveMaximum": true})");
  CHECK(s.draft() == Draft::k04);
  CHECK(Valid(s, "4"));
  CHECK_FALSE(Valid(s, "5"));
  Schema ids = Compile(R"({"id": "http://example.com/root.json",
                           "definitions": {"a": {"id": "#foo", "type": "integer"}},
                           "properties": {"x": {"$ref": "#foo", "type": "string"}}})", Draft::k04);
  CHECK(Valid(ids, R"({"x": 1})"));
  CHECK_FALSE(Valid(ids, R"({"x": "s"})"));
}

TEST_CASE("$schema selects the draft, absent uses the caller's default", "[jsonschema]") {
  CHECK(Compile("{}").draft() == Draft::k2020_12);
  CHECK(Compile("{}", Draft::k07).draft() == Draft::k07);
  CHECK(Compile(R"({"$schema": "http://json-schema.org/draft-07/schema#"})").draft() == Draft::k07);
  CHECK(Compile(R"({"$schema": "https://json-schema.org/draft/2019-09/schema"})").draft() == Draft::k2019_09);
  CHECK(Compile(R"({"$schema": "http://json-schema.org/draft-06/schema#"})").draft() == Draft::k06);
  // draft-07 ignores 2020-12 keywords
  Schema s = Compile(R"({"$schema": "http://json-schema.org/draft-07/schema#", "prefixItems": [false]})");
  CHECK(Valid(s, "[1]"));
  CHECK_THROWS_WITH(Compile(R"({"$schema": "http://example.com/unknown"})"),
                    Catch::Contains("unknown meta-schema"));
}

TEST_CASE("JSON helpers: equality, hashing, type names", "[jsonschema]") {
  auto a = Json(R"({"x": [1, 2.0, {"y": null}]})");
  auto b = Json(R"({"x": [1.0, 2, {"y": null}]})");
  CHECK(JsonEqual(a, b));
  CHECK(JsonHash(a) == JsonHash(b));
  CHECK(std::string(JsonTypeName(Json("1.0"))) == "integer");
  CHECK(std::string(JsonTypeName(Json("1.5"))) == "number");
}
