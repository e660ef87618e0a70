// The backup encryption key: 256 bits read from a file (a mounted Secret), kept in a buffer that is cleansed
// (OPENSSL_cleanse) when the key is destroyed, and its key id, a non-secret name for it that manifests and
// encrypted streams record so that a restore with the wrong key is told so (instead of "corrupt").
#pragma once
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace capstan::backup {

inline constexpr size_t kKeySize = 32;  // AES-256

class Key {
 public:
  // The 32 key bytes (exactly kKeySize of them; anything else is a programming error: std::invalid_argument).
  explicit Key(std::string_view raw);
  Key(const Key& other) = default;  // each copy cleanses its own buffer
  Key& operator=(const Key& other) = default;
  ~Key();
  const unsigned char* data() const { return bytes_.data(); }
  static constexpr size_t size() { return kKeySize; }

 private:
  std::array<unsigned char, kKeySize> bytes_{};
};

// Reads a key file: exactly 32 raw bytes; or 64 hexadecimal characters; or the base64 of 32 bytes (44 characters
// with '=' padding, or 43 without). One trailing newline ("\n" or "\r\n") after the hex or base64 text is ignored.
// 32 raw bytes that are all printable ASCII are refused (a passphrase, not a random key). Anything else, an
// unreadable file or one that is not a regular file, is a UsageError naming the file and what it must hold, never
// quoting what it holds.
Key LoadKeyFile(const std::string& path);

// The same rules for a key file's contents already in memory; `what` names it in errors.
Key ParseKey(std::string_view contents, const std::string& what);

// The key id: "sha256:" + the first 16 hex digits of SHA-256("capstan backup key id v1" || 0x00 || key). A domain-
// separated hash, never the plain SHA-256 of the key (which may be in use elsewhere), and only 64 bits of it: it
// names a key, it does not help guess one.
std::string KeyId(const Key& key);
// The same 8 bytes raw (what the encrypted stream header holds).
std::array<unsigned char, 8> KeyIdBytes(const Key& key);
// "sha256:" + the hex of 8 raw key id bytes.
std::string FormatKeyId(const unsigned char* id8);

}  // namespace capstan::backup
