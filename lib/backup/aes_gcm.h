// The primitives under the encrypted backup stream (crypt_stream.h), on OpenSSL EVP: AES-256-GCM with 96-bit
// nonces and 128-bit tags, and HKDF-SHA-256 (RFC 5869). Key material is never logged; OpenSSL cleanses its
// contexts when they are freed.
#pragma once
#include <cstddef>
#include <string_view>

struct evp_cipher_ctx_st;  // OpenSSL's EVP_CIPHER_CTX

namespace capstan::backup {

inline constexpr size_t kGcmKeySize = 32;
inline constexpr size_t kGcmNonceSize = 12;
inline constexpr size_t kGcmTagSize = 16;

// One AES-256-GCM key, set up once, for many messages (each with its own nonce). Message sizes are limited to
// what EVP takes in one call (< 2 GiB).
class AesGcm {
 public:
  explicit AesGcm(const unsigned char* key);  // kGcmKeySize bytes
  ~AesGcm();
  AesGcm(const AesGcm&) = delete;
  AesGcm& operator=(const AesGcm&) = delete;

  // Encrypts n bytes of in into out (n bytes; out may equal in) and writes kGcmTagSize bytes of tag.
  void Seal(const unsigned char* nonce, const unsigned char* aad, size_t aad_n, const unsigned char* in, size_t n,
            unsigned char* out, unsigned char* tag);
  // Decrypts n bytes of in into out and checks the tag over nonce, aad and in. False when it does not match: out
  // then holds unauthenticated bytes that must not be used.
  bool Open(const unsigned char* nonce, const unsigned char* aad, size_t aad_n, const unsigned char* in, size_t n,
            const unsigned char* tag, unsigned char* out);

 private:
  evp_cipher_ctx_st* enc_ = nullptr;
  evp_cipher_ctx_st* dec_ = nullptr;
};

// HKDF-SHA-256: out_n bytes from the input key material, the salt and the info string.
void HkdfSha256(const unsigned char* ikm, size_t ikm_n, const unsigned char* salt, size_t salt_n,
                std::string_view info, unsigned char* out, size_t out_n);

// n random bytes from OpenSSL's CSPRNG (RAND_bytes); throws Error when it fails.
void RandomBytes(unsigned char* out, size_t n);

}  // namespace capstan::backup
