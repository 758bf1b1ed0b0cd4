// Tokens for the auth tests: signed by libjwt as an issuer would, or forged byte by byte
// (OpenSSL's HMAC over any header text) for the attacks no library would write.
#pragma once

#include "auth/claims.hpp"

#include <doctest/doctest.h>
#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

namespace rtd::auth::test {

/// The verifier's secret in every test (33 bytes), and one an attacker might hold.
inline const std::string secret = "rtd-test-secret-0123456789abcdef!";
inline const std::string other_secret = "someone-elses-secret-0123456789ab";

/// The tests' present: 2023-11-14T22:13:20Z.
inline const clock::time_point now{std::chrono::seconds{1'700'000'000}};

/// A payload for alice, valid from an hour before `now` until an hour after it; `extra` is
/// appended inside the object (start it with a comma).
inline std::string payload(std::string_view extra = {}) {
  return R"({"sub":"alice","nbf":1699996400,"exp":1700003600)" + std::string{extra} + "}";
}

inline std::string base64url(std::string_view bytes) {
  std::string text(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  text.resize(static_cast<std::size_t>(n));
  while (!text.empty() && text.back() == '=')
    text.pop_back();
  std::replace(text.begin(), text.end(), '+', '-');
  std::replace(text.begin(), text.end(), '/', '_');
  return text;
}

/// `header.payload` and no signature, as an alg none token is sent.
inline std::string unsigned_token(std::string_view header, std::string_view body) {
  return base64url(header) + "." + base64url(body) + ".";
}

/// `header.payload` with a correct HMAC-SHA256 under `key`, whatever the header claims.
inline std::string forge(std::string_view header, std::string_view body,
                         std::string_view key = secret) {
  auto input = base64url(header) + "." + base64url(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &length);
  return input + "." + base64url({reinterpret_cast<const char*>(mac), length});
}

/// A token libjwt signs with `alg` and `key` for the claims in `body`.
inline std::string libjwt_token(jwt_alg_t alg, std::string_view key, const std::string& body) {
  jwt_t* raw = nullptr;
  REQUIRE(jwt_new(&raw) == 0);
  std::unique_ptr<jwt_t, decltype(&jwt_free)> jwt{raw, &jwt_free};
  REQUIRE(jwt_set_alg(jwt.get(), alg, reinterpret_cast<const unsigned char*>(key.data()),
                      static_cast<int>(key.size())) == 0);
  REQUIRE(jwt_add_grants_json(jwt.get(), body.c_str()) == 0);
  std::unique_ptr<char, decltype(&std::free)> text{jwt_encode_str(jwt.get()), &std::free};
  REQUIRE(text != nullptr);
  return text.get();
}

} // namespace rtd::auth::test
