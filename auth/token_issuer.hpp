// Issues HS256 tokens with libjwt: for rtd-token and tests, never needed by the server.
#pragma once

#include "auth/claims.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtd::auth {

/// What a new token says.
struct token_request {
  std::string subject;
  std::vector<std::string> roles; ///< written as `roles` when not empty
  clock::time_point issued_at;    ///< `iat`
  clock::time_point expires;      ///< `exp`
  std::optional<clock::time_point> not_before;
};

/// The compact HS256 token for `request`, signed with `secret`; times in whole seconds
/// (rounded down). Throws std::invalid_argument for an empty subject or a secret with a
/// secret_problem, std::runtime_error when libjwt fails.
std::string issue_token(std::string_view secret, const token_request& request);

} // namespace rtd::auth
