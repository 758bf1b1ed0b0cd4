// Verifies HS256 JWTs with libjwt: header checked before anything else is read, signature,
// then the claims rtd needs (sub, exp, optional nbf and roles), exp and nbf with a leeway.
#pragma once

#include "auth/claims.hpp"

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

namespace rtd::auth {

/// Why a token was refused, worded for the client: "token expired", "bad signature".
struct rejection {
  std::string reason;
};

/// The claims of a valid token, or why it is not valid.
using verification = std::variant<claims, rejection>;

/// Checks tokens against one HS256 secret. Immutable after construction, so one verifier may
/// serve every thread.
class jwt_verifier {
public:
  /// Longer tokens are refused before any decoding.
  static constexpr std::size_t max_token_bytes = 8192;
  static constexpr std::chrono::seconds default_leeway{30};
  static constexpr std::chrono::seconds max_leeway{300};

  /// `secret` is the HMAC key (see secret.hpp for its rules); `leeway` is the clock skew
  /// forgiven on exp and nbf. Throws std::invalid_argument for a secret shorter than
  /// min_secret_bytes or longer than max_secret_bytes, or a leeway outside [0, max_leeway].
  explicit jwt_verifier(std::string secret, std::chrono::seconds leeway = default_leeway);

  /// Verifies `token` (the bare compact form, no "Bearer ") as of `now`.
  verification verify(std::string_view token, clock::time_point now) const;

  /// From this instant on (exp + leeway) a token with these claims is refused: when a
  /// session's token must have been replaced.
  clock::time_point deadline(const claims& c) const { return c.expires + leeway_; }

  std::chrono::seconds leeway() const { return leeway_; }

private:
  std::string secret_;
  std::chrono::seconds leeway_;
};

} // namespace rtd::auth
