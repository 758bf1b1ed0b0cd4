// The analytics actor: one per node. Follows the market step by step (a listener of the
// market_data channel, so it sees the steps clients see, in order) and publishes, per step, an
// `analytics_update` on the `analytics` channel: for each indicator its EWMAs, trend, rolling
// volatility and z-score (finance/indicator_stats: O(1) per step and indicator).
#pragma once

#include "actors/interfaces.hpp"
#include "finance/indicator_stats.hpp"

#include <vector>

namespace rtd {

struct analytics_config {
  finance::indicator_stats_config stats;
};

struct analytics_state {
  static inline const char* name = "analytics";

  channel_actor out; ///< the analytics channel
  std::vector<finance::indicator_stats> indicators; ///< indexed by market_indicator
};

/// `config` must pass finance::indicator_stats::create (the options check it at start).
market_listener_actor::behavior_type
analytics(market_listener_actor::stateful_pointer<analytics_state> self, analytics_config config,
          channel_actor out);

} // namespace rtd
