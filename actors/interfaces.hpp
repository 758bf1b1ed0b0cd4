// Every actor's typed interface, one line of comment per handler. Light enough for the gateway
// to include without pulling in the actors' implementations.
#pragma once

#include "actors/cluster_messages.hpp"
#include "actors/frame_sink.hpp"
#include "actors/protocol_inspect.hpp"
#include "protocol/calculation_rules.hpp"
#include "protocol/messages.hpp"
#include "store/types.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace rtd {

using auth_check_atom = caf::atom_constant<caf::atom("authchk")>;
using replay_atom = caf::atom_constant<caf::atom("replay")>;
using trim_atom = caf::atom_constant<caf::atom("trim")>;
using sequence_atom = caf::atom_constant<caf::atom("sequence")>;

/// A market step as the `market_data` channel published it: its seq and values.
struct market_step {
  std::uint64_t seq = 0;
  protocol::market_snapshot values;
};

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, market_step& x) {
  return f(caf::meta::type_name("rtd::market_step"), x.seq, x.values);
}

/// What a live calculation's job tells the session that requested it, so that the session
/// can set alerts on its results: that it started, each result, and that it ended.
struct live_calculation_event {
  enum class kind : std::uint8_t { started, completed, ended };
  kind what = kind::started;
  std::uint64_t job = 0; ///< the service's number for it: tells a reused id's jobs apart
  std::string calculation_id;
  protocol::calculation_type type = protocol::calculation_type::npv;
  std::string result_json; ///< with `completed`
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, live_calculation_event& x) {
  return f(caf::meta::type_name("rtd::live_calculation_event"), x.what, x.job, x.calculation_id,
           x.type, x.result_json);
}

/// One per WebSocket client: its subscriptions and requests.
using session_actor = caf::typed_actor<
    // A decoded client message, in arrival order.
    caf::reacts_to<protocol::client_message>,
    // Timer: the token of this generation expired, or the grace to authenticate ended.
    caf::reacts_to<auth_check_atom, std::uint64_t>,
    // The market after a step, while the session has alerts on market fields.
    caf::reacts_to<market_step>,
    // The analytics after a step, while the session has alerts on them.
    caf::reacts_to<protocol::analytics_update>,
    // One of the session's live calculations started, completed a run or ended.
    caf::reacts_to<live_calculation_event>>;

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

/// Anything that follows the analytics update by update: the analytics actor tells its
/// listeners after the channel has delivered the update, so that what a listener sends a
/// client as a consequence arrives after the `analytics_update`.
using analytics_listener_actor = caf::typed_actor<
    // The analytics after a step.
    caf::reacts_to<protocol::analytics_update>>;

/// The analytics actor: follows the market, publishes on `analytics`, tells its listeners.
using analytics_actor = market_listener_actor::extend<
    // Adds a listener: it gets the latest update at once, then each one.
    caf::reacts_to<caf::join_atom, analytics_listener_actor>,
    // Removes a listener.
    caf::reacts_to<caf::leave_atom, analytics_listener_actor>>;

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

/// Where a calculation job sends its updates: the node's `calculations` channel, or the
/// stand-in of a job another node handed this one.
using calculation_publisher_actor = caf::typed_actor<caf::reacts_to<calculation_publication>>;

/// A publication for the history store, as the channel delivered it.
struct archived_publication {
  protocol::channel channel = protocol::channel::market_data;
  std::string epoch;
  std::uint64_t seq = 0;
  std::int64_t time_us = 0; ///< microseconds since the Unix epoch
  frame data;
};

/// A query of one channel's history (a `history` request, or a page of a replay), always of
/// one epoch: the channel's current one, which the channel fills in.
struct history_query {
  protocol::channel channel = protocol::channel::market_data;
  std::string epoch;
  std::optional<std::uint64_t> since_seq; ///< the oldest after it; without, the newest
  std::optional<std::int64_t> from_us;    ///< inclusive bounds on the publication time
  std::optional<std::int64_t> to_us;
  std::uint32_t limit = protocol::default_history_limit;
  /// Fewer items past this many frame bytes (at least one), with has_more: a page must fit
  /// the client's outbound queue.
  std::size_t max_bytes = 512 << 10;
};

