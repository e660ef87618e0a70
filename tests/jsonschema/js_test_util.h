// Helpers for the JSON Schema tests: parse JSON text, compile a schema, validate and list errors.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include "jsonschema/validator.h"

namespace capstan::jsonschema::testing {

inline rapidjson::Document Json(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  if (d.HasParseError()) FAIL("test JSON does not parse: " << text);
  return d;
}

inline Schema Compile(const std::string& schema, Draft draft = Draft::k2020_12,
                      const Registry& registry = Registry(), bool format_assertion = false) {
  Options o;
  o.default_draft = draft;
  o.format_assertion = format_assertion;
  return Schema::Compile(Json(schema), "", registry, o);
}

// Validates with both entry points, checks they agree, and returns the errors.
inline std::vector<ValidationError> Errors(const Schema& s, const std::string& instance) {
  rapidjson::Document d = Json(instance);
  auto errors = s.Validate(d);
  CHECK(s.IsValid(d) == errors.empty());
  return errors;
}

inline bool Valid(const Schema& s, const std::string& instance) { return Errors(s, instance).empty(); }

}  // namespace capstan::jsonschema::testing
