// The encrypted backup stream: round trips at the sizes around a segment, every tampering (truncation, dropped,
// reordered, duplicated or appended segments, bit flips anywhere), the wrong key, and known-answer tests of the
// primitives (NIST GCM test case 16, RFC 5869 test case 1) to prove OpenSSL is called right.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "backup/aes_gcm.h"
#include "backup/crypt_key.h"
#include "backup/crypt_stream.h"
#include "backup/streams.h"
#include "util/error.h"

using namespace capstan;
using namespace capstan::backup;

namespace {

Key TestKey(char fill = 'k') {
  std::string k(32, fill);
  k[0] = '\x01';  // not all printable (not that it matters here)
  return Key(k);
}

std::string Plaintext(size_t n) {
  static const std::string marker = "PLAINTEXT-MARKER capstan backup ";
  std::string s;
  s.reserve(n);
  while (s.size() < n) s += marker;
  s.resize(n);
  return s;
}

std::string Encrypt(const std::string& plain, const Key& key, size_t segment = kDefaultSegmentSize,
                    size_t piece = 7000) {
  StringSink out;
  EncryptSink enc(out, key, segment);
  for (size_t i = 0; i < plain.size(); i += piece) enc.Write(plain.data() + i, std::min(piece, plain.size() - i));
  enc.Finish();
  CHECK(enc.bytes_in() == plain.size());
  CHECK(enc.bytes_out() == out.data().size());
  return out.data();
}

// A source that hands out at most `max` bytes per Read (exercises every short-read path).
class DribbleSource : public ByteSource {
 public:
  DribbleSource(const std::string& s, size_t max) : s_(s), max_(max) {}
  size_t Read(char* out, size_t n) override {
    size_t k = std::min({n, max_, s_.size() - pos_});
    std::memcpy(out, s_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  const std::string& s_;
  size_t max_;
  size_t pos_ = 0;
};

std::string Decrypt(const std::string& enc, const Key& key, size_t source_piece = 1 << 20, size_t read_piece = 5000) {
  DribbleSource src(enc, source_piece);
  DecryptSource dec(src, key, "backups/x/database.dump");
  std::string out;
  std::string buf(read_piece, '\0');
  while (size_t r = dec.Read(buf.data(), buf.size())) out.append(buf.data(), r);
  CHECK(dec.Read(buf.data(), buf.size()) == 0);  // stays at the end
  CHECK(dec.bytes_out() == out.size());
  return out;
}

// The message of the Error decrypting `enc` throws (fails the test when it decrypts).
std::string DecryptError(const std::string& enc, const Key& key) {
  try {
    Decrypt(enc, key);
  } catch (const Error& e) {
    return e.what();
  }
  FAIL("decrypted");
  return "";
}

}  // namespace

TEST_CASE("AES-256-GCM known answer: NIST GCM test case 16 (McGrew and Viega)") {
  auto hex = [](const char* h) {
    std::string s;
    for (size_t i = 0; h[i] && h[i + 1]; i += 2) s += static_cast<char>(std::stoi(std::string(h + i, 2), nullptr, 16));
    return s;
  };
  auto u = [](const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); };
  std::string key = hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
  std::string iv = hex("cafebabefacedbaddecaf888");
  std::string aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  std::string pt = hex(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657"
      "ba637b39");
  std::string want_ct = hex(
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0a"
      "bcc9f662");
  std::string want_tag = hex("76fc6ece0f4e1768cddf8853bb2d551b");
  AesGcm gcm(u(key));
  std::string ct(pt.size(), '\0'), tag(16, '\0');
  gcm.Seal(u(iv), u(aad), aad.size(), u(pt), pt.size(), reinterpret_cast<unsigned char*>(ct.data()),
           reinterpret_cast<unsigned char*>(tag.data()));
  CHECK(ct == want_ct);
  CHECK(tag == want_tag);
  std::string back(pt.size(), '\0');
  CHECK(gcm.Open(u(iv), u(aad), aad.size(), u(ct), ct.size(), u(tag), reinterpret_cast<unsigned char*>(back.data())));
  CHECK(back == pt);
  tag[15] = static_cast<char>(tag[15] ^ 1);
  CHECK_FALSE(
      gcm.Open(u(iv), u(aad), aad.size(), u(ct), ct.size(), u(tag), reinterpret_cast<unsigned char*>(back.data())));
  tag[15] = static_cast<char>(tag[15] ^ 1);
  aad[0] = static_cast<char>(aad[0] ^ 1);
  CHECK_FALSE(
      gcm.Open(u(iv), u(aad), aad.size(), u(ct), ct.size(), u(tag), reinterpret_cast<unsigned char*>(back.data())));
  // Twice with the same object: the context is reset per message.
  std::string ct2(pt.size(), '\0'), tag2(16, '\0');
  gcm.Seal(u(iv), u(aad), 0, u(pt), pt.size(), reinterpret_cast<unsigned char*>(ct2.data()),
           reinterpret_cast<unsigned char*>(tag2.data()));
  CHECK(ct2 == want_ct);  // same key stream; the tag differs (no AAD)
  CHECK(tag2 != want_tag);
}

TEST_CASE("HKDF-SHA-256 known answer: RFC 5869 test case 1") {
  std::string ikm(22, '\x0b');
  unsigned char salt[13], out[42];
  for (int i = 0; i < 13; ++i) salt[i] = static_cast<unsigned char>(i);
  std::string info;
  for (int i = 0xf0; i <= 0xf9; ++i) info += static_cast<char>(i);
  HkdfSha256(reinterpret_cast<const unsigned char*>(ikm.data()), ikm.size(), salt, sizeof salt, info, out, sizeof out);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : out) (hex += kHex[c >> 4]) += kHex[c & 15];
  CHECK(hex == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

TEST_CASE("encrypted stream: round trips at the sizes around a segment") {
  Key key = TestKey();
  for (size_t segment : {kMinSegmentSize, kDefaultSegmentSize}) {
    for (size_t n : {size_t{0}, size_t{1}, segment - 1, segment, segment + 1, 2 * segment, 3 * segment + 17}) {
      INFO("segment " << segment << ", size " << n);
      std::string plain = Plaintext(n);
      std::string enc = Encrypt(plain, key, segment);
      CHECK(enc.size() == EncryptedSize(n, segment));
      CHECK(LooksEncrypted(enc));
      CHECK(Decrypt(enc, key) == plain);
      CHECK(Decrypt(enc, key, 1, 1) == plain);      // one byte at a time, both sides
      CHECK(Decrypt(enc, key, 13, 100000) == plain);  // short source reads, large reader
    }
  }
  std::string big = Plaintext((size_t{5} << 20) + 12345);
  for (size_t i = 0; i < big.size(); i += 4093) big[i] = static_cast<char>(i * 31);
  std::string enc = Encrypt(big, key, kDefaultSegmentSize, 1 << 20);
  CHECK(enc.size() == EncryptedSize(big.size()));
  CHECK(Decrypt(enc, key, 100000, 1 << 20) == big);
  // The header at the start, the segment size recorded.
  MemorySource src(enc.data(), enc.size());
  DecryptSource dec(src, key, "big");
  CHECK(dec.segment_size() == kDefaultSegmentSize);
  CHECK(dec.key_id() == KeyId(key));
}

TEST_CASE("encrypted stream: the plaintext never shows, and two encryptions differ") {
  Key key = TestKey();
  std::string plain = Plaintext(200000);
  std::string a = Encrypt(plain, key), b = Encrypt(plain, key);
  CHECK(a.find("PLAINTEXT-MARKER") == std::string::npos);
  CHECK(a.find("capstan backup") == std::string::npos);
  CHECK(a != b);
  CHECK(a.substr(0, 20) == b.substr(0, 20));  // magic, version, sizes, key id
  CHECK(a.substr(20, 32) != b.substr(20, 32));  // the salt
  // No 16-byte block in common after the header: different subkeys, different key streams.
  size_t common = 0;
  for (size_t i = kCryptHeaderSize; i + 16 <= a.size(); i += 16)
    if (a.compare(i, 16, b, i, 16) == 0) ++common;
  CHECK(common == 0);
  // The same plaintext repeated within one object does not repeat in the ciphertext.
  std::string same(4 * kMinSegmentSize, 'A');
  std::string e = Encrypt(same, key, kMinSegmentSize);
  size_t seg = kMinSegmentSize + 16;
  CHECK(e.compare(kCryptHeaderSize, 64, e, kCryptHeaderSize + seg, 64) != 0);
}

TEST_CASE("encrypted stream: truncation anywhere is detected") {
  Key key = TestKey();
  const size_t seg = kMinSegmentSize;
  std::string enc = Encrypt(Plaintext(4 * seg + 100), key, seg);  // 4 full segments and a final one of 100 bytes
  for (size_t len = 0; len < enc.size(); ++len) {
    INFO("cut at " << len);
    std::string msg = DecryptError(enc.substr(0, len), key);
    CHECK(msg.find("backups/x/database.dump") == 0);
  }
  CHECK(DecryptError("", key).find("empty") != std::string::npos);
  CHECK(DecryptError(enc.substr(0, 30), key).find("shorter than the 52-byte header") != std::string::npos);
  CHECK(DecryptError(enc.substr(0, kCryptHeaderSize), key).find("ends inside segment 0") != std::string::npos);
  // Cut at a segment boundary (the last segment dropped): named as truncated.
  size_t boundary = kCryptHeaderSize + 4 * (seg + 16);
  CHECK(DecryptError(enc.substr(0, boundary), key).find("without the final segment: the file is truncated") !=
        std::string::npos);
  CHECK(DecryptError(enc.substr(0, boundary - (seg + 16)), key).find("without the final segment") !=
        std::string::npos);
  // An encryption that was never finished reads the same way.
  StringSink out;
  {
    EncryptSink unfinished(out, key, seg);
    std::string p = Plaintext(3 * seg);
    unfinished.Write(p.data(), p.size());
  }
  CHECK(DecryptError(out.data(), key).find("without the final segment") != std::string::npos);
}

TEST_CASE("encrypted stream: reordered, duplicated and appended segments are detected") {
  Key key = TestKey();
  const size_t seg = kMinSegmentSize, whole = seg + 16;
  std::string enc = Encrypt(Plaintext(4 * seg + 100), key, seg);
  auto segment = [&](size_t i) { return enc.substr(kCryptHeaderSize + i * whole, whole); };
  std::string header = enc.substr(0, kCryptHeaderSize);
  std::string rest = enc.substr(header.size() + 4 * whole);
  std::string swapped = header + segment(0) + segment(2) + segment(1) + segment(3) + rest;
  CHECK(DecryptError(swapped, key).find("segment 1 (bytes 1092..2132) fails authentication") != std::string::npos);
  std::string duplicated = header + segment(0) + segment(1) + segment(1) + enc.substr(header.size() + 2 * whole);
  CHECK(DecryptError(duplicated, key).find("segment 2") != std::string::npos);
  std::string dropped_inner = header + segment(0) + enc.substr(header.size() + 2 * whole);
  CHECK(DecryptError(dropped_inner, key).find("segment 1") != std::string::npos);
  // Appended bytes: after a short final segment they make it fail; after a full final segment they are named.
  for (std::string tail : {std::string(1, 'x'), std::string(16, '\0'), segment(0)}) {
    CHECK_THROWS_AS(Decrypt(enc + tail, key), Error);
  }
  std::string full = Encrypt(Plaintext(4 * seg), key, seg);
  CHECK(DecryptError(full + "x", key).find("data follows the final segment") != std::string::npos);
  CHECK(DecryptError(full + full, key).find("data follows the final segment") != std::string::npos);
  // Segments of another object (same key, another salt) do not fit.
  std::string other = Encrypt(Plaintext(4 * seg + 100), key, seg);
  std::string spliced = header + segment(0) + other.substr(kCryptHeaderSize + whole);
  CHECK(DecryptError(spliced, key).find("segment 1") != std::string::npos);
  std::string other_header = other.substr(0, kCryptHeaderSize) + enc.substr(kCryptHeaderSize);
  CHECK(DecryptError(other_header, key).find("the header or the first segment fails authentication") !=
        std::string::npos);
}

TEST_CASE("encrypted stream: a bit flip anywhere is detected") {
  Key key = TestKey();
  const size_t seg = kMinSegmentSize;
  std::string enc = Encrypt(Plaintext(2 * seg + 50), key, seg);
  for (size_t i = 0; i < enc.size(); ++i) {
    std::string bad = enc;
    bad[i] = static_cast<char>(bad[i] ^ (1 << (i % 8)));
    INFO("byte " << i);
    CHECK_THROWS_AS(Decrypt(bad, key), Error);
  }
  auto flip = [&](size_t i) {
    std::string bad = enc;
    bad[i] = static_cast<char>(bad[i] ^ 1);
    return DecryptError(bad, key);
  };
  CHECK(flip(0).find("not an encrypted Capstan backup object") != std::string::npos);
  CHECK(flip(8).find("format version 0") != std::string::npos);
  CHECK(flip(9).find("algorithm 0") != std::string::npos);
  CHECK(flip(10).find("header or the first segment fails authentication") != std::string::npos);  // 2^11 is valid
  CHECK(flip(11).find("header of the encrypted object is corrupt") != std::string::npos);
  CHECK(flip(12).find("encrypted with key") != std::string::npos);  // a damaged key id reads as another key
  CHECK(flip(30).find("header or the first segment fails authentication") != std::string::npos);  // the salt
  CHECK(flip(kCryptHeaderSize + seg + 16 + 5).find("segment 1") != std::string::npos);
}

TEST_CASE("encrypted stream: the wrong key is named as such, not as corruption") {
  Key key = TestKey(), other = TestKey('o');
  std::string enc = Encrypt(Plaintext(5000), key, kMinSegmentSize);
  MemorySource src(enc.data(), enc.size());
  try {
    DecryptSource dec(src, other, "s3://bucket/x/database.dump");
    FAIL("decrypted with the wrong key");
  } catch (const WrongKeyError& e) {
    std::string msg = e.what();
    CHECK(msg.find("s3://bucket/x/database.dump: encrypted with key " + KeyId(key) + ", but the key given is " +
                   KeyId(other)) == 0);
    CHECK(e.exit_code() == kExitUsage);
  }
  // Refused before any byte is handed out: the constructor throws.
  std::string plain = "not encrypted at all, just a dump";
  MemorySource plain_src(plain.data(), plain.size());
  CHECK_THROWS_WITH(DecryptSource(plain_src, key, "d"), Catch::Contains("d: not an encrypted Capstan backup object"));
}

TEST_CASE("encrypted stream: misuse") {
  Key key = TestKey();
  StringSink out;
  CHECK_THROWS_AS(EncryptSink(out, key, 1000), std::invalid_argument);
  CHECK_THROWS_AS(EncryptSink(out, key, 512), std::invalid_argument);
  CHECK_THROWS_AS(EncryptSink(out, key, kMaxSegmentSize * 2), std::invalid_argument);
  StringSink out2;
  EncryptSink enc(out2, key);
  enc.Finish();
  enc.Finish();  // idempotent
  CHECK_THROWS_AS(enc.Write("x", 1), std::logic_error);
  CHECK(out2.data().size() == kCryptHeaderSize + 16);
  CHECK(Decrypt(out2.data(), key).empty());
  CHECK(enc.key_id() == KeyId(key));
}

TEST_CASE("encrypted stream: throughput", "[.][bench]") {
  // Memory to memory, 1 MiB writes and reads: what the format costs on this machine (run it alone:
  // unit_backup '[bench]').
  Key key = TestKey();
  const std::string plain = Plaintext(size_t{256} << 20);
  StringSink out;
  out.data().reserve(EncryptedSize(plain.size()));
  auto t0 = std::chrono::steady_clock::now();
  {
    EncryptSink enc(out, key);
    for (size_t i = 0; i < plain.size(); i += 1 << 20) enc.Write(plain.data() + i, 1 << 20);
    enc.Finish();
  }
  auto t1 = std::chrono::steady_clock::now();
  MemorySource src(out.data().data(), out.data().size());
  DecryptSource dec(src, key, "bench");
  std::string buf(1 << 20, '\0');
  size_t total = 0;
  bool same = true;
  while (size_t r = dec.Read(buf.data(), buf.size())) {
    same = same && plain.compare(total, r, buf.data(), r) == 0;
    total += r;
  }
  auto t2 = std::chrono::steady_clock::now();
  CHECK(same);
  CHECK(total == plain.size());
  auto mbps = [&](auto a, auto b) {
    return static_cast<double>(plain.size()) / 1e6 / std::chrono::duration<double>(b - a).count();
  };
  std::printf("encrypt %.0f MB/s, decrypt %.0f MB/s (256 MiB, 64 KiB segments)\n", mbps(t0, t1), mbps(t1, t2));
}
