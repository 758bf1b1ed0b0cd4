// Every actor's typed interface, one line of comment per handler. Light enough for the gateway
// to include without pulling in the actors' implementations.
#pragma once

#include "actors/frame_sink.hpp"
#include "protocol/calculation_rules.hpp"
#include "protocol/messages.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rtd {

using auth_check_atom = caf::atom_constant<caf::atom("authchk")>;

/// One per WebSocket client: its subscriptions and requests.
using session_actor = caf::typed_actor<
    // A decoded client message, in arrival order.
    caf::reacts_to<protocol::client_message>,
    // Timer: the token of this generation expired, or the grace to authenticate ended.
    caf::reacts_to<auth_check_atom, std::uint64_t>>;

/// A market step as the `market_data` channel published it: its seq and values.
struct market_step {
  std::uint64_t seq = 0;
  protocol::market_snapshot values;
};

/// Stored market steps, oldest first (from the durable history), for the calculation service's
/// recorded series: the way to seed it at start with what came before (market_series::prepend).
struct market_history {
  std::vector<market_step> steps;
};

/// Anything that follows the market step by step (values, not frames), in the order clients
/// see it: the channel tells its listeners after handing the step's frame to every lane, so
/// what a listener sends a client as a consequence arrives after the `market_update`.
using market_listener_actor = caf::typed_actor<
    // The market after a step.
    caf::reacts_to<market_step>>;

/// Ask a channel to add `session`. The channel monitors the session and writes the
/// `subscribed` ack, then recovered or latest publications, to `sink`, in that order.
struct subscription {
  session_actor session;
  frame_sink_ptr sink;
  protocol::correlation_id id;
  std::optional<std::uint64_t> since_seq;
  std::optional<std::string> epoch;
  bool conflate = true; ///< on a latest-value channel: may skip to the newest publication
};

/// Ask a channel to drop `session`; the channel writes the `unsubscribed` ack to `sink`
/// after which no publication of it reaches the sink.
struct unsubscription {
  session_actor session;
  frame_sink_ptr sink;
  protocol::correlation_id id;
};

/// A calculation's updates for the `calculations` channel, in order: published to its
/// subscribers (when it has any), and sent to the requester directly, in one write, when it is
/// not one of them, so that it gets each update once.
struct calculation_publication {
  std::vector<protocol::calculation_update> updates;
  caf::actor_addr requester;
  frame_sink_ptr requester_sink;
};

/// One per channel per node: subscribers, seq/epoch and the recent-publication ring.
using channel_actor = caf::typed_actor<
    // Adds a subscriber (see `subscription`).
    caf::reacts_to<subscription>,
    // Removes a subscriber (see `unsubscription`).
    caf::reacts_to<unsubscription>,
    // Publishes: numbers, encodes once and delivers the same frame to every subscriber.
    caf::reacts_to<protocol::publication_body>,
    // Publishes calculation updates (see `calculation_publication`).
    caf::reacts_to<calculation_publication>,
    // Publishes like the above and replies with the encoded publication.
    caf::replies_to<caf::publish_atom, protocol::publication_body>::with<frame>,
    // Number of current subscribers.
    caf::replies_to<caf::get_atom>::with<std::uint64_t>,
    // Adds a listener of market steps (market_data only): it gets the latest at once.
    caf::reacts_to<caf::join_atom, market_listener_actor>>;

/// The node's channels, indexed by `protocol::channel`.
using channel_set = std::array<channel_actor, protocol::all_channels.size()>;

inline const channel_actor& channel_of(const channel_set& set, protocol::channel c) {
  return set[static_cast<std::size_t>(c)];
}

/// Moves the market indicators and publishes them on `market_data`.
using market_simulator_actor = caf::typed_actor<
    // Timer: advance the model one step and publish.
    caf::reacts_to<caf::tick_atom>,
    // The current indicator values.
    caf::replies_to<caf::get_atom>::with<protocol::market_snapshot>>;

using cancel_atom = caf::atom_constant<caf::atom("cancel")>;

/// A client's `calculate`, as its session hands it to the calculation service.
struct calculation_request {
  session_actor requester;
  frame_sink_ptr sink;
  protocol::correlation_id id;
  protocol::calculate_request request;
};

