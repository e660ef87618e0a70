// SigV4 against the AWS test suite (tests/s3/data/aws-sigv4-testsuite, from awslabs/aws-c-auth) and the S3 examples
// of the AWS documentation ("Signature Calculations for the Authorization Header: Transferring Payload in a Single
// Chunk": GET Object with Range, PUT Object, GET Bucket lifecycle, GET Bucket (list objects)).
#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "digest/sha256.h"
#include "s3/encoding.h"
#include "s3/responses.h"
#include "s3/sigv4.h"
#include "util/strings.h"

namespace capstan::s3 {
namespace {

std::string ReadText(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct SuiteCase {
  SigningRequest request;
  SigningParams params;
  bool normalize = true;
  bool omit_session_token = false;
  std::string body;
};

SuiteCase LoadCase(const std::filesystem::path& dir) {
  SuiteCase c;
  rapidjson::Document ctx;
  ctx.Parse(ReadText(dir / "context.json").c_str());
  REQUIRE(ctx.IsObject());
  const auto& creds = ctx["credentials"];
  c.params.access_key_id = creds["access_key_id"].GetString();
  c.params.secret_access_key = creds["secret_access_key"].GetString();
  if (creds.HasMember("token")) c.params.session_token = creds["token"].GetString();
  c.params.region = ctx["region"].GetString();
  c.params.service = ctx["service"].GetString();
  c.params.content_sha256_header = ctx["sign_body"].GetBool();
  c.normalize = ctx["normalize"].GetBool();
  c.omit_session_token = ctx.HasMember("omit_session_token") && ctx["omit_session_token"].GetBool();
  auto t = ParseIso8601(ctx["timestamp"].GetString());
  REQUIRE(t);
  c.params.time = static_cast<std::time_t>(*t);

  std::string text = ReadText(dir / "request.txt");
  size_t blank = text.find("\n\n");
  std::string head = blank == std::string::npos ? text : text.substr(0, blank);
  c.body = blank == std::string::npos ? "" : text.substr(blank + 2);
  auto lines = Split(head, '\n');
  REQUIRE(!lines.empty());
  const std::string& first = lines[0];
  size_t sp = first.find(' ');
  size_t http = first.rfind(" HTTP/");
  c.request.method = first.substr(0, sp);
  std::string target = first.substr(sp + 1, http - sp - 1);
  std::string path = target.substr(0, target.find('?'));
  if (size_t q = target.find('?'); q != std::string::npos) {
    for (const auto& pair : Split(target.substr(q + 1), '&', true)) {
      size_t eq = pair.find('=');
      auto k = UriDecode(pair.substr(0, eq));
      auto v = UriDecode(eq == std::string::npos ? "" : pair.substr(eq + 1));
      REQUIRE(k);
      REQUIRE(v);
      c.request.query.emplace_back(*k, *v);
    }
  }
  c.request.canonical_uri = EncodePath(c.normalize ? NormalizePath(path) : path);
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (l.empty()) continue;
    if (l[0] == ' ' || l[0] == '\t') {  // a folded continuation line
      c.request.headers.back().second += "\n" + l;
      continue;
    }
    size_t colon = l.find(':');
    REQUIRE(colon != std::string::npos);
    c.request.headers.emplace_back(l.substr(0, colon), l.substr(colon + 1));
  }
  c.request.payload_hash = Sha256::Hex(c.body);
  return c;
}

std::string Chomp(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

TEST_CASE("SigV4 reproduces every case of the AWS signature test suite", "[s3][sigv4]") {
  const std::filesystem::path root = std::filesystem::path(CAPSTAN_SOURCE_DIR) / "tests/s3/data/aws-sigv4-testsuite";
  int cases = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    if (!entry.is_directory()) continue;
    const auto dir = entry.path();
    INFO("case " << dir.filename().string());
    SuiteCase c = LoadCase(dir);
    SigningParams p = c.params;
    if (c.omit_session_token) p.session_token.clear();  // the token is added after signing, unsigned
    Signature s = Sign(c.request, p);
    CHECK(s.canonical_request == Chomp(ReadText(dir / "header-canonical-request.txt")));
    CHECK(s.string_to_sign == Chomp(ReadText(dir / "header-string-to-sign.txt")));
    CHECK(s.signature == Chomp(ReadText(dir / "header-signature.txt")));
    ++cases;
  }
  CHECK(cases == 38);
}

namespace {
// The AWS documentation's example account and time (20130524T000000Z), bucket examplebucket, region us-east-1.
SigningParams DocParams() {
  SigningParams p;
  p.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  p.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  p.region = "us-east-1";
  p.service = "s3";
  p.time = 1369353600;  // 2013-05-24T00:00:00Z
  return p;
}
}  // namespace

TEST_CASE("SigV4 reproduces the S3 examples of the AWS documentation", "[s3][sigv4]") {
  SECTION("GET Object with a Range header") {
    SigningRequest r{"GET", EncodePath("/test.txt"), {}, {{"Host", "examplebucket.s3.amazonaws.com"}, {"Range", "bytes=0-9"}},
                     std::string(kEmptySha256)};
    Signature s = Sign(r, DocParams());
    CHECK(s.canonical_request ==
          "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
          "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
          "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(s.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    CHECK(s.authorization ==
          "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
          "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
          "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  }
  SECTION("PUT Object (a key needing encoding, a signed payload)") {
    const std::string body = "Welcome to Amazon S3.";
    SigningRequest r{"PUT", EncodePath("/test$file.text"), {},
                     {{"Host", "examplebucket.s3.amazonaws.com"},
                      {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                      {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
                     Sha256::Hex(body)};
    CHECK(r.canonical_uri == "/test%24file.text");
    CHECK(r.payload_hash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
    Signature s = Sign(r, DocParams());
    CHECK(Sha256::Hex(s.canonical_request) == "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d");
    CHECK(s.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
  }
  SECTION("GET Bucket lifecycle (a query parameter without a value)") {
    SigningRequest r{"GET", "/", {{"lifecycle", ""}}, {{"Host", "examplebucket.s3.amazonaws.com"}},
                     std::string(kEmptySha256)};
    Signature s = Sign(r, DocParams());
    CHECK(s.canonical_request.substr(0, 17) == "GET\n/\nlifecycle=\n");
    CHECK(s.signature == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
  }
  SECTION("GET Bucket, list objects (query parameters sorted)") {
    SigningRequest r{"GET", "/", {{"prefix", "J"}, {"max-keys", "2"}}, {{"Host", "examplebucket.s3.amazonaws.com"}},
                     std::string(kEmptySha256)};
    Signature s = Sign(r, DocParams());
    CHECK(s.canonical_request.substr(0, 26) == "GET\n/\nmax-keys=2&prefix=J\n");
    CHECK(s.signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
  }
}

TEST_CASE("SigV4 adds the session token and signs it", "[s3][sigv4]") {
  SigningParams p = DocParams();
  p.session_token = "TOKEN";
  SigningRequest r{"HEAD", "/k", {}, {{"Host", "h"}}, std::string(kUnsignedPayload)};
  Signature s = Sign(r, p);
  CHECK(s.authorization.find("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token") !=
        std::string::npos);
  bool has = false;
  for (const auto& [k, v] : r.headers) has = has || (k == "X-Amz-Security-Token" && v == "TOKEN");
  CHECK(has);
  CHECK(s.canonical_request.find("\nUNSIGNED-PAYLOAD") != std::string::npos);
}

TEST_CASE("URI encoding follows AWS's rules", "[s3][sigv4]") {
  CHECK(UriEncode("a b/c") == "a%20b%2Fc");
  CHECK(UriEncode("a b/c", false) == "a%20b/c");
  CHECK(UriEncode("-_.~") == "-_.~");
  CHECK(UriEncode("+=&") == "%2B%3D%26");
  CHECK(UriEncode("\xc3\xb1") == "%C3%B1");
  CHECK(EncodePath("backups/2026-12-07T10:00:00Z/db.dump") == "/backups/2026-12-07T10%3A00%3A00Z/db.dump");
  CHECK(CanonicalQuery({{"b", "2"}, {"a", "x y"}, {"a", "1"}}) == "a=1&a=x%20y&b=2");
  CHECK(UriDecode("%E1%88%B4") == std::optional<std::string>("\xE1\x88\xB4"));
  CHECK_FALSE(UriDecode("%4"));
  CHECK_FALSE(UriDecode("%zz"));
  CHECK(Base64Encode(HexToBytes("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")) ==
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  CHECK(NormalizePath("/example1/example2/../..") == "/");
  CHECK(NormalizePath("/./") == "/");
  CHECK(NormalizePath("//example//") == "/example/");
}

}  // namespace capstan::s3
