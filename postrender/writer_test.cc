// The writer: the bytes arrive in order and unchanged, small pieces are gathered into chunks, large ones pass
// through as they are, and an output of only whitespace gets the "renders no resources" line.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "postrender/writer.h"

using namespace capstan::postrender;

namespace {
struct Recorder {
  std::vector<std::string> calls;
  Writer::Sink sink() {
    return [this](std::string_view s) { calls.emplace_back(s); };
  }
  std::string all() const {
    std::string s;
    for (const auto& c : calls) s += c;
    return s;
  }
};
}  // namespace

TEST_CASE("writer: small pieces are gathered, nothing reaches the sink before a chunk is full or Finish") {
  Recorder r;
  Writer w(r.sink(), 16);
  w.Write("apiVersion: v1\n");
  CHECK(r.calls.empty());
  w.Write("kind: A\n");  // 15 + 8 > 16: the first piece goes out
  REQUIRE(r.calls.size() == 1);
  CHECK(r.calls[0] == "apiVersion: v1\n");
  w.Finish();
  CHECK(r.all() == "apiVersion: v1\nkind: A\n");
  CHECK(w.wrote_content());
}

TEST_CASE("writer: a piece of a chunk or more is passed through without a copy, after what was buffered") {
  Recorder r;
  std::string big(64, 'x');
  const char* big_data = big.data();
  std::vector<const char*> pointers;
  Writer w([&](std::string_view s) { r.calls.emplace_back(s); pointers.push_back(s.data()); }, 16);
  w.Write("a: 1\n");
  w.Write(big);
  w.Write("b: 2\n");
  w.Finish();
  REQUIRE(r.calls.size() == 3);
  CHECK(r.calls[0] == "a: 1\n");
  CHECK(pointers[1] == big_data);
  CHECK(r.calls[2] == "b: 2\n");
}

TEST_CASE("writer: an output of only whitespace says that the release renders no resources") {
  Recorder empty;
  Writer(empty.sink()).Finish();
  CHECK(empty.all() == "# capstan-postrender: the release renders no resources\n");

  Recorder blank;
  Writer wb(blank.sink());
  wb.Write("\n  \r\n\t");
  CHECK_FALSE(wb.wrote_content());
  wb.Finish();
  CHECK(blank.all() == "\n  \r\n\t# capstan-postrender: the release renders no resources\n");

  Recorder comment;  // a comment is content: Helm accepts it
  Writer wc(comment.sink());
  wc.Write("---\n# Source: x/templates/empty.yaml\n");
  wc.Finish();
  CHECK(comment.all() == "---\n# Source: x/templates/empty.yaml\n");
}
