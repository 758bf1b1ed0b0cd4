#include "auth/jwt_verifier.hpp"

#include "auth/libjwt.hpp"
#include "auth/secret.hpp"
#include "auth/token_format.hpp"

#include <rapidjson/document.h>

#include <cerrno>
#include <cstdint>
#include <new>
#include <stdexcept>

namespace rtd::auth {

namespace {

using std::chrono::seconds;

/// The latest NumericDate accepted: any later one, leeway added, overflows the clock.
constexpr std::int64_t max_numeric_date =
    std::chrono::duration_cast<seconds>(clock::duration::max()).count() -
    jwt_verifier::max_leeway.count();

rejection reject(std::string reason) {
  return rejection{std::move(reason)};
}

/// Reads a NumericDate into `out`; false when it is not an integer in
/// [0, max_numeric_date] (RFC 7519 allows fractions; rtd's issuers write whole seconds).
bool read_date(const rapidjson::Value& v, clock::time_point& out) {
  if (!v.IsInt64() || v.GetInt64() < 0 || v.GetInt64() > max_numeric_date)
    return false;
  out = clock::time_point{seconds{v.GetInt64()}};
  return true;
}

/// The claims of a verified payload; only their shape is checked here, not the times.
verification read_claims(const rapidjson::Value& grants) {
  claims result;
  auto sub = grants.FindMember("sub");
  if (sub == grants.MemberEnd())
    return reject("missing sub");
  if (!sub->value.IsString() || sub->value.GetStringLength() == 0)
    return reject("malformed sub");
  result.subject.assign(sub->value.GetString(), sub->value.GetStringLength());

  auto exp = grants.FindMember("exp");
  if (exp == grants.MemberEnd())
    return reject("missing exp");
  if (!read_date(exp->value, result.expires))
    return reject("malformed exp");

  if (auto nbf = grants.FindMember("nbf"); nbf != grants.MemberEnd()) {
    result.not_before.emplace();
    if (!read_date(nbf->value, *result.not_before))
      return reject("malformed nbf");
  }

  if (auto roles = grants.FindMember("roles"); roles != grants.MemberEnd()) {
    if (!roles->value.IsArray())
      return reject("malformed roles");
    for (const auto& role : roles->value.GetArray()) {
      if (!role.IsString())
        return reject("malformed roles");
      result.roles.emplace_back(role.GetString(), role.GetStringLength());
    }
  }
  return result;
}

} // namespace

jwt_verifier::jwt_verifier(std::string secret, std::chrono::seconds leeway)
    : secret_(std::move(secret)), leeway_(leeway) {
  if (auto problem = secret_problem(secret_))
    throw std::invalid_argument{"jwt secret " + *problem};
  if (leeway < seconds{0} || leeway > max_leeway)
    throw std::invalid_argument{"jwt leeway must be between 0 and " +
                                std::to_string(max_leeway.count()) + " s"};
}

verification jwt_verifier::verify(std::string_view token, clock::time_point now) const {
  if (token.size() > max_token_bytes)
    return reject("token too long");
  auto segments = detail::split_token(token);
  if (!segments)
    return reject("malformed token");
  // The header is judged before libjwt sees the token: libjwt would verify with whatever alg
  // the header names (HS512 with our secret, none without a key).
  auto header = detail::base64url_decode(segments->header);
  if (!header)
    return reject("malformed token");
  if (auto problem = detail::check_header(*header))
    return reject(std::move(*problem));

  std::string text{token}; // libjwt wants a NUL-terminated string
  jwt_t* decoded = nullptr;
  int rc =
      jwt_decode(&decoded, text.c_str(), reinterpret_cast<const unsigned char*>(secret_.data()),
                 static_cast<int>(secret_.size()));
  detail::jwt_ptr jwt{decoded};
  if (rc == ENOMEM)
    throw std::bad_alloc{};
  if (rc != 0) {
    // libjwt says EINVAL for a payload it cannot parse and for a wrong signature alike;
    // decoding without a key parses only, which tells the two apart.
    jwt_t* parsed = nullptr;
    bool readable = jwt_decode(&parsed, text.c_str(), nullptr, 0) == 0;
    detail::jwt_ptr discarded{parsed};
    return reject(readable ? "bad signature" : "malformed token");
  }
  // Our header check and libjwt read the same alg; should they ever differ, refuse.
  if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256)
    return reject("unsupported alg");

  // The verified grants as JSON, typed here: jwt_get_grant_int says 0 for a string exp.
  detail::malloc_string grants_json{jwt_get_grants_json(jwt.get(), nullptr)};
  if (!grants_json)
    throw std::bad_alloc{};
  rapidjson::Document grants;
  grants.Parse<rapidjson::kParseIterativeFlag>(grants_json.get());
  if (grants.HasParseError() || !grants.IsObject())
    return reject("malformed token");
  auto result = read_claims(grants);
  auto* c = std::get_if<claims>(&result);
  if (c == nullptr)
    return result;
  if (now >= c->expires + leeway_)
    return reject("token expired");
  if (c->not_before && now < *c->not_before - leeway_)
    return reject("token not yet valid");
  return result;
}

} // namespace rtd::auth
