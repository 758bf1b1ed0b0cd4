#include "gateway/rate_limiter.hpp"

#include <algorithm>

namespace rtd {

namespace {
constexpr auto warning_interval = std::chrono::seconds(1);
/// A second without drops ends an excess episode.
constexpr auto episode_gap = std::chrono::seconds(1);
} // namespace

rate_limiter::rate_limiter(double rate, double burst, clock::duration close_after)
    : rate_(rate), burst_(burst), close_after_(close_after), tokens_(burst),
      last_refill_(clock::now()) {}

rate_limiter::verdict rate_limiter::check(clock::time_point now) {
  double elapsed = std::chrono::duration<double>(now - last_refill_).count();
  tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
  last_refill_ = now;
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    return verdict::allow;
  }
  if (!limited_since_ || now - last_drop_ > episode_gap) {
    limited_since_ = now;
    last_warning_ = now - warning_interval;
  }
  last_drop_ = now;
  if (now - *limited_since_ >= close_after_)
    return verdict::close;
  if (now - last_warning_ >= warning_interval) {
    last_warning_ = now;
    return verdict::drop_and_warn;
  }
  return verdict::drop;
}

} // namespace rtd
