// The channel actor: one per channel per node. Numbers publications, encodes each once and
// hands the same frame to every subscriber, one hop per I/O lane; keeps a ring of recent
// publications for recovery with `since_seq`. Everything it sends a subscriber (acks,
// recovered and live publications) goes through the subscriber's lane, so it arrives in the
// order the channel sent it.
#pragma once

#include "actors/interfaces.hpp"
#include "actors/publication_ring.hpp"
#include "actors/subscriber_set.hpp"
#include "metrics/node_metrics.hpp"

#include <atomic>

#include <optional>
#include <string>
#include <vector>

namespace rtd {

struct channel_config {
  protocol::channel id = protocol::channel::market_data;
  std::string epoch;                   ///< names this run of the sequence
  std::size_t history_size = 1024;     ///< publications kept for recovery
  std::size_t history_bytes = 8 << 20; ///< and at most this many bytes of them
  /// Publications counted here; the subscriber count kept there (for /metrics). Optional.
  std::shared_ptr<metrics::node_metrics> metrics;
  std::shared_ptr<std::atomic<std::uint64_t>> subscriber_count;
};

struct channel_state {
  static inline const char* name = "channel";

  protocol::channel id = protocol::channel::market_data;
  std::string epoch;
  std::uint64_t seq = 0;       ///< seq of the last publication; 0 before the first
  std::uint64_t published = 0; ///< publications in this process, for lane conflation
  std::shared_ptr<metrics::node_metrics> metrics;
  std::shared_ptr<std::atomic<std::uint64_t>> subscriber_count;

  subscriber_set subscribers;

  publication_ring recent{0};

  /// market_data only: who follows the market's values, told after every step.
  std::vector<market_listener_actor> listeners;
  std::optional<market_step> last_step;
};

channel_actor::behavior_type channel(channel_actor::stateful_pointer<channel_state> self,
                                     channel_config config);

} // namespace rtd
