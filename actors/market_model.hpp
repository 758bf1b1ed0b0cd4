// The market model behind `market_data`: each indicator is a mean-reverting random walk
// (a discretised Ornstein-Uhlenbeck process) held inside a plausible range, to six decimal
// places.
#pragma once

#include "protocol/messages.hpp"

#include <cstdint>
#include <optional>
#include <random>

namespace rtd {

class market_model {
public:
  /// `seed` 0 draws a random seed; any other value makes the walk reproducible. The walk
  /// starts at the means, or at `start` (the last values before a restart).
  explicit market_model(std::uint64_t seed,
                        const std::optional<protocol::market_snapshot>& start = std::nullopt);

  /// Advances every indicator by one step.
  void step();

  const protocol::market_snapshot& current() const { return current_; }

  /// How one indicator moves: pulled towards `mean` by `reversion` per step, shaken by
  /// `volatility` per step, kept within [low, high].
  struct dynamics {
    double mean;
    double reversion;
    double volatility;
    double low;
    double high;
    bool multiplicative; ///< moves in log space (an index that must stay positive)
  };
  static const dynamics& dynamics_of(protocol::market_indicator m);

private:
  std::mt19937_64 rng_;
  std::normal_distribution<double> normal_{0.0, 1.0};
  protocol::market_snapshot current_;
};

} // namespace rtd
