// The hook image's Dockerfile (no Docker engine here, so its structure is checked): the default (last) stage is
// FROM scratch, copies the static capstan binary and the CA bundle, runs as a numeric non-root USER and has an
// exec-form ENTRYPOINT; the backup stage is the same plus the PostgreSQL client tools collected in a Debian stage
// (the contents scripts/build-images.sh gives its backup image), as a numeric non-root user too. The chart's hook Jobs call the
// image with `args:` only, so the entrypoint must be the capstan binary.
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>

#include "support/test_support.h"

using namespace capstan;

namespace {

struct Stage {
  std::string from, name;
  std::vector<std::string> lines;  // instructions after FROM, continuation lines joined
};

std::vector<Stage> Stages(const std::string& text) {
  std::vector<Stage> out;
  std::istringstream in(text);
  std::string line, joined;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    joined += line;
    if (!joined.empty() && joined.back() == '\\') {
      joined.pop_back();
      continue;
    }
    std::smatch m;
    if (std::regex_match(joined, m, std::regex(R"(FROM\s+(\S+)(?:\s+AS\s+(\S+))?\s*)", std::regex::icase))) {
      out.push_back({m[1], m[2], {}});
    } else if (!out.empty()) {
      out.back().lines.push_back(joined);
    }
    joined.clear();
  }
  return out;
}

bool Has(const Stage& s, const std::string& re) {
  for (const auto& l : s.lines)
    if (std::regex_search(l, std::regex(re))) return true;
  return false;
}

bool NumericNonRootUser(const Stage& s) {
  for (const auto& l : s.lines) {
    std::smatch m;
    if (std::regex_match(l, m, std::regex(R"(USER\s+([0-9]+)(?::([0-9]+))?\s*)")))
      return std::stoi(m[1]) != 0 && (!m[2].matched || std::stoi(m[2]) != 0);
  }
  return false;
}

}  // namespace

TEST_CASE("the hook image Dockerfile: scratch, static binary, CA bundle, numeric non-root user") {
  auto stages = Stages(test::Slurp(test::SourceDir() + "/Dockerfile"));
  REQUIRE(stages.size() >= 2);
  const Stage& hook = stages.back();  // `docker build .` builds the last stage
  CHECK(hook.from == "scratch");
  CHECK(Has(hook, R"(^COPY\s+build/capstan\s+/capstan$)"));
  CHECK(Has(hook, R"(^COPY\s+--from=\S+\s+/etc/ssl/certs/ca-certificates\.crt\s+/etc/ssl/certs/ca-certificates\.crt$)"));
  CHECK(Has(hook, R"(^ENTRYPOINT\s+\[\"/capstan\"\]$)"));
  CHECK(NumericNonRootUser(hook));
  CHECK_FALSE(Has(hook, R"(^RUN\b)"));  // nothing can run in an empty image

  bool found_backup = false;
  for (const auto& s : stages) {
    if (s.name != "backup") continue;
    found_backup = true;
    CHECK(NumericNonRootUser(s));
    CHECK(s.from == "scratch");  // the same files as scripts/build-images.sh's backup image: no shell
    CHECK(Has(s, R"(^COPY\s+build/capstan\s+/capstan$)"));
    CHECK(Has(s, R"(^COPY\s+--from=postgresql-client\s+/out/\s+/$)"));
    CHECK(Has(s, R"(^ENTRYPOINT\s+\[\"/capstan\"\]$)"));
    CHECK(Has(s, R"(PG_BIN=/usr/lib/postgresql/15/bin)"));
  }
  CHECK(found_backup);

  SECTION("the checks reject a root user and a non-empty base") {
    auto bad = Stages("FROM debian:12\nCOPY build/capstan /capstan\nUSER 0:0\n");
    CHECK(bad.back().from != "scratch");
    CHECK_FALSE(NumericNonRootUser(bad.back()));
    CHECK_FALSE(NumericNonRootUser(Stages("FROM scratch\nUSER nobody\n").back()));
  }
}
