// The ECMA-262 subset matcher used for `pattern` and `patternProperties`, and URI / JSON pointer helpers.
#include <catch2/catch.hpp>
#include <stdexcept>

#include "jsonschema/regex.h"
#include "jsonschema/uri.h"

using capstan::jsonschema::Regex;

namespace {
bool Match(const char* pattern, const char* text) { return Regex(pattern).Search(text); }
}  // namespace

TEST_CASE("regex: literals, classes, anchors, alternation, quantifiers", "[jsonschema][regex]") {
  CHECK(Match("abc", "xxabcxx"));
  CHECK_FALSE(Match("^abc", "xabc"));
  CHECK(Match("^a|b$", "zzb"));
  CHECK(Match("^(?:ab)+$", "ababab"));
  CHECK_FALSE(Match("^(?:ab)+$", "ababa"));
  CHECK(Match("^a{2,3}$", "aaa"));
  CHECK_FALSE(Match("^a{2,3}$", "aaaa"));
  CHECK(Match("^a{2,}$", "aaaaaa"));
  CHECK(Match("^[a-c-]+$", "a-b-c"));
  CHECK_FALSE(Match("^[^0-9]+$", "ab1"));
  CHECK(Match("^\\d+\\.\\d+$", "1.25"));
  CHECK(Match("^\\w+\\s\\S$", "ab_9 x"));
  CHECK(Match("\\bfoo\\b", "a foo b"));
  CHECK_FALSE(Match("\\bfoo\\b", "afoob"));
  CHECK(Match("^x{1}?$", "x"));
  CHECK(Match("^a{,2}$", "a{,2}"));  // Annex B: not a quantifier, literal
  CHECK(Match("^.$", "\xC3\xA9"));   // one code point
  CHECK_FALSE(Match("^.$", "\n"));
  CHECK(Match("^\\u00e9$", "\xC3\xA9"));
  CHECK(Match("^[\\u0400-\\u04FF]+$", "\xD0\x96\xD0\xB0"));
  CHECK(Match("", "anything"));
}

TEST_CASE("regex: Unicode General_Category escapes", "[jsonschema][regex]") {
  CHECK(Match("^\\p{Letter}+$", "abc\xC3\xA9\xD0\x96"));
  CHECK_FALSE(Match("^\\p{L}+$", "ab1"));
  CHECK(Match("^\\P{Nd}+$", "abc"));
  CHECK(Match("^[\\p{Lu}\\d]+$", "A1\xC3\x89"));
  CHECK_FALSE(Match("^[\\p{Lu}\\d]+$", "a"));
  CHECK(Match("^\\p{gc=Nd}$", "\xD9\xA3"));  // ARABIC-INDIC DIGIT THREE
  CHECK_THROWS_WITH(Regex("\\p{Script=Greek}"), Catch::Contains("unsupported Unicode property"));
}

TEST_CASE("regex: linear time on hostile patterns", "[jsonschema][regex]") {
  std::string text(5000, 'a');
  CHECK_FALSE(Regex("^(a+)+$").Search(text + "!"));
  CHECK_FALSE(Regex("^(a|aa)*b$").Search(text));
  CHECK_THROWS_AS(Regex("a{100000}{100000}"), std::invalid_argument);
  CHECK_THROWS_AS(Regex(std::string(1000, '(')), std::invalid_argument);
}

TEST_CASE("regex: unsupported features are refused with a reason", "[jsonschema][regex]") {
  CHECK_THROWS_WITH(Regex("(?=a)"), Catch::Contains("look-around"));
  CHECK_THROWS_WITH(Regex("(a)\\1"), Catch::Contains("back-references"));
  CHECK_THROWS_WITH(Regex("[z-a]"), Catch::Contains("out of order"));
  CHECK_THROWS_WITH(Regex("a**"), Catch::Contains("nothing to repeat"));
  CHECK_THROWS_WITH(Regex("(a"), Catch::Contains("missing ')'"));
}

TEST_CASE("URI resolution and JSON pointers", "[jsonschema][uri]") {
  using namespace capstan::jsonschema;
  CHECK(ResolveUri("http://a/b/c/d;p?q", "../g") == "http://a/b/g");
  CHECK(ResolveUri("http://a/b/c/d;p?q", "#s") == "http://a/b/c/d;p?q#s");
  CHECK(ResolveUri("http://a/b/c/d;p?q", "//g/x") == "http://g/x");
  CHECK(ResolveUri("http://a/b/c/", "./x/../y.json") == "http://a/b/c/y.json");
  CHECK(ResolveUri("urn:uuid:1234", "#/defs/a") == "urn:uuid:1234#/defs/a");
  CHECK(ResolveUri("file:///chart/values.schema.json", "common.json") == "file:///chart/common.json");
  std::vector<std::string> tokens;
  REQUIRE(ParseJsonPointer("/a~1b/c~0d/", tokens));
  CHECK(tokens == std::vector<std::string>{"a/b", "c~d", ""});
  CHECK_FALSE(ParseJsonPointer("a", tokens));
  CHECK_FALSE(ParseJsonPointer("/a~2", tokens));
  CHECK(EscapePointerToken("a/b~") == "a~1b~0");
  CHECK(PercentDecode("percent%25field") == "percent%field");
}
