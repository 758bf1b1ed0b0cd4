// How the auth tests read a verification: the reason of a rejection, or "" for a valid token.
#pragma once

#include "auth/jwt_verifier.hpp"

#include <string>
#include <variant>

namespace rtd::auth::test {

inline std::string reason(const verification& v) {
  auto* refused = std::get_if<rejection>(&v);
  return refused ? refused->reason : std::string{};
}

} // namespace rtd::auth::test