/// One publication of a history page.
struct history_item {
  std::uint64_t seq = 0;
  frame data;
};

/// The answer to a history_query: ascending seq; has_more says more items match.
struct history_page {
  std::vector<history_item> items;
  bool has_more = false;
};

/// Whether the history store holds every publication after `since_seq` of an epoch.
struct coverage_query {
  protocol::channel channel = protocol::channel::market_data;
  std::string epoch;
  std::uint64_t since_seq = 0;
};

/// The answer: `covered` when nothing after since_seq up to `through`, the newest seq the
/// store holds of that epoch, is missing.
struct coverage {
  bool covered = false;
  std::uint64_t through = 0;
};

/// The history store's health for system_status.
struct history_health {
  protocol::history_figures figures;
  std::string degraded; ///< why writes fail; empty while they succeed
};

/// One per node, on its own thread: the SQLite history, written in batches off the hot path.
using history_store_actor = caf::typed_actor<
    // Stores publications, oldest first (in the next batch; see history_outbox).
    caf::reacts_to<std::vector<archived_publication>>,
    // Keeps calculation results, oldest first (the results cache, across restarts).
    caf::reacts_to<std::vector<store::stored_result>>,
    // A page of history (after writing what is pending, so that nothing sent is missing).
    caf::replies_to<history_query>::with<history_page>,
    // Whether a recovery from since_seq is complete (see `coverage`).
    caf::replies_to<coverage_query>::with<coverage>,
    // The figures and health for system_status.
    caf::replies_to<caf::get_atom>::with<history_health>,
    // Timer: write the pending batch.
    caf::reacts_to<caf::flush_atom>,
    // Timer: apply retention to every channel.
    caf::reacts_to<trim_atom>>;

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
    // From itself: hands the history store what waits for it (see history_outbox).
    caf::reacts_to<caf::flush_atom>,
    // Publishes like the above and replies with the encoded publication.
    caf::replies_to<caf::publish_atom, protocol::publication_body>::with<frame>,
    // Number of current subscribers.
    caf::replies_to<caf::get_atom>::with<std::uint64_t>,
    // Adds a listener of market steps (market_data only): it gets the latest at once.
    caf::reacts_to<caf::join_atom, market_listener_actor>,
    // Removes a listener of market steps.
    caf::reacts_to<caf::leave_atom, market_listener_actor>,
    // A page of this channel's history (see `history_query`; the channel sets the epoch).
    caf::replies_to<history_query>::with<history_page>,
    // The sink of a replaying subscriber has drained: send it the next chunk (the number
    // tells a current replay from an ended one).
    caf::reacts_to<replay_atom, caf::actor_addr, std::uint64_t>,
    // The cluster's membership: who leads, where the other nodes' channels are.
    caf::reacts_to<cluster_view>,
    // On the leader: a publication another node made, to number and relay.
    caf::reacts_to<forwarded_publication>,
    // From the leader: a publication it numbered, to deliver here (never forwarded again).
    caf::reacts_to<relayed_publication>,
    // From a member that starts following this node: the epoch and the last seq here.
    caf::replies_to<sequence_atom>::with<std::string, std::uint64_t>>;

/// The node's channels, indexed by `protocol::channel`.
using channel_set = std::array<channel_actor, protocol::all_channels.size()>;

inline const channel_actor& channel_of(const channel_set& set, protocol::channel c) {
  return set[static_cast<std::size_t>(c)];
}

/// Told about every change of the cluster's membership or of its leader.
using cluster_listener_actor = caf::typed_actor<
    // The membership after the change.
    caf::reacts_to<cluster_view>>;

