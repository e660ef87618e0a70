#include "digest/sha256.h"

// SHA-256 uses OpenSSL's low-level functions on purpose: the first EVP digest of a process loads the
// configuration file, the provider and the algorithm name map (about 5 million instructions, a third of a typical
// chart's post-render run), while SHA256_Init/Update/Final run the same implementation without that set-up. They
// are deprecated in OpenSSL 3 in favour of EVP, not removed; HMAC (keyed, rare) stays on EVP.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <stdexcept>

#include "util/strings.h"

namespace capstan {

struct Sha256::Impl {
  SHA256_CTX ctx;
};

Sha256::Sha256() : impl_(new Impl) {
  if (SHA256_Init(&impl_->ctx) != 1) throw std::runtime_error("OpenSSL SHA-256 initialisation failed");
}

Sha256::~Sha256() = default;

void Sha256::Update(std::string_view data) { Update(data.data(), data.size()); }

void Sha256::Update(const void* data, size_t n) {
  if (n && SHA256_Update(&impl_->ctx, data, n) != 1) throw std::runtime_error("OpenSSL SHA-256 update failed");
}

std::string Sha256::HexDigest() {
  unsigned char md[SHA256_DIGEST_LENGTH];
  if (SHA256_Final(md, &impl_->ctx) != 1) throw std::runtime_error("OpenSSL SHA-256 final failed");
  return capstan::Hex(md, sizeof md);
}

std::string Sha256::Hex(std::string_view data) {
  Sha256 h;
  h.Update(data);
  return h.HexDigest();
}

struct HmacSha256::Impl {
  EVP_MAC* mac = nullptr;
  EVP_MAC_CTX* ctx = nullptr;
};

HmacSha256::HmacSha256(std::string_view key) : impl_(new Impl) {
  impl_->mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (!impl_->mac) throw std::runtime_error("OpenSSL HMAC unavailable");
  impl_->ctx = EVP_MAC_CTX_new(impl_->mac);
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0), OSSL_PARAM_construct_end()};
  if (!impl_->ctx ||
      EVP_MAC_init(impl_->ctx, reinterpret_cast<const unsigned char*>(key.data()), key.size(), params) != 1)
    throw std::runtime_error("OpenSSL HMAC initialisation failed");
}

HmacSha256::~HmacSha256() {
  EVP_MAC_CTX_free(impl_->ctx);
  EVP_MAC_free(impl_->mac);
}

void HmacSha256::Update(std::string_view data) {
  if (!data.empty() &&
      EVP_MAC_update(impl_->ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
    throw std::runtime_error("OpenSSL HMAC update failed");
}

std::string HmacSha256::HexDigest() {
  unsigned char md[EVP_MAX_MD_SIZE];
  size_t len = 0;
  if (EVP_MAC_final(impl_->ctx, md, &len, sizeof md) != 1) throw std::runtime_error("OpenSSL HMAC final failed");
  return capstan::Hex(md, len);
}

}  // namespace capstan
