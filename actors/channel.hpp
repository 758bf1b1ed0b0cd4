// The channel actor: one per channel per node. Numbers publications, encodes each once and
// hands the same frame to every subscriber's sink; keeps a ring of recent publications for
// recovery with `since_seq`.
#pragma once

#include "actors/interfaces.hpp"
#include "actors/publication_ring.hpp"

#include <string>
#include <unordered_map>
#include <vector>

namespace rtd {

struct channel_config {
  protocol::channel id = protocol::channel::market_data;
  std::string epoch;               ///< names this run of the sequence
  std::size_t history_size = 1024; ///< publications kept for recovery
};

struct channel_state {
  static inline const char* name = "channel";

  struct subscriber {
    session_actor session;
    frame_sink_ptr sink;
  };

  protocol::channel id = protocol::channel::market_data;
  std::string epoch;
  std::uint64_t seq = 0; ///< seq of the last publication; 0 before the first

  /// Contiguous for the fan-out loop; `position` finds an entry for O(1) swap-removal.
  std::vector<subscriber> subscribers;
  std::unordered_map<caf::actor_addr, std::size_t> position;

  publication_ring recent{0};

  /// Whether a plain subscribe is followed at once by the latest publication.
  bool sends_latest = false;
};

channel_actor::behavior_type channel(channel_actor::stateful_pointer<channel_state> self,
                                     channel_config config);

} // namespace rtd
