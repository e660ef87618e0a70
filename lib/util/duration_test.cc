#include <catch2/catch.hpp>

#include "util/duration.h"
#include "util/error.h"
#include "util/strings.h"

using namespace capstan;

TEST_CASE("durations parse as Kubernetes writes them") {
  CHECK(ParseDuration("30s").count() == 30000);
  CHECK(ParseDuration("5m").count() == 300000);
  CHECK(ParseDuration("1h30m").count() == 5400000);
  CHECK(ParseDuration("250ms").count() == 250);
  CHECK(ParseDuration("1.5s").count() == 1500);
  CHECK_THROWS_AS(ParseDuration("30"), UsageError);
  CHECK_THROWS_AS(ParseDuration("5 minutes"), UsageError);
  CHECK_THROWS_AS(ParseDuration(""), UsageError);
}

TEST_CASE("sizes parse as Kubernetes quantities") {
  CHECK(ParseSize("512Mi") == 512ull << 20);
  CHECK(ParseSize("2Gi") == 2ull << 30);
  CHECK(ParseSize("100M") == 100000000ull);
  CHECK(ParseSize("1024") == 1024);
  CHECK_THROWS_AS(ParseSize("12XB"), UsageError);
  CHECK_THROWS_AS(ParseSize("99999999999999999999Gi"), UsageError);
}

TEST_CASE("edit distance drives did-you-mean") {
  CHECK(EditDistance("replicas", "replicaz") == 1);
  CHECK(EditDistance("", "abc") == 3);
  CHECK(Quote("a\nb") == "'a\\nb'");
}
