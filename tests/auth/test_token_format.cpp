#include "auth/token_format.hpp"
#include "tokens.hpp"

#include <doctest/doctest.h>

using namespace rtd::auth::detail;
using rtd::auth::test::base64url;

TEST_CASE("base64url decoding undoes encoding at every padding length") {
  std::string bytes;
  for (int i = 0; i < 10; ++i) {
    CHECK(base64url_decode(base64url(bytes)) == bytes);
    bytes += static_cast<char>(0xf8 + i); // bytes that encode to - and _
  }
  CHECK(base64url(bytes).find_first_of("-_") != std::string::npos);
}

TEST_CASE("base64url decoding refuses padding, the standard alphabet and impossible lengths") {
  CHECK_FALSE(base64url_decode("e30="));
  CHECK_FALSE(base64url_decode("ab+c"));
  CHECK_FALSE(base64url_decode("ab/c"));
  CHECK_FALSE(base64url_decode("e30AB"));
  CHECK_FALSE(base64url_decode("e3 0"));
}

TEST_CASE("a token splits into its three segments; the signature may be empty") {
  auto parts = split_token("aGVh.Ym9keQ.c2ln");
  REQUIRE(parts);
  CHECK(parts->header == "aGVh");
  CHECK(parts->payload == "Ym9keQ");
  CHECK(parts->signature == "c2ln");
  auto unsigned_parts = split_token("aGVh.Ym9keQ.");
  REQUIRE(unsigned_parts);
  CHECK(unsigned_parts->signature.empty());
  CHECK_FALSE(split_token(".Ym9keQ.c2ln"));
  CHECK_FALSE(split_token("aGVh..c2ln"));
}

TEST_CASE("the header check passes a plain HS256 header") {
  CHECK_FALSE(check_header(R"({"alg":"HS256"})"));
  CHECK_FALSE(check_header(R"({"typ":"JWT","alg":"HS256","kid":"2024-01"})"));
  CHECK(check_header(R"({"alg":"HS256","x":1,"x":2})") ==
        std::string{"malformed token: duplicate header field"});
}
