// The S3 client against a real S3 server on loopback: s3rver 3.7.1 (npm, installed by scripts/setup.sh) over TLS with
// the test CA. Round trips (empty, small, exactly one part, multipart with 5 MiB parts), listings with continuation,
// DeleteObjects, connections cut mid-upload and mid-download (a TCP proxy), wrong credentials (exit 3), a missing
// bucket, a CA that does not verify the server. s3rver checks the access key id but not SigV4 signatures (see
// tests/s3/README.md); the signer is checked by the AWS vectors (lib/s3/sigv4_test.cc) and against botocore
// (awscli_tool_test.cc). Without node or s3rver the tests print "SKIPPED:" (ctest reports them as skipped).
#include <catch2/catch.hpp>

#include <cstdio>

#include "digest/sha256.h"
#include "s3/client.h"
#include "kube/kube_test_server.h"
#include "s3/s3_test_server.h"
#include "util/error.h"

namespace capstan::s3 {
namespace {

bool Skip() {
  std::string why;
  if (!test::S3rverScript(&why).empty()) return false;
  std::printf("SKIPPED: %s\n", why.c_str());
  WARN("SKIPPED: " << why);
  return true;
}

std::string Data(size_t n, unsigned seed = 1) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 7;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1664525u + 1013904223u;
    s[i] = static_cast<char>(x >> 24);
  }
  return s;
}

std::string ReadAll(ObjectReader& r, size_t step = 65536) {
  std::string out, buf(step, '\0');
  for (;;) {
    size_t n = r.Read(buf.data(), buf.size());
    if (n == 0) return out;
    out.append(buf.data(), n);
  }
}

FinishResult WriteInPieces(Client& c, const std::string& key, const std::string& data, size_t piece = 300007) {
  auto w = c.Create(key);
  for (size_t off = 0; off < data.size(); off += piece) w->Write(data.data() + off, std::min(piece, data.size() - off));
  return w->Finish();
}

}  // namespace

TEST_CASE("s3rver: round trips of every size through the streams", "[s3][s3rver]") {
  if (Skip()) return;
  test::S3rver server;
  Config cfg = test::TestConfig(server.endpoint());
  cfg.read_chunk = 1 << 20;
  Client client(cfg, "capstan-test");
  for (size_t size : {size_t{0}, size_t{1000}, kMinPartSize, kMinPartSize + 1, kMinPartSize * 2 + 4321}) {
    INFO("size " << size);
    const std::string key = "round/trip-" + std::to_string(size) + ".bin";
    const std::string data = Data(size, static_cast<unsigned>(size));
    FinishResult r = WriteInPieces(client, key, data);
    CHECK(r.size == size);
    CHECK(r.sha256 == Sha256::Hex(data));
    auto info = client.Head(key);
    REQUIRE(info);
    CHECK(info->size == size);
    CHECK_FALSE(info->etag.empty());
    auto reader = client.OpenRead(key);
    CHECK(reader->size() == size);
    CHECK(ReadAll(*reader) == data);
    if (size <= 1000) CHECK(client.GetSmall(key, 1000) == data);
  }
  client.Put("round/put.txt", "plain put");
  CHECK(client.GetSmall("round/put.txt", 100) == "plain put");
  CHECK_FALSE(client.Head("round/none"));
  CHECK_THROWS_WITH(client.OpenRead("round/none"), Catch::Contains("does not exist"));
  CHECK_THROWS_WITH(client.GetSmall("round/none", 10), Catch::Contains("does not exist"));
}

