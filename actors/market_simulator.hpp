// The market simulator actor: steps the market model on a timer and publishes each step on
// the `market_data` channel.
#pragma once

#include "actors/interfaces.hpp"
#include "actors/market_model.hpp"

#include <chrono>
#include <optional>
#include <vector>

namespace rtd {

struct market_simulator_config {
  std::chrono::milliseconds interval{10000};
  std::uint64_t seed = 0; ///< 0: random
  /// The values last published before a restart: the series continues from them.
  std::optional<protocol::market_snapshot> start;
};

struct market_simulator_state {
  static inline const char* name = "market_simulator";

  std::optional<market_model> model;
  channel_actor market_data;
  std::chrono::milliseconds interval{10000};
};

/// Publishes the initial values at once (a step from `start` when resuming), then one step
/// per interval.
market_simulator_actor::behavior_type
market_simulator(market_simulator_actor::stateful_pointer<market_simulator_state> self,
                 market_simulator_config config, channel_actor market_data);

} // namespace rtd
