#include "util/redact.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <vector>

namespace capstan {

namespace {

constexpr std::string_view kMask = "***";

std::mutex g_secrets_mu;
std::vector<std::string>& Secrets() {
  static auto* s = new std::vector<std::string>();
  return *s;
}

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }
bool IsSpace(char c) { return c == ' ' || c == '\t'; }
bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}
// Characters of a token or a base64 credential.
bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '~' || c == '+' ||
         c == '/' || c == '=' || c == ':' || c == '%';
}
bool IsJwtChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (Lower(a[i]) != Lower(b[i])) return false;
  return true;
}

// Replaces out[begin, end) with the mask (unless it already is the mask) and returns the index just after it.
size_t Mask(std::string& out, size_t begin, size_t end) {
  if (end <= begin) return begin;
  if (std::string_view(out).substr(begin, end - begin) == kMask) return end;
  out.replace(begin, end - begin, kMask);
  return begin + kMask.size();
}

void RedactRegistered(std::string& out) {
  std::vector<std::string> secrets;
  {
    std::lock_guard<std::mutex> lock(g_secrets_mu);
    secrets = Secrets();
  }
  for (const auto& s : secrets) {
    for (size_t p = out.find(s); p != std::string::npos; p = out.find(s, p)) {
      out.replace(p, s.size(), kMask);
      p += kMask.size();
    }
  }
}

// scheme://user:password@host -> scheme://user:***@host, for every URL in the text.
void RedactUserinfo(std::string& out) {
  for (size_t p = out.find("://"); p != std::string::npos; p = out.find("://", p + 3)) {
    size_t start = p + 3;
    size_t end = start;
    while (end < out.size()) {
      char c = out[end];
      if (c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' ||
          std::isspace(static_cast<unsigned char>(c)))
        break;
      ++end;
    }
    size_t at = out.rfind('@', end == 0 ? 0 : end - 1);
    if (at == std::string::npos || at < start || at >= end) continue;
    size_t colon = out.find(':', start);
    if (colon == std::string::npos || colon >= at) continue;
    Mask(out, colon + 1, at);
  }
}

// Names whose value is a credential when an identifier ends with them: PASSWORD=, sslpassword=, client_secret=,
// access_token=, "token": ... ("password-file=" or "token_path=" do not end with them and stay).
constexpr std::array<std::string_view, 7> kSecretKeys = {"password", "passwd", "token", "secret",
                                                         "apikey", "api_key", "api-key"};

bool EndsWithSecretKey(std::string_view ident) {
  for (auto k : kSecretKeys) {
    if (ident.size() < k.size()) continue;
    if (EqualsNoCase(ident.substr(ident.size() - k.size()), k)) return true;
  }
  return false;
}

// The end of a value starting at v: a quoted value up to its closing quote, else up to a separator.
size_t ValueEnd(const std::string& out, size_t v, bool& quoted) {
  quoted = false;
  if (v < out.size() && (out[v] == '\'' || out[v] == '"')) {
    char q = out[v];
    size_t j = v + 1;
    while (j < out.size() && out[j] != q) j += (out[j] == '\\') ? 2 : 1;
    quoted = true;
    return std::min(j, out.size());  // the closing quote is not part of the value
  }
  size_t j = v;
  while (j < out.size()) {
    char c = out[j];
    if (std::isspace(static_cast<unsigned char>(c)) || c == '&' || c == ',' || c == ';' || c == ')' || c == '"' ||
        c == '\'' || c == '}' || c == ']')
      break;
    ++j;
  }
  return j;
}