TEST_CASE("s3rver: listings follow continuation tokens, DeleteMany removes them", "[s3][s3rver]") {
  if (Skip()) return;
  test::S3rver server;
  Config cfg = test::TestConfig(server.endpoint());
  cfg.list_max_keys = 7;
  Client client(cfg, "capstan-test");
  std::vector<std::string> keys;
  for (int i = 0; i < 23; ++i) {
    keys.push_back("list/p" + std::to_string(i % 3) + "/k" + std::to_string(i));
    client.Put(keys.back(), "v" + std::to_string(i));
  }
  client.Put("other/x", "x");
  ListResult all = client.List("list/");
  CHECK(all.objects.size() == 23);
  for (const auto& o : all.objects) {
    CHECK(o.size >= 2);
    CHECK(o.last_modified_unix > 1700000000);
  }
  ListResult dirs = client.List("list/", "/");
  CHECK(dirs.objects.empty());
  CHECK(dirs.common_prefixes == std::vector<std::string>{"list/p0/", "list/p1/", "list/p2/"});
  CHECK(client.List("").objects.size() == 24);
  client.DeleteMany(keys);
  CHECK(client.List("list/").objects.empty());
  client.Delete("other/x");
  client.Delete("other/x");  // a missing object is not an error
  CHECK(client.List("").objects.empty());
}

TEST_CASE("s3rver: a connection cut mid-upload is retried, the object is whole", "[s3][s3rver]") {
  if (Skip()) return;
  test::S3rver server;
  test::CuttingProxy proxy(server.port(), test::CuttingProxy::Direction::kToServer, 3 << 20, 1);
  Client client(test::TestConfig(proxy.endpoint()), "capstan-test");
  const std::string data = Data(kMinPartSize * 2 + 99);
  FinishResult r = WriteInPieces(client, "cut/upload", data);
  CHECK(proxy.cuts() == 1);
  CHECK(r.sha256 == Sha256::Hex(data));
  Client direct(test::TestConfig(server.endpoint()), "capstan-test");
  CHECK(ReadAll(*direct.OpenRead("cut/upload")) == data);
}

TEST_CASE("s3rver: a connection cut mid-download resumes with a Range request", "[s3][s3rver]") {
  if (Skip()) return;
  test::S3rver server;
  const std::string data = Data(kMinPartSize * 2 + 5);
  Client direct(test::TestConfig(server.endpoint()), "capstan-test");
  WriteInPieces(direct, "cut/download", data);
  test::CuttingProxy proxy(server.port(), test::CuttingProxy::Direction::kToClient, 2 << 20, 1);
  Config cfg = test::TestConfig(proxy.endpoint());
  cfg.read_chunk = 8 << 20;
  Client client(cfg, "capstan-test");
  auto reader = client.OpenRead("cut/download");
  CHECK(ReadAll(*reader) == data);
  CHECK(proxy.cuts() == 1);
  CHECK(proxy.connections() >= 2);
}

TEST_CASE("s3rver: wrong credentials, a missing bucket and an untrusted CA are exit 3", "[s3][s3rver]") {
  if (Skip()) return;
  test::S3rver server;
  {
    Client client(test::TestConfig(server.endpoint(), "AKIAWRONGKEY9876", "nope"), "capstan-test");
    CHECK_THROWS_AS(client.CheckBucket(), PreconditionError);
    try {
      client.Put("k", "v");
      FAIL("no error");
    } catch (const Error& e) {
      CHECK(e.exit_code() == kExitPrecondition);
      std::string msg = e.what();
      CHECK_THAT(msg, Catch::Contains("InvalidAccessKeyId") && Catch::Contains("key id ...9876 from the test account"));
      CHECK(msg.find("nope") == std::string::npos);
    }
  }
  {
    Client client(test::TestConfig(server.endpoint()), "missing-bucket");
    CHECK_THROWS_WITH(client.CheckBucket(), Catch::Contains("bucket missing-bucket does not exist"));
    Client(test::TestConfig(server.endpoint()), "capstan-test").CheckBucket();
    try {
      client.Put("k", "v");
      FAIL("no error");
    } catch (const PreconditionError& e) {
      CHECK_THAT(e.what(), Catch::Contains("bucket missing-bucket does not exist at " + server.endpoint()));
    }
    CHECK_THROWS_AS(client.List(""), PreconditionError);
  }
  {
    Config cfg = test::TestConfig(server.endpoint());
    cfg.ca_bundle = test::Certs().other_ca_crt;
    Client client(cfg, "capstan-test");
    try {
      client.Head("k");
      FAIL("no error");
    } catch (const PreconditionError& e) {
      CHECK_THAT(e.what(), Catch::Contains("TLS verification") && Catch::Contains("AWS_CA_BUNDLE"));
    }
  }
}

}  // namespace capstan::s3
