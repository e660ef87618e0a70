// The S3 client against tests/s3/fake_s3.h (no external tool): retries of 503 SlowDown with backoff, multipart
// uploads listed and aborted, a process killed mid-upload (its upload listed, aborted, and the next run works), what
// the client sends (checksums, signed payloads, path-style paths), an unreachable endpoint (exit 3), TLS refused.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "digest/sha256.h"
#include "s3/client.h"
#include "s3/encoding.h"
#include "s3/fake_s3.h"
#include "s3/s3_test_server.h"
#include "util/error.h"

namespace capstan::s3 {
namespace {

using test::FakeS3;

std::string Data(size_t n, unsigned seed = 1) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1664525u + 1013904223u;
    s[i] = static_cast<char>(x >> 24);
  }
  return s;
}

Config FakeConfig(const FakeS3& fake) {
  Config c = test::TestConfig(fake.endpoint(), "AKIAFAKE0001", "fake-secret");
  c.ca_bundle.clear();
  return c;
}

std::string ReadAll(ObjectReader& r, size_t step = 100000) {
  std::string out, buf(step, '\0');
  for (;;) {
    size_t n = r.Read(buf.data(), buf.size());
    if (n == 0) return out;
    out.append(buf.data(), n);
  }
}

}  // namespace

TEST_CASE("S3 client: 503 SlowDown is retried with backoff, then succeeds", "[s3][client]") {
  FakeS3 fake;
  Client client(FakeConfig(fake), fake.bucket());
  fake.FailNext(2);
  client.Put("a/b.txt", "hello");
  auto seen = fake.requests();
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].status == 503);
  CHECK(seen[1].status == 503);
  CHECK(seen[2].status == 200);
  CHECK(fake.objects().at("a/b.txt") == "hello");
  // What a PUT carries: the payload's SHA-256 signed, and as x-amz-checksum-sha256 in base64.
  const auto& h = seen[2].headers;
  CHECK(h.find("x-amz-content-sha256")->second == Sha256::Hex("hello"));
  CHECK(h.find("x-amz-checksum-sha256")->second == Base64Encode(HexToBytes(Sha256::Hex("hello"))));
  CHECK(h.find("Authorization")->second.find("Credential=AKIAFAKE0001/") != std::string::npos);
  CHECK(seen[2].path == "/fake-bucket/a/b.txt");

  fake.FailNext(10);
  try {
    client.GetSmall("a/b.txt", 100);
    FAIL("no error");
  } catch (const PreconditionError& e) {
    CHECK_THAT(e.what(), Catch::Contains("kept failing (HTTP 503 SlowDown) after 4 attempts"));
    CHECK(e.exit_code() == 3);
  }
  fake.FailNext(0);
  CHECK(client.GetSmall("a/b.txt", 100) == "hello");
  CHECK_THROWS_WITH(client.GetSmall("a/b.txt", 3), Catch::Contains("body over 3 bytes"));
  CHECK_THROWS_WITH(client.GetSmall("missing", 3), Catch::Contains("does not exist"));
}

TEST_CASE("S3 client: multipart uploads through the fake, listed and aborted", "[s3][client]") {
  FakeS3 fake;
  Client client(FakeConfig(fake), fake.bucket());
  const std::string data = Data(kMinPartSize * 2 + 1234);
  {
    auto w = client.Create("x/big");
    w->Write(data.data(), kMinPartSize + 10);  // one part uploaded once more bytes follow a full buffer
    CHECK(fake.uploads() == 1);
    auto ups = client.ListUploads("x/");
    REQUIRE(ups.size() == 1);
    CHECK(ups[0].key == "x/big");
    CHECK(client.ListUploads("y/").empty());
    w->Abort();
    CHECK(fake.uploads() == 0);
  }
  {
    auto w = client.Create("x/big");
    w->Write(data.data(), kMinPartSize + 10);
    CHECK(fake.uploads() == 1);
  }  // destroyed without Finish(): aborted
  CHECK(fake.uploads() == 0);
  CHECK_FALSE(client.Head("x/big"));

  fake.FailNext(1, "PUT");  // a part's first attempt gets 503
  auto w = client.Create("x/big");
  w->Write(data);
  FinishResult r = w->Finish();
  CHECK(r.size == data.size());
  CHECK(r.sha256 == Sha256::Hex(data));
  CHECK(fake.objects().at("x/big") == data);
  int parts = 0;
  for (const auto& s : fake.requests()) {
    if (s.method == "PUT" && s.query.find("uploadId=upload-3") != std::string::npos &&
        s.status == 200) {
      ++parts;
      auto body_hash = s.headers.find("x-amz-content-sha256")->second;
      CHECK(body_hash.size() == 64);  // the part's SHA-256 is signed, not UNSIGNED-PAYLOAD
      CHECK(s.headers.count("x-amz-checksum-sha256") == 1);
    }
  }
  CHECK(parts == 3);
  auto reader = client.OpenRead("x/big");
  CHECK(reader->size() == data.size());
  CHECK(ReadAll(*reader) == data);
}

