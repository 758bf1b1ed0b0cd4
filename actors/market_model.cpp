#include "actors/market_model.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace rtd {

namespace {

using protocol::market_indicator;

// One step is one publication. Reversion of 2-5% per step gives swings that are visible on a
// dashboard within a minute yet stay near realistic levels.
const std::array<market_model::dynamics, protocol::market_indicator_count> all_dynamics{{
    // mean, reversion, volatility, low, high, multiplicative
    {0.08, 0.03, 0.0015, 0.005, 0.25, false},  // discount_rate: 0.5% .. 25%
    {0.025, 0.03, 0.0008, -0.02, 0.15, false}, // inflation_rate: mild deflation .. 15%
    {0.06, 0.04, 0.0030, -0.15, 0.30, false},  // market_growth
    {100.0, 0.02, 0.0100, 1.0, 10000.0, true}, // tech_index: log-space walk, stays > 0
    {0.35, 0.02, 0.0040, 0.0, 1.0, false},     // ai_adoption_rate: a share in [0, 1]
}};

/// Values are kept to six decimal places, as the reference servers publish them: finer digits
/// carry no information, and cost some 60 bytes in every market_update.
double to_resolution(double x) {
  constexpr double scale = 1e6;
  return std::round(x * scale) / scale;
}

/// Folds `x` back into [low, high] as a walk reflected at the bounds would be.
double reflect(double x, double low, double high) {
  if (x < low)
    x = low + (low - x);
  if (x > high)
    x = high - (x - high);
  return std::clamp(x, low, high);
}

} // namespace

const market_model::dynamics& market_model::dynamics_of(market_indicator m) {
  return all_dynamics[static_cast<std::size_t>(m)];
}

market_model::market_model(std::uint64_t seed,
                           const std::optional<protocol::market_snapshot>& start)
    : rng_(seed != 0 ? seed : std::random_device{}()) {
  for (std::size_t i = 0; i < all_dynamics.size(); ++i) {
    const auto& d = all_dynamics[i];
    // A stored value outside the model's range (another version's) is brought back into it.
    current_.values[i] =
        to_resolution(start ? std::clamp(start->values[i], d.low, d.high) : d.mean);
  }
}

void market_model::step() {
  for (std::size_t i = 0; i < all_dynamics.size(); ++i) {
    const auto& d = all_dynamics[i];
    auto& x = current_.values[i];
    auto shock = d.volatility * normal_(rng_);
    if (d.multiplicative) {
      auto log_x = std::log(x);
      log_x += d.reversion * (std::log(d.mean) - log_x) + shock;
      x = std::clamp(std::exp(log_x), d.low, d.high);
    } else {
      x = reflect(x + d.reversion * (d.mean - x) + shock, d.low, d.high);
    }
    x = to_resolution(x); // the bounds are multiples of the resolution: it stays within them
  }
}

} // namespace rtd
