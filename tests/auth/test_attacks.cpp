// Tokens an attacker could send: every one is refused, with the reason the client gets.
#include "auth/jwt_verifier.hpp"
#include "tokens.hpp"
#include "verdict.hpp"

#include <doctest/doctest.h>

using namespace rtd::auth;
using namespace rtd::auth::test;

namespace {

const jwt_verifier verifier{secret};
const std::string hs256 = R"({"alg":"HS256","typ":"JWT"})";

std::string verdict_on(const std::string& token) {
  return reason(verifier.verify(token, now));
}

/// `token` with its payload segment replaced by `body`, signature kept.
std::string with_payload(const std::string& token, std::string_view body) {
  auto first = token.find('.');
  auto second = token.find('.', first + 1);
  return token.substr(0, first + 1) + base64url(body) + token.substr(second);
}

} // namespace

TEST_CASE("the forging helper makes tokens the verifier accepts") {
  CHECK(verdict_on(forge(hs256, payload())).empty());
  CHECK(verdict_on(forge(R"({"alg":"HS256"})", payload())).empty());
  CHECK(verdict_on(forge(R"({"alg":"HS256","typ":"jwt","kid":"k1"})", payload())).empty());
}

TEST_CASE("a wrong or altered signature is refused") {
  CHECK(verdict_on(libjwt_token(JWT_ALG_HS256, other_secret, payload())) == "bad signature");
  auto token = libjwt_token(JWT_ALG_HS256, secret, payload());
  CHECK(verdict_on(with_payload(token, payload(R"(,"roles":["admin"])"))) == "bad signature");
  CHECK(verdict_on(token.substr(0, token.size() - 1)) == "bad signature");
  auto flipped = token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  CHECK(verdict_on(flipped) == "bad signature");
  CHECK(verdict_on(token.substr(0, token.rfind('.') + 1)) == "bad signature");
}

TEST_CASE("alg none is refused, signed or not, in any case") {
  CHECK(verdict_on(unsigned_token(R"({"alg":"none"})", payload())) == "unsupported alg none");
  CHECK(verdict_on(unsigned_token(R"({"alg":"none","typ":"JWT"})", payload())) ==
        "unsupported alg none");
  CHECK(verdict_on(forge(R"({"alg":"none"})", payload())) == "unsupported alg none");
  CHECK(verdict_on(unsigned_token(R"({"alg":"None"})", payload())) == "unsupported alg None");
  CHECK(verdict_on(unsigned_token(R"({"alg":""})", payload())) == "unsupported alg");
}

TEST_CASE("every other alg is refused, even signed with our secret") {
  CHECK(verdict_on(libjwt_token(JWT_ALG_HS384, secret, payload())) == "unsupported alg HS384");
  CHECK(verdict_on(libjwt_token(JWT_ALG_HS512, secret, payload())) == "unsupported alg HS512");
  CHECK(verdict_on(forge(R"({"alg":"RS256"})", payload())) == "unsupported alg RS256");
  CHECK(verdict_on(forge(R"({"alg":"ES256"})", payload())) == "unsupported alg ES256");
  CHECK(verdict_on(forge(R"({"alg":"HS256 "})", payload())) == "unsupported alg");
  CHECK(verdict_on(forge(R"({"alg":"HS256\u0000"})", payload())) == "unsupported alg");
  CHECK(verdict_on(forge(R"({"alg":"<b>HS256</b>"})", payload())) == "unsupported alg");
  CHECK(verdict_on(forge(R"({"alg":["HS256"]})", payload())) == "unsupported alg");
  CHECK(verdict_on(forge(R"({"alg":null})", payload())) == "unsupported alg");
  CHECK(verdict_on(forge(R"({"typ":"JWT"})", payload())) == "malformed token: missing alg");
}

TEST_CASE("alg is case-sensitive, though libjwt alone would take hs256") {
  auto token = forge(R"({"alg":"hs256"})", payload());
  jwt_t* decoded = nullptr;
  CHECK(jwt_decode(&decoded, token.c_str(), reinterpret_cast<const unsigned char*>(secret.data()),
                   static_cast<int>(secret.size())) == 0);
  jwt_free(decoded);
  CHECK(verdict_on(token) == "unsupported alg hs256");
}

TEST_CASE("a header with a duplicate field is refused, whichever alg comes last") {
  CHECK(verdict_on(forge(R"({"alg":"HS256","alg":"none"})", payload())) ==
        "malformed token: duplicate header field");
  CHECK(verdict_on(forge(R"({"alg":"none","alg":"HS256"})", payload())) ==
        "malformed token: duplicate header field");
  CHECK(verdict_on(unsigned_token(R"({"alg":"HS256","alg":"none"})", payload())) ==
        "malformed token: duplicate header field");
  CHECK(verdict_on(forge(R"({"alg":"HS256","a\u006cg":"HS512"})", payload())) ==
        "malformed token: duplicate header field");
  CHECK(verdict_on(forge(R"({"alg":"HS256","typ":"JWT","typ":"JWT"})", payload())) ==
        "malformed token: duplicate header field");
}

TEST_CASE("a header that is not one JSON object is refused") {
  CHECK(verdict_on(forge("not json", payload())) == "malformed token");
  CHECK(verdict_on(forge(R"(["alg","HS256"])", payload())) == "malformed token");
  CHECK(verdict_on(forge(R"({"alg":"HS256"} {})", payload())) == "malformed token");
  CHECK(verdict_on(forge(R"({"alg":"HS256")", payload())) == "malformed token");
  CHECK(verdict_on(forge("{\"alg\":\"HS256\",\"kid\":\"\xff\"}", payload())) == "malformed token");
  CHECK(verdict_on(forge(std::string(3000, '[') + std::string(3000, ']'), payload())) ==
        "malformed token");
}

TEST_CASE("typ other than JWT and any crit are refused") {
  CHECK(verdict_on(forge(R"({"alg":"HS256","typ":"JWE"})", payload())) == "unsupported typ");
  CHECK(verdict_on(forge(R"({"alg":"HS256","typ":1})", payload())) == "unsupported typ");
  CHECK(verdict_on(forge(R"({"alg":"HS256","crit":["exp"]})", payload())) == "unsupported crit");
  CHECK(verdict_on(forge(R"({"alg":"HS256","b64":false,"crit":["b64"]})", payload())) ==
        "unsupported crit");
}

TEST_CASE("a correctly signed payload that is not a JSON object is malformed") {
  CHECK(verdict_on(forge(hs256, "not json")) == "malformed token");
  CHECK(verdict_on(forge(hs256, R"(["sub","alice"])")) == "malformed token");
  CHECK(verdict_on(forge(hs256, R"({"sub":"alice","exp":99999999999999999999})")) ==
        "malformed token");
}

TEST_CASE("anything but three base64url segments is malformed") {
  auto good = libjwt_token(JWT_ALG_HS256, secret, payload());
  auto dot = good.find('.');
  for (const std::string& token :
       {std::string{}, std::string{"."}, std::string{".."}, std::string{"abc"},
        good.substr(0, good.rfind('.')), good + ".", good + ".e30", "." + good.substr(dot),
        good.substr(0, dot + 1) + good.substr(good.find('.', dot + 1)), " " + good, good + "\n",
        "Bearer " + good, good.substr(0, 10) + "+" + good.substr(11),
        good.substr(0, 10) + "=" + good.substr(11), good.substr(0, 10) + '\0' + good.substr(11),
        good.substr(0, dot) + ".e30AB" + good.substr(good.rfind('.'))})
    CHECK_MESSAGE(verdict_on(token) == "malformed token", token);
}