TEST_CASE("S3 client: a process killed mid-upload leaves an upload to abort, and the next run works", "[s3][client]") {
  FakeS3 fake;
  const std::string data = Data(kMinPartSize * 3);
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(ready[0]);
    try {
      Client client(FakeConfig(fake), fake.bucket());
      auto w = client.Create("db/dump");
      w->Write(data.data(), kMinPartSize * 2 + 1);  // two parts uploaded
      if (::write(ready[1], "x", 1) != 1) ::_exit(2);
      for (;;) ::pause();
    } catch (...) {
      ::_exit(3);
    }
  }
  ::close(ready[1]);
  char c = 0;
  REQUIRE(::read(ready[0], &c, 1) == 1);
  ::close(ready[0]);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status));

  Client client(FakeConfig(fake), fake.bucket());
  CHECK_FALSE(client.Head("db/dump"));  // nothing complete-looking
  auto ups = client.ListUploads("db/");
  REQUIRE(ups.size() == 1);
  CHECK(ups[0].key == "db/dump");
  CHECK(ups[0].initiated_unix > 0);
  client.AbortUpload(ups[0].key, ups[0].upload_id);
  CHECK(client.ListUploads("db/").empty());
  auto w = client.Create("db/dump");
  w->Write(data);
  CHECK(w->Finish().size == data.size());
  CHECK(fake.objects().at("db/dump") == data);
}

TEST_CASE("S3 client: a missing bucket and refused credentials are exit 3 with what to do", "[s3][client]") {
  FakeS3 fake;
  Client other(FakeConfig(fake), "no-such-bucket");
  try {
    other.Put("k", "v");
    FAIL("no error");
  } catch (const PreconditionError& e) {
    CHECK_THAT(e.what(), Catch::Contains("bucket no-such-bucket does not exist at " + fake.endpoint()));
  }
  try {
    ThrowS3Error(other, "PUT object", "k", 403,
                 "<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message><RequestId>R</RequestId></Error>",
                 "key id ...0001 from the test account");
  } catch (const PreconditionError& e) {
    CHECK_THAT(e.what(), Catch::Contains("SignatureDoesNotMatch") && Catch::Contains("key id ...0001 from") &&
                             Catch::Contains("request id R"));
  }
  CHECK_THROWS_AS(ThrowS3Error(other, "GET object", "k", 400, "<Error><Code>InvalidRange</Code></Error>", ""), Error);
}

TEST_CASE("S3 client: DeleteMany sends 1000 keys per request", "[s3][client]") {
  FakeS3 fake;
  Client client(FakeConfig(fake), fake.bucket());
  std::vector<std::string> keys;
  for (int i = 0; i < 2500; ++i) keys.push_back("many/" + std::to_string(i));
  for (int i = 0; i < 3; ++i) client.Put(keys[static_cast<size_t>(i) * 1000], "x");
  client.DeleteMany(keys);
  CHECK(fake.delete_requests() == 3);
  CHECK(fake.objects().empty());
  client.DeleteMany({});
  CHECK(fake.delete_requests() == 3);
}

TEST_CASE("S3 client: an unreachable endpoint is exit 3 after the retries", "[s3][client]") {
  Config c = test::TestConfig("http://127.0.0.1:1", "AKIAFAKE0001", "x");
  c.ca_bundle.clear();
  c.max_attempts = 2;
  Client client(c, "bucket");
  try {
    client.Head("k");
    FAIL("no error");
  } catch (const PreconditionError& e) {
    CHECK_THAT(e.what(), Catch::Contains("cannot reach S3 endpoint http://127.0.0.1:1") &&
                             Catch::Contains("after 2 attempts"));
  }
}

}  // namespace capstan::s3
