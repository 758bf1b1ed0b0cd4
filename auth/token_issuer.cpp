#include "auth/token_issuer.hpp"

#include "auth/libjwt.hpp"
#include "auth/secret.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <stdexcept>

namespace rtd::auth {

namespace {

long unix_seconds(clock::time_point t) {
  return static_cast<long>(std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count());
}

void check(int rc, const char* what) {
  if (rc != 0)
    throw std::runtime_error{std::string{"libjwt: "} + what + " failed (errno " +
                             std::to_string(rc) + ")"};
}

/// `{"roles":[...]}`, escaped by a JSON writer: libjwt adds arrays only as JSON text.
std::string roles_json(const std::vector<std::string>& roles) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer{buffer};
  writer.StartObject();
  writer.Key("roles");
  writer.StartArray();
  for (const auto& role : roles)
    writer.String(role.data(), static_cast<rapidjson::SizeType>(role.size()));
  writer.EndArray();
  writer.EndObject();
  return buffer.GetString();
}

} // namespace

std::string issue_token(std::string_view secret, const token_request& request) {
  if (auto problem = secret_problem(secret))
    throw std::invalid_argument{"jwt secret " + *problem};
  if (request.subject.empty())
    throw std::invalid_argument{"a token needs a subject"};

  jwt_t* created = nullptr;
  check(jwt_new(&created), "jwt_new");
  detail::jwt_ptr jwt{created};
  check(jwt_set_alg(jwt.get(), JWT_ALG_HS256, reinterpret_cast<const unsigned char*>(secret.data()),
                    static_cast<int>(secret.size())),
        "jwt_set_alg");
  check(jwt_add_grant(jwt.get(), "sub", request.subject.c_str()), "adding sub");
  check(jwt_add_grant_int(jwt.get(), "iat", unix_seconds(request.issued_at)), "adding iat");
  check(jwt_add_grant_int(jwt.get(), "exp", unix_seconds(request.expires)), "adding exp");
  if (request.not_before)
    check(jwt_add_grant_int(jwt.get(), "nbf", unix_seconds(*request.not_before)), "adding nbf");
  if (!request.roles.empty())
    check(jwt_add_grants_json(jwt.get(), roles_json(request.roles).c_str()), "adding roles");

  detail::malloc_string token{jwt_encode_str(jwt.get())};
  if (!token)
    throw std::runtime_error{"libjwt: jwt_encode_str failed"};
  return token.get();
}

} // namespace rtd::auth
