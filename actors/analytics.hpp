// The analytics actor: one per node. Follows the market step by step (a listener of the
// market_data channel, so it sees the steps clients see, in order) and publishes, per step, an
// `analytics_update` on the `analytics` channel: for each indicator its EWMAs, trend, rolling
// volatility and z-score (finance/indicator_stats: O(1) per step and indicator). It tells the
// calculation service each update too, for Monte Carlo's "market" volatility, and its
// listeners (sessions with alerts on analytics) once the channel has delivered it.
#pragma once

#include "actors/interfaces.hpp"
#include "finance/indicator_stats.hpp"

#include <optional>
#include <vector>

namespace rtd {

struct analytics_config {
  finance::indicator_stats_config stats;
};

struct analytics_state {
  static inline const char* name = "analytics";

  channel_actor out;                                ///< the analytics channel
  calculation_service_actor calculations;           ///< told every update; may be null
  std::vector<finance::indicator_stats> indicators; ///< indexed by market_indicator
  std::vector<analytics_listener_actor> listeners;  ///< monitored
  std::optional<protocol::analytics_update> latest; ///< for a listener that joins
};

/// `config` must pass finance::indicator_stats::create (the options check it at start).
/// `calculations` (may be null) gets each update before the channel publishes it.
analytics_actor::behavior_type analytics(analytics_actor::stateful_pointer<analytics_state> self,
                                         analytics_config config, channel_actor out,
                                         calculation_service_actor calculations);

} // namespace rtd