/// Moves the market indicators and publishes them on `market_data`; in a cluster, only on
/// the leader.
using market_simulator_actor = caf::typed_actor<
    // Timer of run N: advance the model one step and publish.
    caf::reacts_to<caf::tick_atom, std::uint64_t>,
    // The current indicator values.
    caf::replies_to<caf::get_atom>::with<protocol::market_snapshot>,
    // The market as the channel delivered it (while idle: where a takeover starts from).
    caf::reacts_to<market_step>,
    // Runs while the view names this node the leader, idles otherwise.
    caf::reacts_to<cluster_view>>;

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

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, job_outcome& x) {
  return f(caf::meta::type_name("rtd::job_outcome"), x.job, x.status, x.duration_ms,
           optional_field{x.result_json}, x.lost);
}

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

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, calculation_stats& x) {
  return f(caf::meta::type_name("rtd::calculation_stats"), x.cache_hits, x.cache_misses,
           x.cache_entries, x.cache_evictions, x.cache_expired, x.cache_bytes, x.running,
           x.completed, x.failed, x.avg_ms, x.memory_bytes, x.refused);
}

/// What a calculation takes from the market (see protocol::market_inputs), and the seq of the
/// market step they come from (0: none). The service resolves them when a job starts, and again
/// for a live job whenever the market moves what it depends on.
struct job_inputs {
  protocol::market_inputs inputs;
  std::uint64_t market_seq = 0;
};

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, job_inputs& x) {
  return f(caf::meta::type_name("rtd::job_inputs"), x.inputs.rate, x.inputs.volatility,
           x.inputs.history, x.market_seq);
}

/// One per calculation: runs it (in chunks on the calculation executor when heavy), reports
/// progress, honours cancel.
using calculation_job_actor = caf::typed_actor<
    // A chunk of run N ended on the executor: report progress, then the next chunk.
    caf::reacts_to<caf::tick_atom, std::uint64_t>,
    // Cancels, echoing the cancel request's id.
    caf::reacts_to<cancel_atom, protocol::correlation_id>,
    // A live calculation's inputs now: it re-runs when they changed.
    caf::reacts_to<job_inputs>>;

/// A calculation another node hands this one when it runs more than its threshold (see
/// calculation_service_config::offload_above): validated there, its inputs resolved there.
struct offloaded_calculation {
  std::uint64_t job = 0; ///< the origin's number for it
  std::string calculation_id;
  protocol::calculate_request request;
  job_inputs inputs;
  caf::strong_actor_ptr origin; ///< the origin's calculation service: where the updates go
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offloaded_calculation& x) {
  return f(caf::meta::type_name("rtd::offloaded_calculation"), x.job, x.calculation_id, x.request,
           x.inputs, x.origin);
}

/// The worker's answer: the job's stand-in there (where a cancel and a live job's inputs go),
/// or why it does not take the calculation.
struct offload_answer {
  caf::strong_actor_ptr stand_in;
  std::string refusal;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offload_answer& x) {
  return f(caf::meta::type_name("rtd::offload_answer"), x.stand_in, x.refusal);
}

/// An offloaded job's updates, in order, for the origin to publish as its own.
struct offloaded_updates {
  std::uint64_t job = 0; ///< the origin's number
  std::vector<protocol::calculation_update> updates;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offloaded_updates& x) {
  return f(caf::meta::type_name("rtd::offloaded_updates"), x.job, x.updates);
}

/// A client's cancel of an offloaded job, from the origin to the job's stand-in.
struct offloaded_cancel {
  protocol::correlation_id id;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, offloaded_cancel& x) {
  return f(caf::meta::type_name("rtd::offloaded_cancel"), variant_field{x.id});
}

/// On the worker, one per offloaded job: the requester and the channel as far as the job
/// knows; passes the job's updates and live events to the origin, and the origin's cancel and
/// inputs to the job. Ends with the job, or with the origin (the job is then cancelled).
using calculation_stand_in_actor = calculation_publisher_actor::extend<
    // A live event of the job: to the origin.
    caf::reacts_to<live_calculation_event>,
    // From the origin: cancel the job.
    caf::reacts_to<offloaded_cancel>,
    // From the origin: a live job's inputs now.
    caf::reacts_to<job_inputs>,
    // From the worker's service: the job to watch (the stand-in ends with it).
    caf::reacts_to<caf::join_atom, calculation_job_actor>>;

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
    // From itself: hands the history store the results waiting for it (see history_outbox).
    caf::reacts_to<caf::flush_atom>,
    // The figures for system_status.
    caf::replies_to<caf::get_atom>::with<calculation_stats>,
    // The cluster's membership: where other nodes' services are, and their load.
    caf::reacts_to<cluster_view>,
    // From another node: run its calculation here (see offloaded_calculation).
    caf::replies_to<offloaded_calculation>::with<offload_answer>,
    // From a worker: updates of a job this node handed it, to publish.
    caf::reacts_to<offloaded_updates>,
    // From a worker: a live event of a job this node handed it, for its requester.
    caf::reacts_to<live_calculation_event>>;

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

