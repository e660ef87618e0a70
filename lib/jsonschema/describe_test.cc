// Schema::Describe: what the values linter asks about an instance path.
#include "jsonschema/js_test_util.h"

using namespace capstan::jsonschema;
using namespace capstan::jsonschema::testing;
using Status = PathInfo::Status;

TEST_CASE("Describe finds defined, pattern, free-form, undeclared and forbidden keys", "[jsonschema]") {
  Schema s = Compile(R"({
    "$defs": {"image": {"type": "object", "additionalProperties": false,
                        "properties": {"repository": {"type": "string"},
                                       "tag": {"type": "string", "description": "Image tag", "default": "latest"},
                                       "pullPolicy": {"deprecated": true, "title": "Old pull policy"}}}},
    "properties": {
      "image": {"$ref": "#/$defs/image"},
      "podAnnotations": {"type": "object", "additionalProperties": {"type": "string"}},
      "resources": {"type": "object"},
      "service": {"properties": {"port": {"type": "integer"}}},
      "env": {"patternProperties": {"^[A-Z_]+$": {"type": "string"}}, "additionalProperties": false},
      "list": {"type": "array", "items": {"properties": {"name": {"description": "item name"}}}}
    }})");
  PathInfo tag = s.Describe({"image", "tag"});
  CHECK(tag.status == Status::kDefined);
  CHECK(tag.description == "Image tag");
  REQUIRE(tag.default_value != nullptr);
  CHECK(std::string(tag.default_value->GetString()) == "latest");
  PathInfo pull = s.Describe({"image", "pullPolicy"});
  CHECK(pull.deprecated);
  CHECK(pull.description == "Old pull policy");
  PathInfo typo = s.Describe({"image", "tga"});
  CHECK(typo.status == Status::kForbidden);
  CHECK(typo.known_properties == std::vector<std::string>{"repository", "tag", "pullPolicy"});
  CHECK(s.Describe({"podAnnotations", "anything"}).status == Status::kAdditional);
  CHECK(s.Describe({"resources", "limits"}).status == Status::kUnconstrained);
  CHECK(s.Describe({"service", "prot"}).status == Status::kUndeclared);
  CHECK(s.Describe({"env", "MY_VAR"}).status == Status::kPattern);
  CHECK(s.Describe({"env", "lower"}).status == Status::kForbidden);
  CHECK(s.Describe({"list", "3", "name"}).description == "item name");
  CHECK(s.Describe({"image", "tga", "deeper"}).status == Status::kForbidden);
  CHECK(s.Describe({}).status == Status::kDefined);
}

TEST_CASE("Describe reports annotations beside a draft-07 $ref", "[jsonschema]") {
  Schema s = Compile(R"({"$schema": "http://json-schema.org/draft-07/schema#",
                         "definitions": {"port": {"type": "integer", "description": "a port", "default": 80}},
                         "properties": {"http": {"$ref": "#/definitions/port", "description": "HTTP port"},
                                        "https": {"$ref": "#/definitions/port"}}})");
  CHECK(s.Describe({"http"}).description == "HTTP port");
  CHECK(s.Describe({"https"}).description == "a port");
  REQUIRE(s.Describe({"https"}).default_value != nullptr);
  CHECK(s.Describe({"https"}).default_value->GetInt() == 80);
  CHECK_FALSE(Valid(s, R"({"http": "x"})"));
}
