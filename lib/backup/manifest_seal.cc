#include "backup/manifest_seal.h"

#include <algorithm>
#include <cctype>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "backup/aes_gcm.h"
#include "backup/manifest.h"
#include "digest/sha256.h"
#include "util/error.h"
#include "util/strings.h"

namespace capstan::backup {

namespace {

// HMAC-SHA-256 of json under HKDF(key, info "capstan manifest seal v1"), in hex.
std::string ManifestMac(std::string_view json, const Key& key) {
  static const char kInfo[] = "capstan manifest seal v1";
  static const unsigned char kSalt[32] = {};  // RFC 5869's default: HashLen zero bytes
  unsigned char mac_key[32];
  HkdfSha256(key.data(), key.size(), kSalt, sizeof kSalt, std::string_view(kInfo, sizeof kInfo - 1), mac_key,
             sizeof mac_key);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  bool ok = HMAC(EVP_sha256(), mac_key, sizeof mac_key, reinterpret_cast<const unsigned char*>(json.data()),
                 json.size(), mac, &n) != nullptr;
  OPENSSL_cleanse(mac_key, sizeof mac_key);
  if (!ok) throw Error("cannot compute the manifest's HMAC (OpenSSL)");
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out += hex[mac[i] >> 4];
    out += hex[mac[i] & 15];
  }
  return out;
}

std::string Digest(std::string_view json, const Key* key) { return key ? ManifestMac(json, *key) : Sha256::Hex(json); }

}  // namespace

std::string SealText(std::string_view json, const Key* key) {
  return Digest(json, key) + "  " + kManifestFile + "\n";
}

void CheckSeal(std::string_view json, const std::optional<std::string>& seal, const std::string& manifest,
               const std::string& seal_where, const std::string& reseal, const Key* key) {
  if (!seal)
    throw Error(seal_where + " is missing: the manifest of this restore point is not sealed (written by an older "
                "Capstan, or the seal was removed), so it cannot be trusted for a restore. Check " + manifest +
                " (its artifacts and source directories), then seal it: " + reseal);
  std::string_view s = Trim(*seal);
  std::string recorded(s.substr(0, std::min<size_t>(s.size(), 64)));
  bool hex = recorded.size() == 64;
  for (char c : recorded) hex = hex && std::isxdigit(static_cast<unsigned char>(c));
  std::string rest(Trim(s.substr(recorded.size())));
  if (!hex || (rest != kManifestFile && rest != std::string("*") + kManifestFile))
    throw Error(seal_where + " is not a seal (expected \"<sha256>  manifest.json\"): the restore point is corrupt; "
                "use another restore point (capstan backup list)");
  std::string actual = Digest(json, key);
  if (ToLower(recorded) != actual)
    throw Error(manifest + " does not match its seal " + kManifestSealFile + " (" +
                (key ? "HMAC-SHA-256 under the encryption key " : "SHA-256 ") + actual.substr(0, 12) + ", sealed " +
                ToLower(recorded).substr(0, 12) + "): the manifest was changed after the backup; refusing to trust "
                "it. Use another restore point (capstan backup list)");
}

}  // namespace capstan::backup