/// What a node's cluster actor offers its peers: the interface it is published with.
using cluster_peer_actor = caf::typed_actor<
    // A peer introduces itself; the answer admits it (with this node's hello) or refuses it.
    caf::replies_to<caf::join_atom, member_hello>::with<join_answer>,
    // A member's periodic figures.
    caf::reacts_to<member_load>>;

/// One per node: membership of the cluster (full mesh through CAF's middleman) and the
/// choice of its leader, the oldest live member.
using cluster_actor = cluster_peer_actor::extend<
    // The node published this actor on `port` of its cluster host: start joining (--join).
    caf::reacts_to<caf::publish_atom, std::uint16_t>,
    // The membership as this node sees it.
    caf::replies_to<caf::get_atom>::with<cluster_view>,
    // Adds a listener: it gets the current view at once, then one after every change.
    caf::reacts_to<caf::join_atom, cluster_listener_actor>,
    // Timer: try (again) to reach the member at this host:port.
    caf::reacts_to<caf::connect_atom, std::string>,
    // Timer: send this node's figures to every member.
    caf::reacts_to<caf::tick_atom>>;

/// The part of CAF's middleman actor the cluster uses: a non-blocking connect to host:port,
/// answered with the peer's node, the actor published there and its interface.
using connector_actor =
    caf::typed_actor<caf::replies_to<caf::connect_atom, std::string, std::uint16_t>::with<
        caf::node_id, caf::strong_actor_ptr, std::set<std::string>>>;

using redis_active_atom = caf::atom_constant<caf::atom("redisact")>;

/// A message another program PUBLISHed to rtd:publish:<channel>, past the bridge thread's
/// size and rate checks.
struct redis_ingest {
  protocol::channel target = protocol::channel::notifications;
  std::string payload;
};

/// Joins rtd's channels and Redis's pub/sub (see actors/redis_bridge.hpp).
using redis_bridge_actor = caf::typed_actor<
    // A message from Redis: validated like POST /api/notifications, then published.
    caf::reacts_to<redis_ingest>,
    // In a cluster: whether this node's bridge consumes ingest and publishes egress (the
    // leader's only, so that each message is published once).
    caf::reacts_to<redis_active_atom, bool>>;

} // namespace rtd

// Messages that hold node-local pointers: they never leave the node, so they have no `inspect`
// and are not registered. CAF would skip such a type silently inside an inspected struct, so
// none of them is a field of a message that crosses nodes.
// The subscriber's connection (frame_sink_ptr) is a pointer into this process's gateway.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::subscription)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::unsubscription)
// The requester's connection (frame_sink_ptr), which the service and the channel answer.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::calculation_publication)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::calculation_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::cancellation)
// A shared, immutable encoded frame: a pointer to bytes in this process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::frame)
// A std::variant of std types: CAF finds `inspect` by argument-dependent lookup, which looks
// only into namespace std for it, so it cannot be inspected on its own. Inside a struct it is
// inspected through variant_field; on its own it is only the cancel sent to a local job
// (an offloaded job's crosses as offloaded_cancel).
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::protocol::correlation_id)
// The node's own history store: its pages and figures are answered on this node (a shared
// frame inside archived_publication and history_item) and never cross nodes.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<rtd::archived_publication>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::history_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::history_page)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::coverage_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::coverage)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::history_health)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<rtd::store::stored_result>)
// What the bridge thread hands its actor: the payload is only checked and published here.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::redis_ingest)
// The node's market steps, for its own calculation service and jobs.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::market_history)
