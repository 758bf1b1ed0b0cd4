// What a verified token says about its bearer: the claims rtd reads from a JWT.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace rtd::auth {

/// Token times are wall-clock times (JWT NumericDate: seconds since the Unix epoch).
using clock = std::chrono::system_clock;

/// The claims of a verified token.
struct claims {
  std::string subject;                         ///< `sub`, never empty
  clock::time_point expires;                   ///< `exp`, as written (no leeway added)
  std::optional<clock::time_point> not_before; ///< `nbf`, when the token has one
  std::vector<std::string> roles;              ///< `roles`, empty when absent
};

} // namespace rtd::auth
