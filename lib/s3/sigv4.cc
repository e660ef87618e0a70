#include "s3/sigv4.h"

#include <algorithm>
#include <map>

#include "digest/sha256.h"
#include "s3/encoding.h"
#include "util/strings.h"

namespace capstan::s3 {

namespace {

std::string HmacRaw(std::string_view key, std::string_view data) {
  HmacSha256 h(key);
  h.Update(data);
  return HexToBytes(h.HexDigest());
}

// Trims and collapses runs of spaces (and folds line breaks of multi-line values into one space).
std::string CanonicalHeaderValue(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

bool HasHeader(const HeaderList& headers, std::string_view lower_name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return ToLower(h.first) == lower_name; });
}

}  // namespace

std::string AmzDate(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string EncodePath(std::string_view raw_path) {
  std::string out;
  if (raw_path.empty() || raw_path[0] != '/') out += '/';
  out += UriEncode(raw_path, /*encode_slash=*/false);
  return out;
}

std::string NormalizePath(std::string_view path) {
  std::vector<std::string> kept;
  for (const auto& seg : Split(path, '/')) {
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (!kept.empty()) kept.pop_back();
      continue;
    }
    kept.push_back(seg);
  }
  std::string out = "/" + Join(kept, "/");
  if (out.size() > 1 && !path.empty() && path.back() == '/') out += '/';
  return out;
}

std::string CanonicalQuery(const QueryList& query) {
  std::vector<std::pair<std::string, std::string>> enc;
  enc.reserve(query.size());
  for (const auto& [k, v] : query) enc.emplace_back(UriEncode(k), UriEncode(v));
  std::sort(enc.begin(), enc.end());
  std::string out;
  for (const auto& [k, v] : enc) {
    if (!out.empty()) out += '&';
    out += k;
    out += '=';
    out += v;
  }
  return out;
}

Signature Sign(SigningRequest& req, const SigningParams& p) {
  Signature s;
  s.amz_date = AmzDate(p.time);
  const std::string date = s.amz_date.substr(0, 8);
  if (!HasHeader(req.headers, "x-amz-date")) req.headers.emplace_back("X-Amz-Date", s.amz_date);
  if (!p.session_token.empty() && !HasHeader(req.headers, "x-amz-security-token")) {
    req.headers.emplace_back("X-Amz-Security-Token", p.session_token);
  }
  if (p.content_sha256_header && !HasHeader(req.headers, "x-amz-content-sha256")) {
    req.headers.emplace_back("X-Amz-Content-Sha256", req.payload_hash);
  }

  // Canonical headers: lower-case names, sorted; values trimmed, runs of spaces collapsed; repeats joined by ','.
  std::map<std::string, std::string> canon;
  for (const auto& [name, value] : req.headers) {
    std::string lname = ToLower(name);
    if (lname == "authorization") continue;
    auto [it, inserted] = canon.emplace(lname, CanonicalHeaderValue(value));
    if (!inserted) it->second += "," + CanonicalHeaderValue(value);
  }
  std::string canonical_headers, signed_headers;
  for (const auto& [name, value] : canon) {
    canonical_headers += name + ":" + value + "\n";
    if (!signed_headers.empty()) signed_headers += ';';
    signed_headers += name;
  }

  s.canonical_request = req.method + "\n" + req.canonical_uri + "\n" + CanonicalQuery(req.query) + "\n" +
                        canonical_headers + "\n" + signed_headers + "\n" + req.payload_hash;
  const std::string scope = date + "/" + p.region + "/" + p.service + "/aws4_request";
  s.string_to_sign = "AWS4-HMAC-SHA256\n" + s.amz_date + "\n" + scope + "\n" + Sha256::Hex(s.canonical_request);

  std::string key = HmacRaw("AWS4" + p.secret_access_key, date);
  key = HmacRaw(key, p.region);
  key = HmacRaw(key, p.service);
  key = HmacRaw(key, "aws4_request");
  HmacSha256 final_mac(key);
  final_mac.Update(s.string_to_sign);
  s.signature = final_mac.HexDigest();
  s.authorization = "AWS4-HMAC-SHA256 Credential=" + p.access_key_id + "/" + scope +
                    ", SignedHeaders=" + signed_headers + ", Signature=" + s.signature;
  req.headers.emplace_back("Authorization", s.authorization);
  return s;
}

}  // namespace capstan::s3
