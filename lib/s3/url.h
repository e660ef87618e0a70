// s3://BUCKET/PREFIX locations (what --backup-root takes): the bucket checked against S3's naming rules, the
// prefix normalised to end without '/' (empty allowed: the bucket's root). Key() joins a name under the prefix.
#pragma once
#include <string>
#include <string_view>

namespace capstan::s3 {

struct Location {
  std::string bucket;
  std::string prefix;  // "" or "a/b" (no leading or trailing '/')
  // The object key of `name` under the prefix ("a/b/name", or "name" without a prefix).
  std::string Key(std::string_view name) const;
  std::string Url() const;  // s3://bucket/prefix
};

bool IsS3Url(std::string_view s);
// Parses s3://BUCKET[/PREFIX]; throws UsageError naming the URL, the rule broken and what to write instead.
Location ParseUrl(std::string_view url);
// Why `bucket` is not a valid S3 bucket name ("" when it is).
std::string BucketNameProblem(std::string_view bucket);

}  // namespace capstan::s3
