#include "backup/crypt_stream.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

#include <openssl/crypto.h>

#include "backup/aes_gcm.h"

namespace capstan::backup {

namespace {

constexpr char kMagic[8] = {'C', 'A', 'P', 'S', 'T', 'E', 'N', 'C'};
constexpr unsigned char kVersion = 1;
constexpr unsigned char kAlgorithm = 1;  // AES-256-GCM, HKDF-SHA-256 subkey per object
constexpr size_t kSaltSize = 32;
constexpr size_t kKeyIdOffset = 12, kSaltOffset = 20;
constexpr std::string_view kSubkeyInfo = "capstan backup segment key v1";
static_assert(kSaltOffset + kSaltSize == kCryptHeaderSize);

unsigned Log2(size_t n) {
  unsigned l = 0;
  while ((size_t{1} << l) < n) ++l;
  return l;
}

std::array<unsigned char, kGcmNonceSize> Nonce(uint64_t counter, bool final) {
  std::array<unsigned char, kGcmNonceSize> n{};
  for (int i = 0; i < 8; ++i) n[static_cast<size_t>(3 + i)] = static_cast<unsigned char>(counter >> (56 - 8 * i));
  n[11] = final ? 1 : 0;
  return n;
}

std::unique_ptr<AesGcm> SubkeyCipher(const Key& key, const unsigned char* header) {
  std::array<unsigned char, kGcmKeySize> subkey{};
  HkdfSha256(key.data(), key.size(), header + kSaltOffset, kSaltSize, kSubkeyInfo, subkey.data(), subkey.size());
  auto aead = std::make_unique<AesGcm>(subkey.data());
  OPENSSL_cleanse(subkey.data(), subkey.size());
  return aead;
}

}  // namespace

bool LooksEncrypted(std::string_view first_bytes) {
  return first_bytes.size() >= sizeof kMagic && std::memcmp(first_bytes.data(), kMagic, sizeof kMagic) == 0;
}

uint64_t EncryptedSize(uint64_t plain, size_t segment_size) {
  uint64_t segments = std::max<uint64_t>(1, (plain + segment_size - 1) / segment_size);
  return kCryptHeaderSize + plain + kGcmTagSize * segments;
}

// ---- EncryptSink ---------------------------------------------------------------------------------------------

EncryptSink::EncryptSink(ByteSink& out, const Key& key, size_t segment_size)
    : out_(out), segment_size_(segment_size), key_id_(KeyId(key)) {
  if (segment_size < kMinSegmentSize || segment_size > kMaxSegmentSize || (segment_size & (segment_size - 1)) != 0)
    throw std::invalid_argument("EncryptSink: the segment size must be a power of two from 1 KiB to 16 MiB");
  std::memcpy(header_, kMagic, sizeof kMagic);
  header_[8] = kVersion;
  header_[9] = kAlgorithm;
  header_[10] = static_cast<unsigned char>(Log2(segment_size));
  header_[11] = 0;
  auto id = KeyIdBytes(key);
  std::memcpy(header_ + kKeyIdOffset, id.data(), id.size());
  RandomBytes(header_ + kSaltOffset, kSaltSize);
  aead_ = SubkeyCipher(key, header_);
  buf_ = std::make_unique<unsigned char[]>(segment_size + kGcmTagSize);
  out_.Write(reinterpret_cast<const char*>(header_), kCryptHeaderSize);
  bytes_out_ = kCryptHeaderSize;
}

EncryptSink::~EncryptSink() {
  if (buf_) OPENSSL_cleanse(buf_.get(), segment_size_);
}

void EncryptSink::Write(const char* data, size_t n) {
  if (finished_) throw std::logic_error("EncryptSink::Write after Finish");
  bytes_in_ += n;
  while (n > 0) {
    if (fill_ == segment_size_) Seal(false);  // a full segment is sealed only once more data shows it is not last
    size_t k = std::min(n, segment_size_ - fill_);
    std::memcpy(buf_.get() + fill_, data, k);
    fill_ += k;
    data += k;
    n -= k;
  }
}

void EncryptSink::Finish() {
  if (finished_) return;
  Seal(true);
  finished_ = true;
}

void EncryptSink::Seal(bool final) {
  auto nonce = Nonce(counter_, final);
  aead_->Seal(nonce.data(), header_, kCryptHeaderSize, buf_.get(), fill_, buf_.get(), buf_.get() + fill_);
  out_.Write(reinterpret_cast<const char*>(buf_.get()), fill_ + kGcmTagSize);
  bytes_out_ += fill_ + kGcmTagSize;
  ++counter_;
  fill_ = 0;
}

// ---- DecryptSource -------------------------------------------------------------------------------------------

DecryptSource::DecryptSource(ByteSource& in, const Key& key, std::string what) : in_(in), what_(std::move(what)) {
  size_t got = 0;
  while (got < kCryptHeaderSize) {
    size_t r = in_.Read(reinterpret_cast<char*>(header_) + got, kCryptHeaderSize - got);
    if (r == 0) break;
    got += r;
  }
  std::string_view head(reinterpret_cast<const char*>(header_), got);
  if (got == 0) throw Error(what_ + ": empty, where an encrypted backup object was expected (an interrupted upload?)");
  if (!LooksEncrypted(head) && (got >= sizeof kMagic || head != std::string_view(kMagic, got)))
    throw Error(what_ + ": not an encrypted Capstan backup object (no CAPSTENC header): the file is corrupt, or " +
                "was not written with encryption");
  if (got < kCryptHeaderSize)
    throw Error(what_ + ": " + std::to_string(got) + " bytes, shorter than the " + std::to_string(kCryptHeaderSize) +
                "-byte header of an encrypted backup object: the file is truncated");
  if (header_[8] != kVersion)
    throw Error(what_ + ": encrypted with format version " + std::to_string(header_[8]) +
                ", this capstan reads version 1: restore with the capstan version that wrote it or a newer one");
  if (header_[9] != kAlgorithm)
    throw Error(what_ + ": encrypted with algorithm " + std::to_string(header_[9]) +
                ", this capstan knows only 1 (AES-256-GCM): the file is corrupt or from a newer capstan");
  unsigned log2 = header_[10];
  if (log2 < Log2(kMinSegmentSize) || log2 > Log2(kMaxSegmentSize) || header_[11] != 0)
    throw Error(what_ + ": the header of the encrypted object is corrupt (segment size 2^" + std::to_string(log2) +
                ", reserved byte " + std::to_string(header_[11]) + ")");
  key_id_ = FormatKeyId(header_ + kKeyIdOffset);
  auto ours = KeyIdBytes(key);
  if (std::memcmp(ours.data(), header_ + kKeyIdOffset, ours.size()) != 0)
    throw WrongKeyError(what_ + ": encrypted with key " + key_id_ + ", but the key given is " +
                        FormatKeyId(ours.data()) +
                        ": give the key this backup was made with (if that is the key, the header is corrupt)");
  segment_size_ = size_t{1} << log2;
  aead_ = SubkeyCipher(key, header_);
  ct_ = std::make_unique<unsigned char[]>(segment_size_ + kGcmTagSize + 1);
  pt_ = std::make_unique<unsigned char[]>(segment_size_);
  LoadSegment();
}

DecryptSource::~DecryptSource() {
  if (pt_) OPENSSL_cleanse(pt_.get(), segment_size_);
}

size_t DecryptSource::Fill(size_t from, size_t want) {
  size_t got = from;
  while (got < want) {
    size_t r = in_.Read(reinterpret_cast<char*>(ct_.get()) + got, want - got);
    if (r == 0) break;
    got += r;
  }
  return got;
}

void DecryptSource::LoadSegment() {
  const size_t full = segment_size_ + kGcmTagSize;
  size_t got = Fill(carry_ ? 1 : 0, full);
  carry_ = false;
  bool final = true;
  if (got == full) {  // full: it is the last one only when nothing follows (one byte of look-ahead)
    unsigned char* next = ct_.get() + full;
    if (in_.Read(reinterpret_cast<char*>(next), 1) == 1) final = false;
  }
  std::string where = "segment " + std::to_string(counter_) + " (bytes " + std::to_string(encrypted_offset_) + ".." +
                      std::to_string(encrypted_offset_ + got) + ")";
  if (got < kGcmTagSize)
    throw Error(what_ + ": ends inside " + where + ", before its authentication tag: the file is truncated");
  size_t n = got - kGcmTagSize;
  const unsigned char* tag = ct_.get() + n;
  auto open = [&](bool as_final) {
    auto nonce = Nonce(counter_, as_final);
    return aead_->Open(nonce.data(), header_, kCryptHeaderSize, ct_.get(), n, tag, pt_.get());
  };
  if (!open(final)) {
    if (final && got == full && open(false))
      throw Error(what_ + ": ends after " + where + " without the final segment: the file is truncated (an " +
                  "interrupted upload or copy?)");
    if (!final && open(true))
      throw Error(what_ + ": data follows the final segment (" + where + "): bytes were appended to the file");
    if (counter_ == 0)
      throw Error(what_ + ": the header or the first segment fails authentication (the key id " + key_id_ +
                  " matches the key given): the file is corrupt or was modified");
    throw Error(what_ + ": " + where + " fails authentication: the file is corrupt, truncated, reordered or was " +
                "modified");
  }
  if (final && n == 0 && counter_ > 0)
    throw Error(what_ + ": an empty final " + where + " after full ones: the file was not written by capstan");
  if (!final) {  // the look-ahead byte starts the next segment
    ct_[0] = ct_[full];
    carry_ = true;
  }
  encrypted_offset_ += got;
  pt_len_ = n;
  pos_ = 0;
  final_seen_ = final;
  ++counter_;
}

size_t DecryptSource::Read(char* data, size_t n) {
  if (n == 0) return 0;
  while (pos_ == pt_len_) {
    if (final_seen_) return 0;
    LoadSegment();
  }
  size_t k = std::min(n, pt_len_ - pos_);
  std::memcpy(data, pt_.get() + pos_, k);
  pos_ += k;
  bytes_out_ += k;
  return k;
}

}  // namespace capstan::backup
