#include "auth/jwt_verifier.hpp"
#include "tokens.hpp"
#include "verdict.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using namespace rtd::auth;
using namespace rtd::auth::test;
using namespace std::chrono_literals;

namespace {

const jwt_verifier verifier{secret};

std::string reason_for(std::string_view body, clock::time_point at = now) {
  return reason(verifier.verify(libjwt_token(JWT_ALG_HS256, secret, std::string{body}), at));
}

/// A valid token of exactly `size` bytes, padded with a filler claim.
std::string token_of_size(std::size_t size) {
  std::size_t filler = 0;
  for (;;) {
    auto token = libjwt_token(JWT_ALG_HS256, secret,
                              payload(R"(,"pad":")" + std::string(filler, 'x') + "\""));
    if (token.size() >= size) {
      REQUIRE(token.size() == size);
      return token;
    }
    // Four characters of base64url per three bytes of filler.
    filler += std::max<std::size_t>(1, (size - token.size()) * 3 / 4);
  }
}

} // namespace

TEST_CASE("a valid token yields its claims") {
  auto body = payload(R"(,"roles":["analyst","admin"])");
  auto result = verifier.verify(libjwt_token(JWT_ALG_HS256, secret, body), now);
  REQUIRE(reason(result).empty());
  const auto& c = std::get<claims>(result);
  CHECK(c.subject == "alice");
  CHECK(c.expires == clock::time_point{1'700'003'600s});
  CHECK(c.not_before == clock::time_point{1'699'996'400s});
  CHECK(c.roles == std::vector<std::string>{"analyst", "admin"});
  CHECK(verifier.deadline(c) == c.expires + 30s);
}

TEST_CASE("nbf and roles are optional") {
  auto result = verifier.verify(
      libjwt_token(JWT_ALG_HS256, secret, R"({"sub":"bob","exp":1700003600})"), now);
  REQUIRE(reason(result).empty());
  CHECK_FALSE(std::get<claims>(result).not_before);
  CHECK(std::get<claims>(result).roles.empty());
  CHECK(reason_for(payload(R"(,"roles":[])")).empty());
}

TEST_CASE("sub is a required non-empty string") {
  CHECK(reason_for(R"({"exp":1700003600})") == "missing sub");
  CHECK(reason_for(R"({"sub":"","exp":1700003600})") == "malformed sub");
  CHECK(reason_for(R"({"sub":42,"exp":1700003600})") == "malformed sub");
  CHECK(reason_for(R"({"sub":["alice"],"exp":1700003600})") == "malformed sub");
}

TEST_CASE("exp is a required whole number of seconds the clock can hold") {
  CHECK(reason_for(R"({"sub":"alice"})") == "missing exp");
  CHECK(reason_for(R"({"sub":"alice","exp":"1700003600"})") == "malformed exp");
  CHECK(reason_for(R"({"sub":"alice","exp":1700003600.5})") == "malformed exp");
  CHECK(reason_for(R"({"sub":"alice","exp":-1})") == "malformed exp");
  CHECK(reason_for(R"({"sub":"alice","exp":null})") == "malformed exp");
  // The clock counts nanoseconds in 64 bits: about 9.2e9 s, less the largest leeway.
  CHECK(reason_for(R"({"sub":"alice","exp":9223371736})").empty());
  CHECK(reason_for(R"({"sub":"alice","exp":9223371737})") == "malformed exp");
}

TEST_CASE("nbf, when present, is a whole number of seconds") {
  CHECK(reason_for(R"({"sub":"alice","exp":1700003600,"nbf":"0"})") == "malformed nbf");
  CHECK(reason_for(R"({"sub":"alice","exp":1700003600,"nbf":1.5})") == "malformed nbf");
  CHECK(reason_for(R"({"sub":"alice","exp":1700003600,"nbf":0})").empty());
}

TEST_CASE("roles, when present, is an array of strings") {
  CHECK(reason_for(payload(R"(,"roles":"admin")")) == "malformed roles");
  CHECK(reason_for(payload(R"(,"roles":null)")) == "malformed roles");
  CHECK(reason_for(payload(R"(,"roles":["admin",1])")) == "malformed roles");
  CHECK(reason_for(payload(R"(,"roles":[["admin"]])")) == "malformed roles");
  CHECK(reason_for(payload(R"(,"roles":{"admin":true})")) == "malformed roles");
}

TEST_CASE("exp and nbf are forgiven the leeway, to the nanosecond") {
  const clock::time_point exp{1'700'003'600s};
  const clock::time_point nbf{1'699'996'400s};
  CHECK(reason_for(payload(), exp + 30s - 1ns).empty());
  CHECK(reason_for(payload(), exp + 30s) == "token expired");
  CHECK(reason_for(payload(), nbf - 30s).empty());
  CHECK(reason_for(payload(), nbf - 30s - 1ns) == "token not yet valid");

  const jwt_verifier strict{secret, 0s};
  auto token = libjwt_token(JWT_ALG_HS256, secret, payload());
  CHECK(reason(strict.verify(token, exp - 1ns)).empty());
  CHECK(reason(strict.verify(token, exp)) == "token expired");
  CHECK(reason(strict.verify(token, nbf)).empty());
  CHECK(reason(strict.verify(token, nbf - 1ns)) == "token not yet valid");
}

TEST_CASE("a token longer than the limit is refused before decoding") {
  CHECK(reason(verifier.verify(token_of_size(jwt_verifier::max_token_bytes), now)).empty());
  CHECK(reason(verifier.verify(token_of_size(jwt_verifier::max_token_bytes + 1), now)) ==
        "token too long");
}

TEST_CASE("the verifier refuses a weak secret and an unreasonable leeway") {
  CHECK_THROWS_AS(jwt_verifier{""}, std::invalid_argument);
  CHECK_THROWS_AS(jwt_verifier{std::string(31, 's')}, std::invalid_argument);
  CHECK_NOTHROW(jwt_verifier{std::string(32, 's')});
  CHECK_NOTHROW(jwt_verifier{std::string(4096, 's')});
  CHECK_THROWS_AS(jwt_verifier{std::string(4097, 's')}, std::invalid_argument);
  CHECK_THROWS_AS((jwt_verifier{secret, -1s}), std::invalid_argument);
  CHECK_NOTHROW(jwt_verifier{secret, jwt_verifier::max_leeway});
  CHECK_THROWS_AS((jwt_verifier{secret, jwt_verifier::max_leeway + 1s}), std::invalid_argument);
}