// KEY=value and "KEY": "value" for credential keys; Authorization headers keep their scheme word.
void RedactKeyValues(std::string& out) {
  size_t i = 0;
  while (i < out.size()) {
    if (!IsIdentChar(out[i]) || (i > 0 && IsIdentChar(out[i - 1]))) {
      ++i;
      continue;
    }
    size_t e = i;
    while (e < out.size() && IsIdentChar(out[e])) ++e;
    std::string_view ident(out.data() + i, e - i);
    bool authorization = ident.size() >= 13 && EqualsNoCase(ident.substr(ident.size() - 13), "authorization");
    if (!authorization && !EndsWithSecretKey(ident)) {
      i = e;
      continue;
    }
    bool key_quoted = i > 0 && (out[i - 1] == '"' || out[i - 1] == '\'') && e < out.size() && out[e] == out[i - 1];
    size_t j = key_quoted ? e + 1 : e;
    while (j < out.size() && IsSpace(out[j])) ++j;
    // '=' always separates a value; ':' only after a quoted key (JSON) or for an Authorization header.
    if (j >= out.size() || !(out[j] == '=' || (out[j] == ':' && (key_quoted || authorization)))) {
      i = e;
      continue;
    }
    char separator = out[j++];
    while (j < out.size() && IsSpace(out[j])) ++j;
    bool quoted = false;
    size_t value_start = j;
    size_t value_end = ValueEnd(out, j, quoted);
    if (quoted) ++value_start;
    if (authorization) {
      // "Bearer abc" / "Basic abc": keep the scheme word, hide the credential after it. Without a scheme word the
      // value is hidden only in the key=value and JSON forms ("authorization: denied" is prose).
      size_t w = value_start;
      while (w < out.size() && std::isalpha(static_cast<unsigned char>(out[w]))) ++w;
      std::string_view scheme(out.data() + value_start, w - value_start);
      bool known = EqualsNoCase(scheme, "bearer") || EqualsNoCase(scheme, "basic") ||
                   EqualsNoCase(scheme, "token") || EqualsNoCase(scheme, "digest") ||
                   EqualsNoCase(scheme, "negotiate");
      if (known && w < out.size() && IsSpace(out[w])) {
        size_t cred = w;
        while (cred < out.size() && IsSpace(out[cred])) ++cred;
        size_t cred_end = cred;
        while (cred_end < out.size() && IsTokenChar(out[cred_end])) ++cred_end;
        i = Mask(out, cred, cred_end);
        continue;
      }
      if (separator == ':' && !key_quoted) {
        i = e;
        continue;
      }
    }
    i = Mask(out, value_start, value_end);
  }
}

// "Bearer TOKEN" anywhere (a header echoed into a message, a curl command line).
void RedactBearer(std::string& out) {
  static constexpr std::string_view kWord = "bearer";
  for (size_t i = 0; i + kWord.size() < out.size(); ++i) {
    if (i > 0 && IsIdentChar(out[i - 1])) continue;
    if (!EqualsNoCase(std::string_view(out).substr(i, kWord.size()), kWord)) continue;
    size_t j = i + kWord.size();
    if (j >= out.size() || !IsSpace(out[j])) continue;
    while (j < out.size() && IsSpace(out[j])) ++j;
    size_t end = j;
    while (end < out.size() && IsTokenChar(out[end])) ++end;
    // A credential is long or not a plain word: "bearer token file" is prose, "Bearer sha256~x1" is not.
    bool plain_word = true;
    for (size_t k = j; k < end; ++k) plain_word = plain_word && std::isalpha(static_cast<unsigned char>(out[k]));
    if (end - j < 4 || (plain_word && end - j < 20)) continue;
    i = Mask(out, j, end) - 1;
  }
}

// JSON Web Tokens (eyJ<header>.<payload>.<signature>): Kubernetes service-account and OIDC tokens.
void RedactJwt(std::string& out) {
  for (size_t p = out.find("eyJ"); p != std::string::npos; p = out.find("eyJ", p + 1)) {
    if (p > 0 && IsJwtChar(out[p - 1])) continue;
    size_t j = p;
    int dots = 0;
    while (j < out.size() && (IsJwtChar(out[j]) || (out[j] == '.' && dots < 2))) {
      if (out[j] == '.') ++dots;
      ++j;
    }
    if (dots < 2 || j - p < 16) continue;
    Mask(out, p, j);
  }
}

}  // namespace

std::string RedactSecrets(std::string_view text) {
  std::string out(text);
  RedactRegistered(out);
  RedactUserinfo(out);
  RedactKeyValues(out);
  RedactBearer(out);
  RedactJwt(out);
  return out;
}

void RegisterSecret(std::string_view secret) {
  if (secret.size() < 4) return;
  std::lock_guard<std::mutex> lock(g_secrets_mu);
  auto& s = Secrets();
  if (std::find(s.begin(), s.end(), secret) == s.end()) s.emplace_back(secret);
  // Longest first, so that a secret containing another is hidden whole.
  std::sort(s.begin(), s.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

}  // namespace capstan
