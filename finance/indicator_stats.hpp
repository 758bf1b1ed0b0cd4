#pragma once
// Incremental statistics of one market indicator, one update per market step, O(1) each
// (protocol.md, channel `analytics`). Every output depends only on the values fed so far, so
// the state after a restart is rebuilt by feeding the stored history through update().
//
// Per step, for the latest value x:
// - ewma_fast, ewma_slow: e <- e + a (x - e), a = 1 - 2^(-1 / half_life); the first value
//   sets both.
// - rolling_mean, rolling_std: mean and sample std (n - 1) of the last `window` values.
// - volatility: sample std of the last `window` one-step changes x_t - x_{t-1}; 0 until two
//   changes are known.
// - zscore: (x - rolling_mean) / rolling_std; 0 when rolling_std is 0 (fewer than 2 values or
//   a constant window).
// - trend_strength = min(1, |d| / d_line), d = ewma_fast - ewma_slow, where d_line is the gap
//   a noiseless straight line with the same rolling_std would open between the two EWMAs: a
//   line of slope s has d = s (lag_slow - lag_fast) once settled (lag = (1 - a) / a steps) and
//   rolling_std = |s| sqrt(n (n + 1) / 12) over n points, so
//       d_line = rolling_std (lag_slow - lag_fast) / sqrt(n (n + 1) / 12).
//   Strength is thus 1 for a straight line, near 0 when the EWMAs agree, whatever the scale
//   of the indicator; 0 when rolling_std is 0.
// - trend: `flat` when trend_strength < flat_threshold, else `up` (d > 0) or `down`. On the
//   market model's walks about a quarter of the steps are flat with the defaults.
// - reversal: true at the step where the trend becomes up after the last non-flat trend was
//   down, or the reverse. Flat steps in between do not count as a direction: up, flat, down
//   reverses once (on reaching down); up, flat, up does not reverse. The flat band thus acts
//   as hysteresis, so noise around d = 0 does not make reversals.

#include "finance/expected.hpp"
#include "finance/rolling_window.hpp"

#include <cstddef>
#include <cstdint>

namespace rtd::finance {

/// Direction of an indicator's trend; to_string gives the protocol's names.
enum class trend_direction { flat, up, down };

/// "flat", "up" or "down".
const char* to_string(trend_direction d) noexcept;

/// Tuning of indicator_stats. Half-lives are in steps.
struct indicator_stats_config {
  double fast_half_life = 5;  ///< > 0, < slow_half_life
  double slow_half_life = 20; ///< > fast_half_life, at most max_half_life
  std::size_t window = 60;    ///< 2..max_window values for the rolling statistics
};

/// The outputs of one step (protocol.md `analytics_update`, one object per indicator).
struct indicator_analytics {
  double value = 0;
  double ewma_fast = 0;
  double ewma_slow = 0;
  trend_direction trend = trend_direction::flat;
  double trend_strength = 0; ///< in [0, 1]
  double volatility = 0;     ///< sample std of the last `window` changes
  double zscore = 0;
  double rolling_mean = 0; ///< mean of the last `window` values
  double rolling_std = 0;  ///< their sample std
  bool reversal = false;   ///< the trend turned from up to down or down to up at this step
};

/// The running statistics of one indicator series.
class indicator_stats {
public:
  /// Trend strength below this is `flat`.
  static constexpr double flat_threshold = 0.25;
  /// Sanity ceiling on `window` (two rings of doubles of this size).
  static constexpr std::size_t max_window = 1'000'000;
  /// Sanity ceiling on the half-lives, in steps.
  static constexpr double max_half_life = 1e9;
  /// Largest |value| accepted: squares of changes summed over a window stay finite.
  static constexpr double max_value = 1e100;

  /// Checks the configuration, naming the field at fault.
  static expected<indicator_stats> create(const indicator_stats_config& config = {});

  /// Feeds the next value; refuses (field `value`) a non-finite one or one beyond max_value,
  /// leaving the state as it was.
  expected<indicator_analytics> update(double x);

  /// Values fed so far.
  std::uint64_t steps() const noexcept { return steps_; }

  const indicator_stats_config& config() const noexcept { return config_; }

private:
  explicit indicator_stats(const indicator_stats_config& config);

  indicator_stats_config config_;
  double alpha_fast_;
  double alpha_slow_;
  double lag_gap_; ///< lag_slow - lag_fast, in steps
  rolling_window levels_;
  rolling_window changes_;
  std::uint64_t steps_ = 0;
  double last_ = 0;
  double ewma_fast_ = 0;
  double ewma_slow_ = 0;
  trend_direction last_direction_ = trend_direction::flat; ///< latest non-flat trend
};

} // namespace rtd::finance
