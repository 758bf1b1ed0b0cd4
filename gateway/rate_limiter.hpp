// Per-connection limit on client messages: a token bucket (rate per second, burst) that says
// what to do with each message, including when to warn and when to give up on the client.
#pragma once

#include <chrono>
#include <optional>

namespace rtd {

class rate_limiter {
public:
  using clock = std::chrono::steady_clock;

  enum class verdict {
    allow,         ///< within the limit
    drop,          ///< over the limit: drop silently
    drop_and_warn, ///< over the limit: drop and tell the client (at most once per second)
    close,         ///< over the limit for too long: close the connection
  };

  /// `rate` messages per second on average, `burst` at once; a client over the limit for
  /// `close_after` (with no second-long pause) is closed.
  rate_limiter(double rate, double burst, clock::duration close_after);

  verdict check(clock::time_point now);

private:
  double rate_;
  double burst_;
  clock::duration close_after_;
  double tokens_;
  clock::time_point last_refill_;
  std::optional<clock::time_point> limited_since_; ///< start of the current excess episode
  clock::time_point last_drop_;
  clock::time_point last_warning_;
};

} // namespace rtd
