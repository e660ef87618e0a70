// Interoperability with Debian's awscli (/usr/bin/aws, installed by scripts/setup.sh): objects Capstan writes (single
// PUT and multipart) are listed and read by `aws s3 ls/cp`, and a multipart object written by `aws s3 cp` is read by
// Capstan, all against s3rver over TLS (AWS_CA_BUNDLE). Because s3rver does not check SigV4 signatures, our signer is
// also compared with botocore's (the one inside Debian's awscli) on requests with awkward keys, queries, headers and
// session tokens (botocore signs the URL path as sent: the URI-encoded key). Without aws, node or s3rver the tests print "SKIPPED:".
#include <catch2/catch.hpp>

#include <cstdio>
#include <sstream>

#include "digest/sha256.h"
#include "kube/kube_test_server.h"
#include "s3/client.h"
#include "s3/s3_test_server.h"
#include "s3/sigv4.h"

namespace capstan::s3 {
namespace {

bool Skip(bool need_server) {
  std::string why;
  if (test::AwsCli().empty()) why = "/usr/bin/aws (Debian's awscli) not found (scripts/setup.sh installs it)";
  else if (need_server && test::S3rverScript(&why).empty()) {
  } else return false;
  std::printf("SKIPPED: %s\n", why.c_str());
  WARN("SKIPPED: " << why);
  return true;
}

std::string Data(size_t n, unsigned seed) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 3;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1664525u + 1013904223u;
    s[i] = static_cast<char>(x >> 24);
  }
  return s;
}

test::ProcessResult Aws(const test::S3rver& server, const test::TempDir& home, std::vector<std::string> args) {
  std::vector<std::string> argv = {test::AwsCli(), "--endpoint-url", server.endpoint()};
  argv.insert(argv.end(), args.begin(), args.end());
  test::ProcessOptions o;
  o.env = {{"AWS_ACCESS_KEY_ID", "S3RVER"}, {"AWS_SECRET_ACCESS_KEY", "S3RVER"}, {"AWS_DEFAULT_REGION", "us-east-1"},
           {"AWS_CA_BUNDLE", test::TestCaBundle()}, {"HOME", home.path()}, {"AWS_CONFIG_FILE", home.path() + "/none"},
           {"AWS_PAGER", ""}};
  o.unset_env = {"AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_REGION"};
  o.timeout = std::chrono::milliseconds(120000);
  return test::Run(argv, o);
}

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

TEST_CASE("awscli reads and lists what Capstan writes, and Capstan reads what awscli writes", "[s3][awscli]") {
  if (Skip(true)) return;
  test::S3rver server;
  test::TempDir home;
  Client client(test::TestConfig(server.endpoint()), "capstan-test");

  const std::string big = Data(kMinPartSize * 2 + 777, 5);
  auto w = client.Create("interop/capstan/big.bin");
  w->Write(big);
  FinishResult fr = w->Finish();
  client.Put("interop/capstan/small.txt", "small object\n");

  auto ls = Aws(server, home, {"s3", "ls", "s3://capstan-test/interop/capstan/"});
  INFO(ls.err);
  REQUIRE(ls.exit_code == 0);
  CHECK_THAT(ls.out, Catch::Contains(std::to_string(big.size()) + " big.bin") && Catch::Contains("small.txt"));
  std::string out = home.path() + "/big.out";
  auto cp = Aws(server, home, {"s3", "cp", "s3://capstan-test/interop/capstan/big.bin", out});
  INFO(cp.err);
  REQUIRE(cp.exit_code == 0);
  CHECK(Sha256::Hex(test::Slurp(out)) == fr.sha256);
  cp = Aws(server, home, {"s3", "cp", "s3://capstan-test/interop/capstan/small.txt", home.path() + "/small.out"});
  REQUIRE(cp.exit_code == 0);
  CHECK(test::Slurp(home.path() + "/small.out") == "small object\n");

  // 20 MiB is above awscli's 8 MiB multipart threshold: it uploads in parts.
  const std::string theirs = Data(size_t{20} << 20, 9);
  std::string in = home.Write("theirs.bin", theirs);
  cp = Aws(server, home, {"s3", "cp", in, "s3://capstan-test/interop/aws/theirs.bin"});
  INFO(cp.err);
  REQUIRE(cp.exit_code == 0);
  auto info = client.Head("interop/aws/theirs.bin");
  REQUIRE(info);
  CHECK(info->size == theirs.size());
  auto reader = client.OpenRead("interop/aws/theirs.bin");
  Sha256 h;
  std::string buf(1 << 20, '\0');
  for (size_t n; (n = reader->Read(buf.data(), buf.size())) > 0;) h.Update(buf.data(), n);
  CHECK(h.HexDigest() == Sha256::Hex(theirs));
  ListResult l = client.List("interop/", "/");
  CHECK(l.common_prefixes == std::vector<std::string>{"interop/aws/", "interop/capstan/"});
}

