// Base64Decode: the one strict decoder.
#include <catch2/catch.hpp>

#include "util/base64.h"

using capstan::Base64Decode;

TEST_CASE("base64: decodes with or without padding, ignoring whitespace") {
  CHECK(Base64Decode("YWJj") == std::string("abc"));
  CHECK(Base64Decode("YWJjZA==") == std::string("abcd"));
  CHECK(Base64Decode("YWJjZA") == std::string("abcd"));
  CHECK(Base64Decode("YWJjZGU=") == std::string("abcde"));
  CHECK(Base64Decode(" YWJj\nZGVm\r\n") == std::string("abcdef"));
  CHECK(Base64Decode("") == std::string());
  CHECK(Base64Decode("AP8=") == std::string("\x00\xff", 2));
}

TEST_CASE("base64: refuses bad padding, stray characters and data after padding, saying why") {
  std::string why;
  CHECK(!Base64Decode("YWJj=", &why));
  CHECK(why == "'=' padding that does not complete the last 4-character group");
  CHECK(!Base64Decode("YQ=", &why));
  CHECK(!Base64Decode("YQ===", &why));
  CHECK(!Base64Decode("YWJjZ", &why));
  CHECK(why == "a lone character in the last 4-character group");
  CHECK(!Base64Decode("YW=Jj", &why));
  CHECK(why == "data follows the '=' padding");
  CHECK(!Base64Decode("YW%j", &why));
  CHECK(why == "a character outside the base64 alphabet");
  CHECK(!Base64Decode("YWJj-_"));  // the URL alphabet is not accepted
}

TEST_CASE("base64 encoding pads and round-trips through the decoder") {
  CHECK(capstan::Base64Encode("") == "");
  CHECK(capstan::Base64Encode("f") == "Zg==");
  CHECK(capstan::Base64Encode("fo") == "Zm8=");
  CHECK(capstan::Base64Encode("foo") == "Zm9v");
  CHECK(capstan::Base64Encode("foob") == "Zm9vYg==");
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (size_t n = 0; n <= all.size(); n += 37)
    CHECK(capstan::Base64Decode(capstan::Base64Encode(all.substr(0, n))) == all.substr(0, n));
}
