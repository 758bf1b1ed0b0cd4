// The channel actor: one per channel per node. Numbers publications, encodes each once and
// hands the same frame to every subscriber, one hop per I/O lane; keeps a ring of recent
// publications, and, with history on, appends each publication to its crash journal and
// hands it to the history store. A recovery (`since_seq`) is replayed from the ring, then
// from the store, paced by the client's reading, before the subscriber gets live
// publications. Everything it sends a subscriber (acks, recovered and live publications)
// goes through the subscriber's lane, so it arrives in the order the channel sent it. In a
// cluster the leader's channel is the one sequencer (see channel_relay.hpp).
#pragma once

#include "actors/history_outbox.hpp"
#include "actors/interfaces.hpp"
#include "actors/publication_ring.hpp"
#include "actors/subscriber_set.hpp"
#include "metrics/node_metrics.hpp"
#include "store/crash_journal.hpp"

#include <caf/typed_response_promise.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace rtd {

/// How much a replay hands a connection at a time: a fraction of its outbound bound, so
/// that several channels replaying to one client, and its live traffic, fit together.
struct replay_limits {
  std::size_t chunk_frames = 128;
  std::size_t chunk_bytes = 128 << 10;
  std::size_t page_bytes = 512 << 10; ///< of a `history` reply
};

struct channel_config {
  protocol::channel id = protocol::channel::market_data;
  std::string epoch;                   ///< names this run of the sequence
  std::size_t history_size = 1024;     ///< publications kept for recovery
  std::size_t history_bytes = 8 << 20; ///< and at most this many bytes of them
  /// Publications counted here; the subscriber count kept there (for /metrics). Optional.
  std::shared_ptr<metrics::node_metrics> metrics;
  std::shared_ptr<std::atomic<std::uint64_t>> subscriber_count;
  std::uint64_t seq = 0; ///< of the last publication before this start
  replay_limits replay;
  history_store_actor store;                     ///< null: no history on disk
  std::shared_ptr<store::crash_journal> journal; ///< null: no history on disk
  std::string node; ///< this node's name, in what it forwards to the cluster's leader
  /// What this node publishes here follows from what the leader relays (analytics of the
  /// relayed market steps): in a cluster only the leader's own publications count.
  bool leader_only = false;
  /// Messages this channel sent to other nodes (forwards and relays); optional.
  std::shared_ptr<std::atomic<std::uint64_t>> link_messages;
};

/// A channel's part in a cluster: `alone` numbers its own publications (not clustered, or
/// not joined yet, or cut off from every member); the leader numbers every node's and relays
/// them; a follower forwards its own to the leader and delivers what the leader relays.
enum class channel_role : std::uint8_t { alone, leader, follower };

struct channel_relay {
  channel_role role = channel_role::alone;
  std::string node;
  bool leader_only = false;
  channel_actor leader;                 ///< the leader's channel, while following
  std::vector<channel_actor> followers; ///< the other members' channels, while leading
  std::shared_ptr<std::atomic<std::uint64_t>> link_messages;
  /// Operators' posts forwarded to the leader, answered when their relay comes back.
  std::unordered_map<std::uint64_t, caf::typed_response_promise<frame>> pending;
  std::uint64_t next_ticket = 1;
  /// Asking a new leader for its epoch and seq: subscriptions wait meanwhile, so that no
  /// client gets this node's own sequence after it joined.
  bool syncing = false;
  std::vector<subscription> held;
};

/// A subscriber being recovered: not yet among the subscribers, fed chunk by chunk.
struct replay {
  session_actor session;
  frame_sink_ptr sink;
  bool conflate = true;
  std::uint64_t next = 0; ///< the last seq handed to the sink
  std::uint64_t id = 0;   ///< tells this replay's callbacks from an earlier one's
  bool busy = false;      ///< waiting for the store
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
  std::unordered_map<caf::actor_addr, replay> replays;
  std::uint64_t next_replay = 1;
  replay_limits limits;

  publication_ring recent{0};
  history_store_actor store;
  history_outbox<archived_publication> archive; ///< what goes to the store next
  std::shared_ptr<store::crash_journal> journal;

  channel_relay relay;

  /// market_data only: who follows the market's values, told after every step.
  std::vector<market_listener_actor> listeners;
  std::optional<market_step> last_step;
};

channel_actor::behavior_type channel(channel_actor::stateful_pointer<channel_state> self,
                                     channel_config config);

} // namespace rtd
