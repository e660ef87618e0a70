// CheckText: the encoding and control-character checks every YAML text passes before libfyaml sees it.
#include <cstdio>
#include <cstring>

#include "yaml/tree.h"

namespace capstan::yaml {

// The text must be UTF-8 (RFC 3629: no overlongs, surrogates or code points past U+10FFFF) without C0 control
// characters other than tab, LF and CR, and without DEL. libfyaml 0.7.12 lets some of these through, and hangs
// on invalid UTF-8 in a directive line.
void CheckText(std::string_view text) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size();
  uint32_t line = 0;
  size_t line_start = 0;
  bool explicit_key_seen = false;  // a '?' that may be an explicit key indicator (see below)
  auto fail = [&](size_t i, const std::string& what) {
    throw ParseError(what, line, static_cast<uint32_t>(i - line_start));
  };
  for (size_t i = 0; i < n;) {
    unsigned char c = p[i];
    if (c < 0x80) {
      // libfyaml 0.7.12 frees a simple key twice (fy_fetch_value, fuzz finds) when, while an explicit "? key" is
      // pending, a ':' value indicator is followed by blanks holding a tab and then '?', ':', '|', '>' or "- ": its
      // tab-indentation check fails after the key was already recycled. Refuse that combination before parsing.
      auto blank_or_end = [&](size_t k) {
        return k >= n || p[k] == ' ' || p[k] == '\t' || p[k] == '\n' || p[k] == '\r';
      };
      if (c == '?' && blank_or_end(i + 1)) {
        explicit_key_seen = true;
      } else if (c == ':' && explicit_key_seen) {
        size_t k = i + 1;
        bool tab = false;
        for (; k < n && (p[k] == ' ' || p[k] == '\t'); ++k) tab = tab || p[k] == '\t';
        bool indicator = k < n && (std::strchr("?:|>", p[k]) != nullptr || (p[k] == '-' && blank_or_end(k + 1)));
        if (tab && indicator)
          fail(i, "a tab after ':' before an indicator ('?', ':', '|', '>' or '-') in a document with explicit "
                  "'? key' entries is not supported: use spaces there");
      }
      if (c == '\n') {
        ++line;
        line_start = i + 1;
      } else if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "%02X", c);
        fail(i, std::string("control character U+00") + buf + " is not allowed in YAML");
      }
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) len = 3, lo = 0xA0;
    else if (c >= 0xE1 && c <= 0xEC) len = 3;
    else if (c == 0xED) len = 3, hi = 0x9F;
    else if (c >= 0xEE && c <= 0xEF) len = 3;
    else if (c == 0xF0) len = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) len = 4, hi = 0x8F;
    if (len == 0 || i + len > n || p[i + 1] < lo || p[i + 1] > hi) fail(i, "invalid UTF-8 byte sequence");
    for (size_t k = 2; k < len; ++k)
      if ((p[i + k] & 0xC0) != 0x80) fail(i, "invalid UTF-8 byte sequence");
    i += len;
  }
}

}  // namespace capstan::yaml
