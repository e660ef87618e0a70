#include "s3/encoding.h"

#include "util/strings.h"

namespace capstan::s3 {


std::string UriEncode(std::string_view s, bool encode_slash) {
  return PercentEncodeUnreserved(s, encode_slash ? "" : "/");
}

std::optional<std::string> UriDecode(std::string_view s) {
  std::string out;
  size_t bad = 0;
  if (!PercentDecode(s, out, bad)) return std::nullopt;
  return out;
}

std::string HexToBytes(std::string_view hex) {
  if (hex.size() % 2 != 0) return "";
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = HexDigitValue(hex[i]), lo = HexDigitValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return "";
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

}  // namespace capstan::s3
