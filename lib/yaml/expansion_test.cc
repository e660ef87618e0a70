// Alias expansion is bounded: a document whose aliases make it stand for more nodes than the limit is refused at
// parse time, with the line, before any consumer follows the aliases.
#include <catch2/catch.hpp>

#include <string>

#include "yaml/tree.h"

using namespace capstan::yaml;

namespace {
// N aliased containers, each with N aliased env entries: N*N*5 nodes once expanded, from O(N) text.
std::string Quadratic(int n) {
  std::string doc = "x-env: &e {name: X, value: \"1\"}\nx-ctr: &c\n  name: app\n  env:\n";
  for (int i = 0; i < n; ++i) doc += "  - *e\n";
  doc += "containers:\n";
  for (int i = 0; i < n; ++i) doc += "- *c\n";
  return doc;
}
}  // namespace

TEST_CASE("aliases may expand a document up to the limit, not past it") {
  ParseOptions o;
  o.max_expanded_nodes = 1000;
  CHECK_NOTHROW(Tree::Parse(Quadratic(10), o));  // about 600 nodes expanded
  try {
    Tree::Parse(Quadratic(20), o);
    FAIL("a document expanding past the limit was accepted");
  } catch (const ParseError& e) {
    CHECK_THAT(e.what(), Catch::Contains("expands to more than 1000 nodes once its aliases are expanded"));
    CHECK(e.line() == 25);  // the containers list, where the expansion passes the limit
  }
  // a large document without aliases is never refused, whatever the limit
  std::string big = "items:\n";
  for (int i = 0; i < 2000; ++i) big += "- " + std::to_string(i) + "\n";
  CHECK_NOTHROW(Tree::Parse(big, o));
}

TEST_CASE("the default limit refuses alias bombs quickly") {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    std::string prev(1, static_cast<char>(c - 1));
    bomb += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev +
            ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n";
  }
  CHECK_THROWS_WITH(Tree::Parse(bomb), Catch::Contains("expands to more than 1000000 nodes"));
  // N = 3000 aliased containers with 3000 aliased env entries each (the O(N^2) report): refused
  CHECK_THROWS_WITH(Tree::Parse(Quadratic(3000)), Catch::Contains("once its aliases are expanded"));
}
