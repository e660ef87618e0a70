// SuggestClosest: the did-you-mean rule shared by every unknown-name message.
#include <catch2/catch.hpp>

#include "util/suggest.h"

using capstan::SuggestClosest;
using capstan::SuggestionDistance;

TEST_CASE("suggestion distance: case-insensitive, a transposition is one edit") {
  CHECK(SuggestionDistance("values", "values") == 0);
  CHECK(SuggestionDistance("vaules", "values") == 1);
  CHECK(SuggestionDistance("restorepoint", "restorePoint") == 0);
  CHECK(SuggestionDistance("htp", "http") == 1);
  CHECK(SuggestionDistance("abc", "") == 3);
  CHECK(SuggestionDistance("kitten", "sitting") == 3);
}

TEST_CASE("suggest closest: proposes the near candidate, nothing when none is near") {
  std::vector<std::string> flags = {"--values", "--set", "--schema", "--strict"};
  CHECK(SuggestClosest("--vaules", flags) == "--values");
  CHECK(SuggestClosest("--sheme", flags) == "--schema");
  CHECK(SuggestClosest("--completely-else", flags).empty());
  CHECK(SuggestClosest("migrat", {"backup", "migrate", "restore"}) == "migrate");
  CHECK(SuggestClosest("restorepoint", {"restorePoint", "outcome"}) == "restorePoint");
  CHECK(SuggestClosest("anotation", {"annotation", "enabled"}) == "annotation");
}

TEST_CASE("suggest closest: the limit grows with the word, short words need a near match") {
  CHECK(SuggestClosest("tcp", {"tcp6"}) == "tcp6");
  CHECK(SuggestClosest("ab", {"xy"}).empty());       // 2 edits in 2 characters: everything would match
  CHECK(SuggestClosest("imgae", {"image"}) == "image");
  CHECK(SuggestClosest("repliacs", {"replicas"}) == "replicas");
  CHECK(SuggestClosest("abcd", {"wxyz"}).empty());
}

TEST_CASE("suggest closest: the word itself is never proposed, ties go to the alphabetically first") {
  CHECK(SuggestClosest("tag", {"tag"}).empty());
  CHECK(SuggestClosest("cat", {"cot", "bat"}) == "bat");
  CHECK(SuggestClosest("cat", {"bat", "cot"}) == "bat");
}
