// The header scan on every real chart of ../shared/corpus (both Helm input formats): wherever it answers, it answers
// what the parser reads (Describe), and it answers for nearly every document, so the post-renderer can skip them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "manifest/header.h"
#include "manifest/stream.h"
#include "support/test_support.h"
#include "util/file_io.h"
#include "yaml/tree.h"

using namespace capstan;

TEST_CASE("header scan agrees with the parser on every corpus document") {
  std::vector<std::string> files;
  for (const char* dir : {"rendered", "helm4-input"})
    for (const auto& e : std::filesystem::directory_iterator(test::SharedDir() + "/corpus/" + dir))
      if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() > 10);
  size_t documents = 0, answered = 0;
  for (const auto& file : files) {
    std::string text = ReadFile(file);
    for (const auto& d : manifest::Split(text)) {
      if (d.blank) continue;
      ++documents;
      auto scanned = manifest::ScanHeader(d.text);
      if (!scanned) continue;
      ++answered;
      INFO(file << " document " << d.index);
      yaml::Tree tree = yaml::Tree::Parse(d.text);
      manifest::ObjectInfo parsed = manifest::Describe(tree.root());
      CHECK(scanned->is_object == parsed.is_object);
      CHECK(scanned->api_version == parsed.api_version);
      CHECK(scanned->kind == parsed.kind);
      CHECK(scanned->name == parsed.name);
      CHECK(scanned->namespace_ == parsed.namespace_);
      CHECK(scanned->hook_events == parsed.hook_events);
      CHECK(scanned->helm_filename == parsed.helm_filename);
    }
  }
  INFO(answered << " of " << documents << " documents answered");
  CHECK(answered * 100 >= documents * 95);
}
