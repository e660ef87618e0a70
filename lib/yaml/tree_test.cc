// Tests of the YAML tree: positions, scalars, aliases and merge keys, and the guards around libfyaml's known bugs.
#include <catch2/catch.hpp>

#include <string>

#include "yaml/tree.h"

using namespace capstan::yaml;

TEST_CASE("tree reports duplicate keys, tabs and syntax errors with positions") {
  try {
    Tree::Parse("a: 1\nb: 2\na: 3\n");
    FAIL("expected an error");
  } catch (const ParseError& e) {
    CHECK(e.line() == 2);
    CHECK(std::string(e.what()).find("duplicate key 'a' (first at line 1)") != std::string::npos);
  }
  CHECK_THROWS_AS(Tree::Parse("a:\n\tb: 1\n"), ParseError);
  CHECK_THROWS_AS(Tree::Parse("a: [1, 2\n"), ParseError);
  CHECK_THROWS_AS(Tree::Parse("a: 1\n---\nb: 2\n"), ParseError);
}

TEST_CASE("tree decodes scalars and follows aliases and merge keys") {
  Tree t = Tree::Parse("base: &b {x: 1, y: \"two\"}\nm:\n  <<: *b\n  y: own\nl: |+\n  keep\n\nq: 'it''s'\n");
  CHECK(t.root().Get("m").Get("x").scalar() == "1");
  CHECK(t.root().Get("m").Get("y").scalar() == "own");
  CHECK(t.root().Get("l").scalar() == "keep\n\n");
  CHECK(t.root().Get("l").style() == Style::kLiteral);
  CHECK(t.root().Get("q").scalar() == "it's");
  CHECK(t.root().Get("base").Get("y").style() == Style::kDoubleQuoted);
}

TEST_CASE("tree: empty block scalars inside indented collections (libfyaml 0.7.12 workaround)") {
  std::string doc = "data:\n  users.acl: |-\n  next: |-\n    x\n  e2: |\n  e3: >+ # c\n\n  e4: |+\n    a\n\n"
                    "  cfg: |\n    inner: |\n    other: 1\n  last: 1\nl:\n  - |\n  - y\n";
  Tree t = Tree::Parse(doc);
  Node d = t.root().Get("data");
  CHECK(d.size() == 7);
  CHECK(d.Get("users.acl").scalar().empty());
  CHECK(d.Get("users.acl").style() == Style::kLiteral);
  CHECK(d.Get("next").scalar() == "x");
  CHECK(d.Get("e2").scalar().empty());
  CHECK(d.Get("e3").scalar().empty());
  CHECK(d.Get("e3").style() == Style::kFolded);
  CHECK(d.Get("e4").scalar() == "a\n\n");
  CHECK(d.Get("cfg").scalar() == "inner: |\nother: 1\n");  // block content is never patched
  CHECK(d.Get("last").scalar() == "1");
  REQUIRE(t.root().Get("l").size() == 2);
  CHECK(t.root().Get("l").At(0).scalar().empty());
  CHECK(t.root().Get("l").At(1).scalar() == "y");
  // positions refer to the original text
  CHECK(doc.substr(d.Get("users.acl").start().offset, 2) == "|-");
}

TEST_CASE("tree: a tab after ':' before an indicator near explicit '?' keys is refused before libfyaml sees it (it double-frees)") {
  // a tab after ':' before an indicator, once an explicit key may be pending
  for (const char* doc : {"? z ter:\t:\t\t\tr", "?\n s:\t?", "k: v\n- ?\n\n   # c\n   s: \t-", "? a\n s: \t|\n"})
    CHECK_THROWS_WITH(Tree::Parse(doc), Catch::Contains("a tab after ':' before an indicator"));
  CHECK(Tree::Parse("?\n s\n: v\nt:\t1\n").root().Get("t").scalar() == "1");  // a tab before a plain value
  CHECK(Tree::Parse("a:\t|\n  text\n").root().Get("a").scalar() == "text\n");  // no explicit key: libfyaml is fine
  CHECK(Tree::Parse("a: \"what?\"\nb: ?x\nc: |\n  ? text\n").root().Get("c").scalar() == "? text\n");
}

