// A token bucket: at most `rate` events per second on average, `burst` at once. For one
// thread (the Redis bridge's ingest).
#pragma once

#include <algorithm>
#include <chrono>

namespace rtd::redis {

class token_bucket {
public:
  using clock = std::chrono::steady_clock;

  token_bucket(double rate, double burst, clock::time_point now = clock::now())
      : rate_(rate), burst_(burst), tokens_(burst), last_(now) {}

  /// Takes a token when there is one.
  bool take(clock::time_point now) {
    double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + std::max(elapsed, 0.0) * rate_);
    last_ = now;
    if (tokens_ < 1.0)
      return false;
    tokens_ -= 1.0;
    return true;
  }

private:
  double rate_;
  double burst_;
  double tokens_;
  clock::time_point last_;
};

} // namespace rtd::redis
