// SHA-256 (OpenSSL's low-level functions: no EVP set-up on first use) and HMAC-SHA-256 (OpenSSL EVP) over streamed
// input, with hex output.
#pragma once
#include <memory>
#include <string>
#include <string_view>

namespace capstan {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view data);
  void Update(const void* data, size_t n);
  std::string HexDigest();  // finishes the hash; the object must not be updated afterwards
  static std::string Hex(std::string_view data);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// HMAC-SHA-256 with a secret key. The key is never logged or printed.
class HmacSha256 {
 public:
  explicit HmacSha256(std::string_view key);
  ~HmacSha256();
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;
  void Update(std::string_view data);
  std::string HexDigest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace capstan
