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
