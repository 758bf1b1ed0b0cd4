#include "finance/indicator_stats.hpp"

#include "finance/checks.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace rtd::finance {
namespace {

/// EWMA weight of the newest value for a half-life in steps.
double ewma_alpha(double half_life) {
  return 1.0 - std::exp2(-1.0 / half_life);
}

/// Mean age of an EWMA's weights, in steps: how far it trails a straight line.
double ewma_lag(double alpha) {
  return (1.0 - alpha) / alpha;
}

std::optional<error> check_half_life(const std::string& field, double half_life) {
  if (auto e = check_finite(field, half_life))
    return e;
  if (half_life <= 0 || half_life > indicator_stats::max_half_life)
    return error{field, field + " must be in (0, 1e9]"};
  return std::nullopt;
}

} // namespace

const char* to_string(trend_direction d) noexcept {
  switch (d) {
  case trend_direction::up:
    return "up";
  case trend_direction::down:
    return "down";
  case trend_direction::flat:
    break;
  }
  return "flat";
}

expected<indicator_stats> indicator_stats::create(const indicator_stats_config& config) {
  if (auto e = check_half_life("fast_half_life", config.fast_half_life))
    return *e;
  if (auto e = check_half_life("slow_half_life", config.slow_half_life))
    return *e;
  if (config.fast_half_life >= config.slow_half_life)
    return error{"slow_half_life", "slow_half_life must be greater than fast_half_life"};
  if (config.window < 2 || config.window > max_window)
    return error{"window", "window must be in 2.." + std::to_string(max_window)};
  return indicator_stats(config);
}

indicator_stats::indicator_stats(const indicator_stats_config& config)
    : config_(config), alpha_fast_(ewma_alpha(config.fast_half_life)),
      alpha_slow_(ewma_alpha(config.slow_half_life)),
      lag_gap_(ewma_lag(alpha_slow_) - ewma_lag(alpha_fast_)), levels_(config.window),
      changes_(config.window) {}

expected<indicator_analytics> indicator_stats::update(double x) {
  if (auto e = check_finite("value", x))
    return *e;
  if (std::abs(x) > max_value)
    return error{"value", "value must be within +-1e100"};
  if (steps_ == 0) {
    ewma_fast_ = ewma_slow_ = x;
  } else {
    ewma_fast_ += alpha_fast_ * (x - ewma_fast_);
    ewma_slow_ += alpha_slow_ * (x - ewma_slow_);
    changes_.push(x - last_);
  }
  levels_.push(x);
  last_ = x;
  ++steps_;

  indicator_analytics out;
  out.value = x;
  out.ewma_fast = ewma_fast_;
  out.ewma_slow = ewma_slow_;
  out.rolling_mean = levels_.mean();
  out.rolling_std = levels_.sample_std();
  out.volatility = changes_.sample_std();
  if (out.rolling_std > 0) {
    out.zscore = (x - out.rolling_mean) / out.rolling_std;
    double n = static_cast<double>(levels_.size());
    double d = ewma_fast_ - ewma_slow_;
    double d_line = out.rolling_std * lag_gap_ / std::sqrt(n * (n + 1) / 12);
    out.trend_strength = std::min(1.0, std::abs(d) / d_line);
    if (out.trend_strength >= flat_threshold)
      out.trend = d > 0 ? trend_direction::up : trend_direction::down;
  }
  if (out.trend != trend_direction::flat) {
    out.reversal = last_direction_ != trend_direction::flat && out.trend != last_direction_;
    last_direction_ = out.trend;
  }
  return out;
}

} // namespace rtd::finance
