// Tokens from other implementations verify; tokens from issue_token carry what was asked.
#include "auth/jwt_verifier.hpp"
#include "auth/token_issuer.hpp"
#include "tokens.hpp"
#include "verdict.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using namespace rtd::auth;
using namespace rtd::auth::test;
using namespace std::chrono_literals;

namespace {

const jwt_verifier verifier{secret};

} // namespace

// Made with Debian's python3-jwt 2.6 and the tests' secret:
// jwt.encode({"sub":"alice","roles":["analyst","viewer"],"nbf":1700000000,"exp":4102444800},
//            secret, algorithm=...)
TEST_CASE("a PyJWT HS256 token verifies") {
  auto result = verifier.verify(
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
      "eyJzdWIiOiJhbGljZSIsInJvbGVzIjpbImFuYWx5c3QiLCJ2aWV3ZXIiXSwibmJmIjoxNzAwMDAwMDAwLCJleHAi"
      "OjQxMDI0NDQ4MDB9.lsO-p_3BB2u0jym2CIpc_yWrd3soGcebxNOj56erXv8",
      now);
  REQUIRE(reason(result).empty());
  const auto& c = std::get<claims>(result);
  CHECK(c.subject == "alice");
  CHECK(c.roles == std::vector<std::string>{"analyst", "viewer"});
  CHECK(c.not_before == clock::time_point{1'700'000'000s});
  CHECK(c.expires == clock::time_point{4'102'444'800s});
}

TEST_CASE("a PyJWT HS512 token is refused") {
  CHECK(reason(verifier.verify(
            "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9."
            "eyJzdWIiOiJib2IiLCJleHAiOjQxMDI0NDQ4MDB9.ES4cJRJwxhFolcRaVESarvwnnY6E3ecMexTnwVESKQ"
            "gthnvsk6g8XF9uft-C5keZkOQFyA0lzeiOPGf_VUvZ9g",
            now)) == "unsupported alg HS512");
}

TEST_CASE("issue_token writes sub, roles, exp and nbf in whole seconds") {
  token_request request{"carol", {"admin", "a \"quoted\" role"}, now, now + 90s + 500ms, now - 10s};
  auto result = verifier.verify(issue_token(secret, request), now);
  REQUIRE(reason(result).empty());
  const auto& c = std::get<claims>(result);
  CHECK(c.subject == "carol");
  CHECK(c.roles == request.roles);
  CHECK(c.expires == now + 90s);
  CHECK(c.not_before == now - 10s);
}

TEST_CASE("issue_token leaves out roles and nbf it was not given") {
  auto token = issue_token(secret, {"dave", {}, now, now + 1h, std::nullopt});
  auto result = verifier.verify(token, now);
  REQUIRE(reason(result).empty());
  CHECK(std::get<claims>(result).roles.empty());
  CHECK_FALSE(std::get<claims>(result).not_before);
}

TEST_CASE("issue_token refuses an empty subject and a weak secret") {
  CHECK_THROWS_AS(issue_token(secret, {"", {}, now, now + 1h, std::nullopt}),
                  std::invalid_argument);
  CHECK_THROWS_AS(issue_token("short", {"erin", {}, now, now + 1h, std::nullopt}),
                  std::invalid_argument);
}
