#include "backup/crypt_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>

#include <openssl/crypto.h>

#include "digest/sha256.h"
#include "util/base64.h"
#include "util/error.h"
#include "util/strings.h"

namespace capstan::backup {

namespace {

constexpr size_t kMaxKeyFile = 4096;  // a key file is tiny; anything larger is not one (and is not read whole)
constexpr const char* kKeyIdDomain = "capstan backup key id v1";

std::string MustHold(const std::string& what) {
  return "an encryption key file must hold a 256-bit random key: 32 raw bytes, 64 hexadecimal characters "
                "or the base64 of 32 bytes (create one with: openssl rand -base64 32 > " +
         what + ")";
}

bool AllPrintable(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e) return false;
  }
  return true;
}

// A buffer of key material that is cleansed when it goes out of scope.
template <size_t N>
struct SecretBuffer {
  std::array<char, N> bytes{};
  size_t size = 0;
  ~SecretBuffer() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
  std::string_view view() const { return {bytes.data(), size}; }
};

}  // namespace

Key::Key(std::string_view raw) {
  if (raw.size() != kKeySize) throw std::invalid_argument("backup::Key needs exactly 32 bytes");
  std::memcpy(bytes_.data(), raw.data(), kKeySize);
}

Key::~Key() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

Key ParseKey(std::string_view contents, const std::string& what) {
  if (contents.size() == kKeySize) {
    if (AllPrintable(contents))
      throw UsageError(what + ": 32 printable characters look like a passphrase, not a random key; " +
                       MustHold(what));
    return Key(contents);
  }
  std::string_view text = contents;
  if (text.size() >= 2 && text.substr(text.size() - 2) == "\r\n")
    text.remove_suffix(2);
  else if (!text.empty() && text.back() == '\n')
    text.remove_suffix(1);
  if (text.size() == 2 * kKeySize) {
    SecretBuffer<kKeySize> raw;
    bool ok = true;
    for (size_t i = 0; i < kKeySize && ok; ++i) {
      int hi = HexDigitValue(text[2 * i]), lo = HexDigitValue(text[2 * i + 1]);
      ok = hi >= 0 && lo >= 0;
      raw.bytes[i] = static_cast<char>((ok ? hi : 0) * 16 + (ok ? lo : 0));
    }
    raw.size = kKeySize;
    if (ok) return Key(raw.view());
    throw UsageError(what + ": 64 characters that are not all hexadecimal digits; " +
                     MustHold(what));
  }
  if (text.size() == 43 || text.size() == 44) {
    bool alphabet = true;  // Base64Decode ignores whitespace: none is allowed inside a key
    for (char c : text)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=')) alphabet = false;
    std::optional<std::string> decoded = alphabet ? Base64Decode(text) : std::nullopt;
    if (decoded) {
      bool right_size = decoded->size() == kKeySize;
      std::optional<Key> key;
      if (right_size) key.emplace(*decoded);
      OPENSSL_cleanse(decoded->data(), decoded->size());
      if (key) return *key;
    }
    throw UsageError(what + ": " + std::to_string(text.size()) + " characters that are not the base64 of 32 bytes; " +
                     MustHold(what));
  }
  throw UsageError(what + ": holds " + std::to_string(contents.size()) + " bytes, which is none of these; " +
                   MustHold(what));
}

Key LoadKeyFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    throw UsageError("cannot read encryption key file " + path + ": " + std::strerror(errno) +
                     " (mount the key's Secret there, or give the right path)");
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw UsageError("encryption key file " + path + " is not a regular file; " + MustHold(path));
  }
  SecretBuffer<kMaxKeyFile + 1> buf;
  while (buf.size < buf.bytes.size()) {
    ssize_t r = ::read(fd, buf.bytes.data() + buf.size, buf.bytes.size() - buf.size);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      int err = errno;
      ::close(fd);
      throw UsageError("cannot read encryption key file " + path + ": " + std::strerror(err));
    }
    if (r == 0) break;
    buf.size += static_cast<size_t>(r);
  }
  ::close(fd);
  if (buf.size > kMaxKeyFile)
    throw UsageError(path + ": larger than " + std::to_string(kMaxKeyFile) + " bytes; " +
                     MustHold(path));
  return ParseKey(buf.view(), path);
}

std::array<unsigned char, 8> KeyIdBytes(const Key& key) {
  Sha256 h;
  h.Update(kKeyIdDomain, std::strlen(kKeyIdDomain) + 1);  // with its terminating 0x00
  h.Update(key.data(), key.size());
  std::string hex = h.HexDigest();
  std::array<unsigned char, 8> id{};
  for (size_t i = 0; i < id.size(); ++i)
    id[i] = static_cast<unsigned char>(HexDigitValue(hex[2 * i]) * 16 + HexDigitValue(hex[2 * i + 1]));
  return id;
}

std::string FormatKeyId(const unsigned char* id8) {
  static const char kHex[] = "0123456789abcdef";
  std::string s = "sha256:";
  for (size_t i = 0; i < 8; ++i) {
    s += kHex[id8[i] >> 4];
    s += kHex[id8[i] & 15];
  }
  return s;
}

std::string KeyId(const Key& key) { return FormatKeyId(KeyIdBytes(key).data()); }

}  // namespace capstan::backup
