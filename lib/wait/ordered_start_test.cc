// The ordered-start marker digest as the post-renderer's injected containers compose it: the pod template's digest,
// joined to the config digest when the pods consume configuration; every form passes ValidateDigest, and an empty
// digest is refused with a message naming the annotation to read.
#include <catch2/catch.hpp>

#include "util/error.h"
#include "wait/ordered_start.h"

using namespace capstan;

TEST_CASE("ordered start: the marker digest composed from the template and config digests") {
  std::string t = "sha256:" + std::string(64, 'a');
  std::string c = "hmac-sha256:" + std::string(64, 'b');
  CHECK(wait::MarkerDigest(t, c, false) == t);
  CHECK(wait::MarkerDigest(t, c, true) == t + "+" + c);
  CHECK(wait::MarkerDigest(t, "", true) == t + "+");  // the checksum is off: still not empty
  for (const auto& d : {wait::MarkerDigest(t, c, false), wait::MarkerDigest(t, c, true), wait::MarkerDigest(t, "", true)})
    CHECK_NOTHROW(wait::ValidateDigest(d));
  try {
    wait::ValidateDigest("");
    FAIL("an empty digest was accepted");
  } catch (const UsageError& e) {
    CHECK_THAT(e.what(), Catch::Contains("capstan.dev/ordered-start-digest"));
  }
}
