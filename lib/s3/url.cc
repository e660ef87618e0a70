#include "s3/url.h"

#include "util/error.h"
#include "util/strings.h"

namespace capstan::s3 {

namespace {
constexpr std::string_view kScheme = "s3://";

bool LooksLikeIpv4(std::string_view s) {
  auto parts = Split(s, '.');
  if (parts.size() != 4) return false;
  for (const auto& p : parts) {
    if (p.empty() || p.size() > 3) return false;
    for (char c : p) {
      if (c < '0' || c > '9') return false;
    }
  }
  return true;
}
}  // namespace

std::string Location::Key(std::string_view name) const {
  while (!name.empty() && name.front() == '/') name.remove_prefix(1);
  if (prefix.empty()) return std::string(name);
  return prefix + "/" + std::string(name);
}

std::string Location::Url() const { return std::string(kScheme) + bucket + (prefix.empty() ? "" : "/" + prefix); }

bool IsS3Url(std::string_view s) { return StartsWith(s, kScheme); }

std::string BucketNameProblem(std::string_view b) {
  if (b.size() < 3 || b.size() > 63) return "a bucket name has 3 to 63 characters";
  for (char c : b) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) {
      return "a bucket name holds only lower-case letters, digits, '.' and '-'";
    }
  }
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(b.front()) || !alnum(b.back())) return "a bucket name begins and ends with a letter or a digit";
  if (b.find("..") != std::string_view::npos) return "a bucket name has no two adjacent periods";
  if (b.find(".-") != std::string_view::npos || b.find("-.") != std::string_view::npos) {
    return "a bucket name has no '-' next to a '.'";
  }
  if (LooksLikeIpv4(b)) return "a bucket name is not formatted as an IP address";
  if (StartsWith(b, "xn--") || StartsWith(b, "sthree-")) return "a bucket name does not start with 'xn--' or 'sthree-'";
  if (EndsWith(b, "-s3alias") || EndsWith(b, "--ol-s3")) {
    return "a bucket name does not end with '-s3alias' or '--ol-s3'";
  }
  return "";
}

Location ParseUrl(std::string_view url) {
  if (!IsS3Url(url)) {
    throw UsageError("not an S3 location: " + Quote(url) + ": write s3://BUCKET/PREFIX (for example s3://backups/portal)");
  }
  std::string_view rest = url.substr(kScheme.size());
  size_t slash = rest.find('/');
  std::string_view bucket = rest.substr(0, slash);
  std::string_view prefix = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  if (bucket.empty()) {
    throw UsageError("S3 location " + Quote(url) + " names no bucket: write s3://BUCKET/PREFIX");
  }
  if (std::string why = BucketNameProblem(bucket); !why.empty()) {
    throw UsageError("S3 location " + Quote(url) + ": bucket " + Quote(bucket) + " is not a valid bucket name (" + why +
                     "): name the bucket as it was created, e.g. s3://my-backups/portal");
  }
  while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  for (char c : prefix) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      throw UsageError("S3 location " + Quote(url) + ": the prefix holds a control character: remove it");
    }
  }
  if (prefix.size() > 900) {
    throw UsageError("S3 location " + Quote(url) + ": the prefix is longer than 900 bytes (S3 keys end at 1024): "
                     "choose a shorter prefix");
  }
  for (const auto& seg : prefix.empty() ? std::vector<std::string>{} : Split(prefix, '/')) {
    if (seg.empty() || seg == "." || seg == "..") {
      throw UsageError("S3 location " + Quote(url) + ": the prefix has an empty, '.' or '..' segment: write it as "
                       "plain names separated by single '/', e.g. s3://" + std::string(bucket) + "/portal/prod");
    }
  }
  return Location{std::string(bucket), std::string(prefix)};
}

}  // namespace capstan::s3
