// The recorded market series: the last `capacity` market steps the calculation service was
// told of, so that `forecast` and `forecast_npv` fit their models on recent history. Fed one
// step at a time as the market moves; stored steps older than any it holds can be added in
// front (the seam for seeding it from the durable history at start). Plain data: the service
// owns it, nothing else touches it.
#pragma once

#include "actors/interfaces.hpp"

#include <cstddef>
#include <deque>
#include <vector>

namespace rtd {

class market_series {
public:
  /// Keeps at most `capacity` (>= 1) steps.
  explicit market_series(std::size_t capacity);

  /// Records the newest step; the oldest goes when full.
  void append(const market_step& step);

  /// Adds `older` (ascending seq, e.g. read from the history store) in front of what is held:
  /// the steps with a seq below the oldest one held (all of them when none is), newest first,
  /// while there is room. Steps recorded since the start thus stay, and none is held twice.
  void prepend(const std::vector<market_step>& older);

  std::size_t size() const noexcept { return steps_.size(); }
  std::size_t capacity() const noexcept { return capacity_; }
  bool empty() const noexcept { return steps_.empty(); }

  /// The newest step; the series must not be empty.
  const market_step& latest() const { return steps_.back(); }

  /// The last `n` (at most size()) values of `indicator`, oldest first.
  std::vector<double> last(protocol::market_indicator indicator, std::size_t n) const;

private:
  std::size_t capacity_;
  std::deque<market_step> steps_;
};

} // namespace rtd
