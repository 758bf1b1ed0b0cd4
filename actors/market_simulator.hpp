// The market simulator actor: steps the market model on a timer and publishes each step on
// the `market_data` channel. In a cluster one runs, the leader's: the others idle, following
// the steps their channel delivers, so that the one that takes over continues the series
// from the last values the old leader published.
#pragma once

#include "actors/interfaces.hpp"
#include "actors/market_model.hpp"

#include <caf/actor_clock.hpp>

#include <chrono>
#include <optional>
#include <vector>

namespace rtd {

struct market_simulator_config {
  std::chrono::milliseconds interval{10000};
  std::uint64_t seed = 0; ///< 0: random
  /// The values last published before a restart: the series continues from them.
  std::optional<protocol::market_snapshot> start;
  /// A cluster member's starts idle, until a view names its node the leader.
  bool idle = false;
};

struct market_simulator_state {
  static inline const char* name = "market_simulator";

  std::optional<market_model> model; ///< while running
  channel_actor market_data;
  std::chrono::milliseconds interval{10000};
  std::uint64_t seed = 0;
  std::uint64_t run = 0;            ///< tells this run's timer from a stopped one's
  caf::actor_clock::time_point due; ///< when the last step was due
  /// The last values published (by this node or, while idle, by the leader).
  std::optional<protocol::market_snapshot> last;
};

/// Publishes the initial values at once (a step from `start` when resuming), then one step
/// per interval; when idle, from the start of its run instead.
market_simulator_actor::behavior_type
market_simulator(market_simulator_actor::stateful_pointer<market_simulator_state> self,
                 market_simulator_config config, channel_actor market_data);

} // namespace rtd
