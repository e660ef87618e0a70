// Fuzz target for credential redaction (util/redact.h): the input is "<text>\0<secret>". Redaction must be
// idempotent, and a password put in a URL's userinfo, a password= pair or an Authorization header anywhere in
// arbitrary text must never survive it. Must never crash or hang (linear in the input).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "util/redact.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t sep = in.find('\0');
  std::string_view text = in.substr(0, sep);
  std::string once = capstan::RedactSecrets(text);
  if (capstan::RedactSecrets(once) != once) std::abort();
  if (sep == std::string_view::npos) return 0;
  // A secret of token characters (what a password or token usually is), at least 8 of them.
  std::string secret;
  for (char c : in.substr(sep + 1))
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) secret += c;
  if (secret.size() < 8) return 0;
  std::string t(text);
  size_t mid = t.size() / 2;
  for (const std::string& planted :
       {"postgres://app:" + secret + "@db:5432/x", " password=" + secret + " ", "\nAuthorization: Bearer " + secret + "\n"}) {
    std::string s = t.substr(0, mid) + " " + planted + " " + t.substr(mid);
    if (capstan::RedactSecrets(s).find(planted) != std::string::npos) std::abort();
  }
  return 0;
}