TEST_CASE("SigV4 signatures equal botocore's (Debian's awscli)", "[s3][awscli][sigv4]") {
  if (Skip(false)) return;
  struct Case {
    std::string method, host, key;
    QueryList query;
    HeaderList headers;
    std::string body, token, region;
  };
  const std::vector<Case> cases = {
      {"GET", "127.0.0.1:9000", "/capstan-test/backups/2026-12-07T10:00:00Z/db.dump", {}, {{"Range", "bytes=0-99"}}, "",
       "", "us-east-1"},
      {"PUT", "s3.eu-west-1.amazonaws.com", "/b/a key with spaces/$file+plus=eq&amp;.txt", {},
       {{"x-amz-checksum-sha256", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="}}, "payload bytes", "", "eu-west-1"},
      {"PUT", "minio.local", "/b/\xc3\xa9t\xc3\xa9/\xe2\x82\xac", {{"partNumber", "3"}, {"uploadId", "a/b+c=="}}, {},
       std::string(1000, 'x'), "SESSIONTOKEN/with+chars==", "us-east-1"},
      {"GET", "bucket.s3.amazonaws.com", "/",
       {{"list-type", "2"}, {"prefix", "portal/prod/"}, {"delimiter", "/"}, {"continuation-token", "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="}},
       {{"X-Amz-Meta-Note", "  two   spaces  "}}, "", "", "us-east-1"},
      {"POST", "127.0.0.1:4568", "/capstan-test", {{"delete", ""}}, {{"Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="}},
       "<Delete></Delete>", "", "ap-southeast-2"},
  };
  std::ostringstream input;
  std::vector<std::string> ours;
  const std::time_t when = 1796630400;  // 2026-12-07T08:00:00Z
  for (const auto& c : cases) {
    SigningRequest r;
    r.method = c.method;
    r.canonical_uri = EncodePath(c.key);
    r.query = c.query;
    r.headers = c.headers;
    r.headers.emplace_back("Host", c.host);
    r.payload_hash = Sha256::Hex(c.body);
    SigningParams p;
    p.access_key_id = "AKIDEXAMPLE";
    p.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    p.session_token = c.token;
    p.region = c.region;
    p.time = when;
    ours.push_back(Sign(r, p).authorization);
    std::string q = CanonicalQuery(c.query);
    input << "{\"method\":\"" << c.method << "\",\"url\":\"http://" << c.host << r.canonical_uri << (q.empty() ? "" : "?")
          << q << "\",\"headers\":[";
    for (size_t i = 0; i < c.headers.size(); ++i) {
      input << (i ? "," : "") << "[\"" << Escape(c.headers[i].first) << "\",\"" << Escape(c.headers[i].second) << "\"]";
    }
    input << "],\"body\":\"" << Escape(c.body) << "\",\"time\":" << when << ",\"key\":\"" << p.access_key_id
          << "\",\"secret\":\"" << p.secret_access_key << "\",\"token\":\"" << Escape(c.token) << "\",\"region\":\""
          << c.region << "\"}\n";
  }
  test::ProcessOptions o;
  o.stdin_data = input.str();
  auto res = test::Run({"/usr/bin/python3", std::string(CAPSTAN_SOURCE_DIR) + "/tests/s3/botocore_sign.py"}, o);
  INFO(res.err);
  REQUIRE(res.exit_code == 0);
  std::istringstream lines(res.out);
  for (size_t i = 0; i < cases.size(); ++i) {
    std::string theirs;
    std::getline(lines, theirs);
    INFO("case " << i << ": " << cases[i].method << " " << cases[i].key);
    CHECK(ours[i] == theirs);
  }
}

}  // namespace capstan::s3
