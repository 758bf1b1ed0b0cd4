// Every actor's typed interface, one line of comment per handler. Light enough for the gateway
// to include without pulling in the actors' implementations.
#pragma once

#include "actors/frame_sink.hpp"
#include "protocol/messages.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace rtd {

/// One per WebSocket client: its subscriptions and requests.
using session_actor = caf::typed_actor<
    // A decoded client message, in arrival order.
    caf::reacts_to<protocol::client_message>>;

/// Ask a channel to add `session`. The channel monitors the session and writes the
/// `subscribed` ack, then recovered or latest publications, to `sink`, in that order.
struct subscription {
  session_actor session;
  frame_sink_ptr sink;
  protocol::correlation_id id;
  std::optional<std::uint64_t> since_seq;
  std::optional<std::string> epoch;
};

/// Ask a channel to drop `session`; the channel writes the `unsubscribed` ack to `sink`
/// after which no publication of it reaches the sink.
struct unsubscription {
  session_actor session;
  frame_sink_ptr sink;
  protocol::correlation_id id;
};

/// One per channel per node: subscribers, seq/epoch and the recent-publication ring.
using channel_actor = caf::typed_actor<
    // Adds a subscriber (see `subscription`).
    caf::reacts_to<subscription>,
    // Removes a subscriber (see `unsubscription`).
    caf::reacts_to<unsubscription>,
    // Publishes: numbers, encodes once and delivers the same frame to every subscriber.
    caf::reacts_to<protocol::publication_body>,
    // Publishes like the above and replies with the encoded publication.
    caf::replies_to<caf::publish_atom, protocol::publication_body>::with<frame>,
    // Number of current subscribers.
    caf::replies_to<caf::get_atom>::with<std::uint64_t>>;

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
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::unsubscription)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::frame)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::protocol::client_message)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::protocol::publication_body)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::protocol::market_snapshot)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(rtd::protocol::notification)
