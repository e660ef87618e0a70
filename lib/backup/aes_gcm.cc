#include "backup/aes_gcm.h"

#include <climits>
#include <string>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "util/error.h"

namespace capstan::backup {

namespace {

[[noreturn]] void ThrowOpenssl(const std::string& what) {
  char buf[256] = "no OpenSSL error queued";
  if (unsigned long e = ERR_get_error()) ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  throw Error("OpenSSL " + what + " failed: " + buf);
}

int Int(size_t n) {
  if (n > static_cast<size_t>(INT_MAX)) throw Error("AES-GCM message too large for one call");
  return static_cast<int>(n);
}

evp_cipher_ctx_st* NewContext(const unsigned char* key, int enc) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (!ctx) ThrowOpenssl("EVP_CIPHER_CTX_new");
  if (EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key, nullptr, enc) != 1) {
    EVP_CIPHER_CTX_free(ctx);
    ThrowOpenssl("AES-256-GCM key set-up");
  }
  return ctx;
}

}  // namespace

AesGcm::AesGcm(const unsigned char* key) {
  enc_ = NewContext(key, 1);
  try {
    dec_ = NewContext(key, 0);
  } catch (...) {
    EVP_CIPHER_CTX_free(enc_);
    throw;
  }
}

AesGcm::~AesGcm() {
  EVP_CIPHER_CTX_free(enc_);
  EVP_CIPHER_CTX_free(dec_);
}

void AesGcm::Seal(const unsigned char* nonce, const unsigned char* aad, size_t aad_n, const unsigned char* in,
                  size_t n, unsigned char* out, unsigned char* tag) {
  int len = 0;
  if (EVP_EncryptInit_ex(enc_, nullptr, nullptr, nullptr, nonce) != 1) ThrowOpenssl("AES-GCM nonce set-up");
  if (aad_n > 0 && EVP_EncryptUpdate(enc_, nullptr, &len, aad, Int(aad_n)) != 1) ThrowOpenssl("AES-GCM AAD");
  if (n > 0 && EVP_EncryptUpdate(enc_, out, &len, in, Int(n)) != 1) ThrowOpenssl("AES-GCM encryption");
  if (EVP_EncryptFinal_ex(enc_, out + n, &len) != 1) ThrowOpenssl("AES-GCM encryption");
  if (EVP_CIPHER_CTX_ctrl(enc_, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagSize), tag) != 1)
    ThrowOpenssl("AES-GCM tag");
}

bool AesGcm::Open(const unsigned char* nonce, const unsigned char* aad, size_t aad_n, const unsigned char* in,
                  size_t n, const unsigned char* tag, unsigned char* out) {
  int len = 0;
  if (EVP_DecryptInit_ex(dec_, nullptr, nullptr, nullptr, nonce) != 1) ThrowOpenssl("AES-GCM nonce set-up");
  if (aad_n > 0 && EVP_DecryptUpdate(dec_, nullptr, &len, aad, Int(aad_n)) != 1) ThrowOpenssl("AES-GCM AAD");
  if (n > 0 && EVP_DecryptUpdate(dec_, out, &len, in, Int(n)) != 1) ThrowOpenssl("AES-GCM decryption");
  // EVP takes a non-const tag pointer for SET_TAG; it only copies from it.
  unsigned char t[kGcmTagSize];
  for (size_t i = 0; i < kGcmTagSize; ++i) t[i] = tag[i];
  if (EVP_CIPHER_CTX_ctrl(dec_, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagSize), t) != 1)
    ThrowOpenssl("AES-GCM tag");
  bool ok = EVP_DecryptFinal_ex(dec_, out + n, &len) == 1;
  ERR_clear_error();  // a tag mismatch queues nothing worth keeping
  return ok;
}

void HkdfSha256(const unsigned char* ikm, size_t ikm_n, const unsigned char* salt, size_t salt_n,
                std::string_view info, unsigned char* out, size_t out_n) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  if (!kdf) ThrowOpenssl("HKDF fetch");
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  if (!ctx) ThrowOpenssl("HKDF context");
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<unsigned char*>(ikm), ikm_n),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<unsigned char*>(salt), salt_n),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()), info.size()),
      OSSL_PARAM_construct_end()};
  int rc = EVP_KDF_derive(ctx, out, out_n, params);
  EVP_KDF_CTX_free(ctx);
  if (rc != 1) ThrowOpenssl("HKDF-SHA-256");
}

void RandomBytes(unsigned char* out, size_t n) {
  if (RAND_bytes(out, Int(n)) != 1) ThrowOpenssl("RAND_bytes");
}

}  // namespace capstan::backup
