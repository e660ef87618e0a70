// ReadConfigData: one digest per key over the bytes the pod sees; invalid base64 (bad padding included) is a
// problem the checksum filter reports as a warning, and the raw text is hashed.
#include <catch2/catch.hpp>

#include "digest/sha256.h"
#include "manifest/config_data.h"

using namespace capstan;

namespace {

manifest::ConfigData Read(const std::string& doc, manifest::ConfigKind kind) {
  yaml::Tree t = yaml::Tree::Parse(doc);
  return manifest::ReadConfigData(t.root(), kind);
}

}  // namespace

TEST_CASE("config data: Secret data is decoded, stringData overrides it") {
  auto d = Read("kind: Secret\ndata: {a: YWJj, b: YWJjZA==}\nstringData: {b: plain}\n", manifest::ConfigKind::kSecret);
  CHECK(d.problems.empty());
  CHECK(d.key_digests.at("a") == Sha256::Hex("abc"));
  CHECK(d.key_digests.at("b") == Sha256::Hex("plain"));
}

TEST_CASE("config data: bad base64 padding is a problem, not an error, the raw text is hashed") {
  auto d = Read("kind: Secret\ndata: {a: YWJj=}\n", manifest::ConfigKind::kSecret);
  REQUIRE(d.problems.size() == 1);
  CHECK(d.problems[0] == "data.a is not valid base64 ('=' padding that does not complete the last 4-character "
                         "group; the API server refuses it)");
  CHECK(d.key_digests.at("a") == Sha256::Hex("YWJj="));
  auto cm = Read("kind: ConfigMap\ndata: {t: YWJj=}\nbinaryData: {b: 'Y@'}\n", manifest::ConfigKind::kConfigMap);
  REQUIRE(cm.problems.size() == 1);  // ConfigMap data is text, never decoded
  CHECK(cm.problems[0].rfind("binaryData.b is not valid base64", 0) == 0);
  CHECK(cm.key_digests.at("t") == Sha256::Hex("YWJj="));
}
