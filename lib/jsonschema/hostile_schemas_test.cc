// The validator where doubles and naive recursion fail: multipleOf answered exactly when a double quotient cannot
// (80 is not a multiple of 1e20), and a bounded amount of work for schemas whose nested anyOf/oneOf alternatives
// would otherwise take time exponential in their depth.
#include <string>

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include "jsonschema/validator.h"

using namespace capstan::jsonschema;

namespace {

rapidjson::Document Json(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  REQUIRE_FALSE(d.HasParseError());
  return d;
}

Schema CompileText(const std::string& text) {
  Options o;
  o.default_draft = Draft::k2020_12;
  return Schema::Compile(Json(text), "", Registry(), o);
}

// Validate and IsValid agree; returns whether the instance is valid.
bool Valid(const Schema& s, const std::string& instance) {
  rapidjson::Document d = Json(instance);
  bool valid = s.Validate(d).empty();
  CHECK(s.IsValid(d) == valid);
  return valid;
}

bool MultipleOf(const std::string& m, const std::string& x) {
  return Valid(CompileText("{\"multipleOf\": " + m + "}"), x);
}

}  // namespace

TEST_CASE("multipleOf: quotients a double cannot decide are computed exactly", "[jsonschema][multipleOf]") {
  CHECK_FALSE(MultipleOf("1e20", "80"));
  CHECK_FALSE(MultipleOf("1e300", "80"));
  CHECK_FALSE(MultipleOf("1e308", "80"));
  CHECK_FALSE(MultipleOf("1e308", "1e307"));
  CHECK_FALSE(MultipleOf("1e20", "80.5"));
  CHECK_FALSE(MultipleOf("0.123456789", "1e308"));  // the double quotient overflows
  CHECK(MultipleOf("1e20", "0"));
  CHECK(MultipleOf("1e20", "3e20"));
  CHECK(MultipleOf("1e20", "-1e40"));
  CHECK(MultipleOf("1e-8", "12391239123"));
  CHECK(MultipleOf("0.5", "1e300"));                 // beyond 2^53 every double is an integer; exactly so here
  CHECK_FALSE(MultipleOf("3", "1e300"));             // 10^300 is not divisible by 3
  CHECK(MultipleOf("7", "18446744073709551614"));    // beyond int64: 7 * 2635249153387078802
  CHECK_FALSE(MultipleOf("7", "18446744073709551610"));
  CHECK(MultipleOf("7", "-9223372036854775807"));     // int64 with a uint64-range divisor below
  CHECK_FALSE(MultipleOf("9223372036854775809", "-9223372036854775807"));
}

TEST_CASE("multipleOf: ordinary decimals keep their answers", "[jsonschema][multipleOf]") {
  CHECK(MultipleOf("0.0001", "0.0075"));
  CHECK_FALSE(MultipleOf("0.0001", "0.00751"));
  CHECK(MultipleOf("0.1", "0.3"));
  CHECK(MultipleOf("1.5", "4.5"));
  CHECK_FALSE(MultipleOf("1.5", "35"));
  CHECK(MultipleOf("2", "10"));
  CHECK_FALSE(MultipleOf("2", "7"));
}

TEST_CASE("nested oneOf alternatives stop at the work limit with a clear error", "[jsonschema][limits]") {
  // Each level has two alternatives that both descend into the next level: 2^30 evaluations unbounded.
  std::string defs = "\"l0\": {\"type\": \"string\"}";
  for (int i = 1; i <= 30; ++i) {
    std::string below = "{\"$ref\": \"#/$defs/l" + std::to_string(i - 1) + "\"}";
    defs += ", \"l" + std::to_string(i) + "\": {\"oneOf\": [" + below + ", {\"not\": {\"not\": " + below + "}}]}";
  }
  Schema s = CompileText("{\"$defs\": {" + defs + "}, \"$ref\": \"#/$defs/l30\"}");
  rapidjson::Document d = Json("42");
  auto errors = s.Validate(d);
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0].message, Catch::Contains("validation stopped after") && Catch::Contains("schema evaluations"));
  CHECK_FALSE(s.IsValid(d));
}

TEST_CASE("a few nested levels are evaluated in full", "[jsonschema][limits]") {
  std::string schema = "{\"type\": \"string\"}";
  for (int i = 0; i < 8; ++i) schema = "{\"anyOf\": [" + schema + ", {\"allOf\": [" + schema + "]}]}";
  Schema s = CompileText(schema);
  CHECK(Valid(s, "\"x\""));
  CHECK_FALSE(Valid(s, "42"));
}
