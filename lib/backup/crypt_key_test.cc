// The encryption key file: its three accepted forms (raw, hex, base64; a trailing newline after text), what is
// refused and how the refusal reads (naming the file, never quoting it), and the key id.
#include <catch2/catch.hpp>

#include <string>

#include "backup/crypt_key.h"
#include "digest/sha256.h"
#include "support/test_support.h"
#include "util/error.h"

using namespace capstan;
using namespace capstan::backup;

namespace {

std::string Bytes0To31() {
  std::string k;
  for (int i = 0; i < 32; ++i) k += static_cast<char>(i);
  return k;
}

std::string RawOf(const Key& k) { return std::string(reinterpret_cast<const char*>(k.data()), k.size()); }

}  // namespace

TEST_CASE("key files: raw, hex and base64 forms give the same key") {
  test::TempDir dir;
  const std::string raw = Bytes0To31();
  const std::string hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  const std::string b64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  for (const std::string& contents :
       {raw, hex, hex + "\n", hex + "\r\n", b64, b64 + "\n", b64 + "\r\n", b64.substr(0, 43),
        b64.substr(0, 43) + "\n"}) {
    INFO(contents.size());
    CHECK(RawOf(LoadKeyFile(dir.Write("key", contents))) == raw);
  }
  std::string upper = hex;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(RawOf(LoadKeyFile(dir.Write("key", upper))) == raw);
  // Raw bytes that happen to end in a newline are kept as they are.
  std::string nl = raw;
  nl[31] = '\n';
  CHECK(RawOf(LoadKeyFile(dir.Write("key", nl))) == nl);
}

TEST_CASE("key files: anything else is a usage error naming the file, never its contents") {
  test::TempDir dir;
  const std::string hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  struct Case {
    std::string contents, why;
  };
  const Case cases[] = {
      {"", "holds 0 bytes"},
      {"secret-passphrase\n", "holds 18 bytes"},
      {"correct horse battery staple 123", "passphrase"},        // 32 printable bytes
      {hex.substr(0, 63) + "g", "not all hexadecimal"},          // 64 characters, one not hex
      {hex + "\n\n", "holds 66 bytes"},                          // only one newline is ignored
      {" " + hex, "holds 65 bytes"},
      {"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh==", "not the base64 of 32 bytes"},  // 31 bytes
      {"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGx wdHh8", "not the base64"},              // whitespace inside
      {"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd*h8=", "not the base64"},
      {std::string(5000, 'k'), "larger than 4096 bytes"},
  };
  for (const Case& c : cases) {
    std::string path = dir.Write("key", c.contents);
    INFO(c.why);
    try {
      LoadKeyFile(path);
      FAIL("accepted");
    } catch (const UsageError& e) {
      std::string msg = e.what();
      CHECK(msg.find(path) != std::string::npos);
      CHECK(msg.find(c.why) != std::string::npos);
      CHECK(msg.find("32 raw bytes, 64 hexadecimal characters or the base64 of 32 bytes") != std::string::npos);
      CHECK(e.exit_code() == kExitUsage);
      if (c.contents.size() >= 8 && c.contents.size() < 100) CHECK(msg.find(c.contents) == std::string::npos);
      CHECK(msg.find("horse") == std::string::npos);
    }
  }
  CHECK_THROWS_AS(LoadKeyFile(dir.path() + "/missing"), UsageError);
  CHECK_THROWS_WITH(LoadKeyFile(dir.path() + "/missing"), Catch::Contains("cannot read encryption key file"));
  CHECK_THROWS_WITH(LoadKeyFile(dir.path()), Catch::Contains("is not a regular file"));
}

TEST_CASE("key id: domain-separated, short, stable, different per key") {
  Key k(Bytes0To31());
  // "sha256:" + the first 16 hex of SHA-256("capstan backup key id v1\0" || key): computed independently (Python).
  CHECK(KeyId(k) == "sha256:681167192102711b");
  CHECK(KeyId(k) != "sha256:" + Sha256::Hex(Bytes0To31()).substr(0, 16));  // not the plain hash of the key
  std::string other = Bytes0To31();
  other[0] = 1;
  CHECK(KeyId(Key(other)) != KeyId(k));
  auto id = KeyIdBytes(k);
  CHECK(FormatKeyId(id.data()) == KeyId(k));
  CHECK_THROWS_AS(Key("short"), std::invalid_argument);
}
