// SHA-256 and HMAC-SHA-256 against the published test vectors (FIPS 180-2, RFC 4231 test case 2), one-shot and
// streamed in pieces of every size.
#include <catch2/catch.hpp>

#include <string>

#include "digest/sha256.h"

using capstan::HmacSha256;
using capstan::Sha256;

TEST_CASE("SHA-256 of the FIPS 180-2 vectors") {
  CHECK(Sha256::Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256::Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256::Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  Sha256 million;
  std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i) million.Update(chunk);
  CHECK(million.HexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("SHA-256 streamed in pieces equals the one-shot digest") {
  std::string text;
  for (int i = 0; i < 300; ++i) text += static_cast<char>(i * 7);
  std::string want = Sha256::Hex(text);
  for (size_t piece : {1u, 3u, 63u, 64u, 65u, 299u}) {
    Sha256 h;
    for (size_t i = 0; i < text.size(); i += piece) h.Update(std::string_view(text).substr(i, piece));
    CHECK(h.HexDigest() == want);
  }
  CHECK(want.size() == 64);
  CHECK(want.find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("HMAC-SHA-256 of RFC 4231 test case 2, the key changes the digest") {
  HmacSha256 h("Jefe");
  h.Update("what do ya ");
  h.Update("want for nothing?");
  CHECK(h.HexDigest() == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  HmacSha256 other("Jeff");
  other.Update("what do ya want for nothing?");
  CHECK(other.HexDigest() != "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}
