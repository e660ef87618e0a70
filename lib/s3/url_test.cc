#include <catch2/catch.hpp>

#include "s3/url.h"
#include "util/error.h"

namespace capstan::s3 {

TEST_CASE("s3:// locations: bucket and prefix", "[s3][url]") {
  CHECK(IsS3Url("s3://b/x"));
  CHECK_FALSE(IsS3Url("/var/backups"));
  Location l = ParseUrl("s3://my-backups/portal/prod/");
  CHECK(l.bucket == "my-backups");
  CHECK(l.prefix == "portal/prod");
  CHECK(l.Key("manifest.json") == "portal/prod/manifest.json");
  CHECK(l.Url() == "s3://my-backups/portal/prod");
  Location root = ParseUrl("s3://my.backups");
  CHECK(root.prefix.empty());
  CHECK(root.Key("a") == "a");
  CHECK(ParseUrl("s3://abc/").prefix.empty());
}

TEST_CASE("s3:// locations: what is refused, and why", "[s3][url]") {
  auto why = [](const char* url) {
    try {
      ParseUrl(url);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK_THAT(why("s3://"), Catch::Contains("names no bucket"));
  CHECK_THAT(why("s3:///x"), Catch::Contains("names no bucket"));
  CHECK_THAT(why("s3://ab"), Catch::Contains("3 to 63"));
  CHECK_THAT(why("s3://My-Bucket/x"), Catch::Contains("lower-case"));
  CHECK_THAT(why("s3://-abc"), Catch::Contains("begins and ends"));
  CHECK_THAT(why("s3://a..b"), Catch::Contains("adjacent periods"));
  CHECK_THAT(why("s3://192.168.1.1"), Catch::Contains("IP address"));
  CHECK_THAT(why("s3://xn--abc"), Catch::Contains("xn--"));
  CHECK_THAT(why("s3://abc//x"), Catch::Contains("empty, '.' or '..' segment"));
  CHECK_THAT(why("s3://abc/a/../b"), Catch::Contains("'..'"));
  CHECK_THAT(why("http://abc"), Catch::Contains("s3://BUCKET/PREFIX"));
  CHECK(BucketNameProblem("backups-2026.portal") == "");
}

}  // namespace capstan::s3