/// A client's `cancel`.
struct cancellation {
  session_actor requester;
  frame_sink_ptr sink;
  protocol::correlation_id id;
  std::string calculation_id;
};

/// How a job ended (completed, failed or cancelled). The job tells the service, which frees
/// the calculation id, before it publishes its final update, so that the id is free as soon
/// as the client sees that update.
struct job_outcome {
  std::uint64_t job = 0;
  protocol::calculation_status status = protocol::calculation_status::completed;
  double duration_ms = 0.0;
  std::optional<std::string> result_json; ///< completed, when the service caches it
  /// The job ended without its final update (something failed past its guards): the
  /// service publishes `failed` for it.
  bool lost = false;
};

/// The calculation figures of `system_status`.
struct calculation_stats {
  std::uint64_t cache_hits = 0;
  std::uint64_t cache_misses = 0;
  std::uint64_t cache_entries = 0;
  std::uint64_t cache_evictions = 0;
  std::uint64_t cache_expired = 0;
  std::uint64_t cache_bytes = 0;
  std::uint64_t running = 0;
  std::uint64_t completed = 0;
  std::uint64_t failed = 0;
  double avg_ms = 0.0;
  std::uint64_t memory_bytes = 0; ///< reserved by running calculations
  std::uint64_t refused = 0;      ///< requests over the node's caps (too_many_calculations)
};

/// What a calculation takes from the market (see protocol::market_inputs), and the seq of the
/// market step they come from (0: none). The service resolves them when a job starts, and again
/// for a live job whenever the market moves what it depends on.
struct job_inputs {
  protocol::market_inputs inputs;
  std::uint64_t market_seq = 0;
};

/// One per calculation: runs it (in chunks on the calculation executor when heavy), reports
/// progress, honours cancel.
using calculation_job_actor = caf::typed_actor<
    // A chunk of run N ended on the executor: report progress, then the next chunk.
    caf::reacts_to<caf::tick_atom, std::uint64_t>,
    // Cancels, echoing the cancel request's id.
    caf::reacts_to<cancel_atom, protocol::correlation_id>,
    // A live calculation's inputs now: it re-runs when they changed.
    caf::reacts_to<job_inputs>>;

/// One per node: validation, the result cache, the job registry and its figures.
using calculation_service_actor = caf::typed_actor<
    // Validates, answers from the cache or starts a job.
    caf::reacts_to<calculation_request>,
    // Cancels a running job of the requester.
    caf::reacts_to<cancellation>,
    // The market after a step: recorded, the rate for "market", and live jobs re-run.
    caf::reacts_to<market_step>,
    // The analytics after a step: the volatility for "market", and live jobs re-run.
    caf::reacts_to<protocol::analytics_update>,
    // Stored steps older than the recorded series: added in front of it.
    caf::reacts_to<market_history>,
    // A job ended (see `job_outcome`).
    caf::reacts_to<job_outcome>,
    // Timer: removes expired entries from the result cache.
    caf::reacts_to<caf::tick_atom>,
    // The figures for system_status.
    caf::replies_to<caf::get_atom>::with<calculation_stats>>;

/// Publishes notifications on `notifications`, throttling the server's own events.
using notifier_actor = caf::typed_actor<
    // A server event; throttled so that a storm of events cannot flood the channel.
    caf::reacts_to<protocol::notification>,
    // A notification posted by an operator; published as is, replying with its frame.
    caf::replies_to<caf::publish_atom, protocol::notification>::with<frame>,
    // Timer: ends a throttling window, publishing a summary of what was held back.
    caf::reacts_to<caf::tick_atom>>;

/// Gathers health figures and publishes `system_status` on `system` periodically.
using system_monitor_actor = caf::typed_actor<
    // Timer: gather figures (asking each channel for its subscriber count), then publish.
    caf::reacts_to<caf::tick_atom>>;

} // namespace rtd

// These messages hold node-local pointers (sinks, shared frames) or std::variant and never
// leave the node; the cluster relays publications as its own serialisable type.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::subscription)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::calculation_publication)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::calculation_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::cancellation)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::job_outcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::calculation_stats)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::protocol::correlation_id)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::unsubscription)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::frame)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::protocol::client_message)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::protocol::publication_body)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::protocol::market_snapshot)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::market_step)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::market_history)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::job_inputs)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::protocol::analytics_update)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::protocol::notification)
