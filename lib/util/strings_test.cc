// The string helpers every folder uses: trimming, splitting, joining, case, prefixes, quoting for messages, edit
// distance (did-you-mean) and hex.
#include <catch2/catch.hpp>

#include "util/strings.h"

using namespace capstan;

TEST_CASE("Trim, Split, Join, ToLower, StartsWith, EndsWith") {
  CHECK(Trim("  a b \t\n") == "a b");
  CHECK(Trim(" \n ").empty());
  CHECK(Split("a,,b", ',') == std::vector<std::string>{"a", "", "b"});
  CHECK(Split("a,,b,", ',', true) == std::vector<std::string>{"a", "b"});
  CHECK(Join({"x", "y", "z"}, ", ") == "x, y, z");
  CHECK(Join({}, ", ").empty());
  CHECK(ToLower("StatefulSet") == "statefulset");
  CHECK(StartsWith("postgres://db", "postgres:"));
  CHECK_FALSE(StartsWith("pg", "postgres"));
  CHECK(EndsWith("chart.tgz", ".tgz"));
  CHECK_FALSE(EndsWith("tgz", "chart.tgz"));
}

TEST_CASE("Quote escapes control characters, EditDistance, Hex") {
  CHECK(Quote("plain") == "'plain'");
  CHECK(Quote("a\nb\tc\r") == "'a\\nb\\tc\\r'");
  CHECK(Quote(std::string("\x01\x7f", 2)) == "'\\x01\\x7f'");
  CHECK(Quote("") == "''");
  CHECK(EditDistance("expect", "expct") == 1);
  CHECK(EditDistance("kitten", "sitting") == 3);
  CHECK(EditDistance("", "abc") == 3);
  CHECK(EditDistance("same", "same") == 0);
  const unsigned char bytes[] = {0x00, 0x0f, 0xab, 0xff};
  CHECK(Hex(bytes, sizeof bytes) == "000fabff");
}

TEST_CASE("hex digits, percent-decoding and UTF-8 encoding") {
  CHECK(capstan::HexDigitValue('0') == 0);
  CHECK(capstan::HexDigitValue('f') == 15);
  CHECK(capstan::HexDigitValue('F') == 15);
  CHECK(capstan::HexDigitValue('g') == -1);
  std::string out;
  size_t bad = 99;
  CHECK(capstan::PercentDecode("a%20b%2Fc", out, bad));
  CHECK(out == "a b/c");
  CHECK_FALSE(capstan::PercentDecode("ab%2", out, bad));
  CHECK(bad == 2);
  CHECK_FALSE(capstan::PercentDecode("%zz", out, bad));
  CHECK(bad == 0);
  std::string u;
  for (uint32_t cp : {0x41u, 0xE9u, 0x20ACu, 0x1F600u}) capstan::AppendUtf8(u, cp);
  CHECK(u == "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
}

TEST_CASE("percent-encoding keeps the unreserved characters and those asked for") {
  CHECK(capstan::PercentEncodeUnreserved("a b/c~d", "") == "a%20b%2Fc~d");
  CHECK(capstan::PercentEncodeUnreserved("a b/c~d", "/") == "a%20b/c~d");
  CHECK(capstan::PercentEncodeUnreserved("\xE2\x82\xAC", "") == "%E2%82%AC");
}