TEST_CASE("tree: an alias inside the node its anchor names is refused (a cycle), not followed forever") {
  CHECK_THROWS_WITH(Tree::Parse("base: &b {x: *b}\n"), Catch::Contains("alias *b is inside the node its anchor names"));
  CHECK_THROWS_WITH(Tree::Parse("a: &a\n  - [*a]\n"), Catch::Contains("(a cycle)"));
  // an alias to a complete node, even a sibling's child, is fine
  Tree t = Tree::Parse("a: &a {x: 1}\nb: {y: *a}\nc: &c [1]\nd: [*c, *c]\n");
  CHECK(t.root().Get("b").Get("y").Get("x").scalar() == "1");
  CHECK(t.root().Get("d").At(1).At(0).scalar() == "1");
}

TEST_CASE("tree: nesting is bounded, also when aliases of aliases build it") {
  ParseOptions o;
  o.max_depth = 8;
  std::string flat = "a: [[[[[[[1]]]]]]]\n";  // 8 levels with the root mapping
  CHECK_NOTHROW(Tree::Parse(flat, o));
  CHECK_THROWS_WITH(Tree::Parse("a: [[[[[[[[1]]]]]]]]\n", o), Catch::Contains("nesting deeper than 8 levels"));
  // each level is 3 deep on its own; the aliases stack them to 1 + 3 + 3 + 3 = 10
  std::string amplified = "a: &a [[[1]]]\nb: &b [[[*a]]]\nc: [[[*b]]]\n";
  CHECK_NOTHROW(Tree::Parse(amplified));
  CHECK_THROWS_WITH(Tree::Parse(amplified, o), Catch::Contains("once aliases are expanded"));
}

TEST_CASE("tree reads flow content indented as Go's yaml reads it (real charts depend on it)") {
  // minio: a flow sequence closed at the column of its key.
  Tree seq = Tree::Parse("spec:\n  containers:\n    - name: c\n      command: [\n        \"/bin/sh\",\n        \"-ce\"\n      ]\n");
  Node cmd = seq.root().Get("spec").Get("containers").At(0).Get("command");
  REQUIRE(cmd.Items().size() == 2);
  CHECK(cmd.At(1).scalar() == "-ce");
  // Helm 4's kyaml: a multi-line single-quoted scalar whose closing quote is at column 0.
  Tree quoted = Tree::Parse("groups:\n  - annotations:\n      description: 'first line\n\n        second line\n\n'\n      x: y\n");
  Node a = quoted.root().Get("groups").At(0).Get("annotations");
  CHECK(a.Get("description").scalar() == "first line\nsecond line\n");
  CHECK(a.Get("x").scalar() == "y");
  // What stays an error: an unclosed flow collection, a block key less indented than its siblings.
  CHECK_THROWS_AS(Tree::Parse("a: [1,\n  2\nb: 3\n"), ParseError);
  CHECK_THROWS_AS(Tree::Parse("a:\n    b: 1\n  c: 2\n"), ParseError);
}

TEST_CASE("tree reports an error on long lines of tabs and carriage returns instead of crashing (fuzz find)") {
  // libfyaml's display of an error under its source line crashed here: errors are collected, never displayed
  std::string text = std::string("{c") +
                     std::string(14, '\t') +
                     std::string("rt\n  \"uoV\"otel #ooVe") +
                     std::string(8, '\t') +
                     std::string("\r") +
                     std::string(93, '\t') +
                     std::string("rt\n  \"uooVel \"t#ooVe") +
                     std::string(8, '\t') +
                     std::string("\r") +
                     std::string(148, '\t') +
                     std::string("l \"tooVel");
  try {
    Tree::Parse(text);
    FAIL("expected an error");
  } catch (const ParseError& e) {
    CHECK(e.line() < 3);
    CHECK(!std::string(e.what()).empty());
  }
}
