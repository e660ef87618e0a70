// Streaming encryption of backup artifacts: AES-256-GCM in fixed-size segments (the STREAM construction, as in
// age), so that memory stays bounded by one segment whatever the size, and truncation, reordering, a dropped or
// added segment, appended bytes, a bit flip anywhere or the wrong key are all detected.
//
// Format, version 1 (all integers big-endian):
//   header, 52 bytes:
//     0   8  magic "CAPSTENC"
//     8   1  format version, 1
//     9   1  algorithm, 1: AES-256-GCM with a per-object HKDF-SHA-256 subkey
//    10   1  log2 of the segment size P (the plaintext bytes per segment), 10..24; 16 (64 KiB) by default
//    11   1  reserved, 0
//    12   8  key id: the first 8 bytes of SHA-256("capstan backup key id v1" 0x00 || key) (see crypt_key.h)
//    20  32  salt: 32 random bytes (RAND_bytes), new for every object
//   then segments 0, 1, ..., n-1, each the AES-256-GCM ciphertext of its plaintext followed by its 16-byte tag:
//     every segment but the last holds exactly P plaintext bytes; the last ("final") one holds 1..P bytes, or 0 when
//     it is the only one (an empty plaintext). An encrypted object is therefore 52 + plaintext + 16 * n bytes with
//     n = max(1, ceil(plaintext / P)).
//   subkey  = HKDF-SHA-256(key, salt, info "capstan backup segment key v1"), 32 bytes: one AES key per object,
//             so the 96-bit nonce space below is the object's own and nonces never repeat under one AES key
//   nonce i = 00 00 00 || i as 8 bytes || 01 for the final segment, 00 for the others
//   AAD     = the 52 header bytes, for every segment (the header is authenticated with each segment)
// A reader can tell a wrong key (the key id differs) from a corrupt object (the key id matches, a tag does not);
// a stream cut at a segment boundary fails because its last segment was not sealed as final, and bytes after the
// final segment fail because the final one is then read as an inner one.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "backup/crypt_key.h"
#include "backup/streams.h"
#include "util/error.h"

namespace capstan::backup {

class AesGcm;

inline constexpr size_t kCryptHeaderSize = 52;
inline constexpr size_t kDefaultSegmentSize = size_t{64} << 10;
inline constexpr size_t kMinSegmentSize = size_t{1} << 10;
inline constexpr size_t kMaxSegmentSize = size_t{16} << 20;

// The object was encrypted with another key than the one given (exit 2: the key file is the wrong input). The
// message names both key ids, never a key.
class WrongKeyError : public UsageError {
 public:
  using UsageError::UsageError;
};

// True when the bytes start like an encrypted stream (the magic), whatever follows.
bool LooksEncrypted(std::string_view first_bytes);

// The size of the encrypted form of a plaintext of `plain` bytes.
uint64_t EncryptedSize(uint64_t plain, size_t segment_size = kDefaultSegmentSize);

// Encrypts what is written to it into `out`. The header is written by the constructor; Finish() seals the final
// segment, and without it the object reads as truncated (an interrupted backup never decrypts as complete).
// segment_size: a power of two from kMinSegmentSize to kMaxSegmentSize (std::invalid_argument otherwise).
class EncryptSink : public ByteSink {
 public:
  EncryptSink(ByteSink& out, const Key& key, size_t segment_size = kDefaultSegmentSize);
  ~EncryptSink() override;
  EncryptSink(const EncryptSink&) = delete;
  EncryptSink& operator=(const EncryptSink&) = delete;
  void Write(const char* data, size_t n) override;
  void Finish();
  uint64_t bytes_in() const { return bytes_in_; }
  uint64_t bytes_out() const { return bytes_out_; }
  const std::string& key_id() const { return key_id_; }

 private:
  void Seal(bool final);
  ByteSink& out_;
  std::unique_ptr<AesGcm> aead_;
  unsigned char header_[kCryptHeaderSize];
  size_t segment_size_;
  std::unique_ptr<unsigned char[]> buf_;  // segment_size_ + tag
  size_t fill_ = 0;
  uint64_t counter_ = 0;
  uint64_t bytes_in_ = 0, bytes_out_ = 0;
  bool finished_ = false;
  std::string key_id_;
};

// Decrypts an encrypted stream, handing out only authenticated bytes. The constructor reads the header and the
// first segment: a stream that is not encrypted, of an unknown version, encrypted with another key (WrongKeyError)
// or corrupt at its start throws there, before the caller has written anything. Every error names `what` (a path
// or object name) and is a capstan::Error. Memory: two segments.
class DecryptSource : public ByteSource {
 public:
  DecryptSource(ByteSource& in, const Key& key, std::string what);
  ~DecryptSource() override;
  DecryptSource(const DecryptSource&) = delete;
  DecryptSource& operator=(const DecryptSource&) = delete;
  size_t Read(char* data, size_t n) override;
  const std::string& key_id() const { return key_id_; }  // the header's
  size_t segment_size() const { return segment_size_; }
  uint64_t bytes_out() const { return bytes_out_; }

 private:
  size_t Fill(size_t from, size_t want);
  void LoadSegment();
  ByteSource& in_;
  std::string what_;
  std::unique_ptr<AesGcm> aead_;
  unsigned char header_[kCryptHeaderSize];
  size_t segment_size_ = 0;
  std::unique_ptr<unsigned char[]> ct_;  // segment_size_ + tag + 1 byte of look-ahead
  std::unique_ptr<unsigned char[]> pt_;  // segment_size_
  bool carry_ = false;                   // ct_[0] holds the look-ahead byte of the previous segment
  size_t pt_len_ = 0, pos_ = 0;
  uint64_t counter_ = 0;
  uint64_t encrypted_offset_ = kCryptHeaderSize;
  uint64_t bytes_out_ = 0;
  bool final_seen_ = false;
  std::string key_id_;
};

}  // namespace capstan::backup
