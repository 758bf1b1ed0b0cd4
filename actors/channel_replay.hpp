// How a channel adds a subscriber: at once for a plain subscribe (ack, latest value), or
// after replaying what it missed for a recovery. A replay is fed in chunks from the ring or,
// for older publications, from the history store, each chunk once the client's queue has
// drained, so a client that reads is never closed for its own recovery. The subscriber joins
// the live audience in the same turn as its replay reaches the channel's seq, so no
// publication falls between the two. Part of the channel actor.
#pragma once

#include "actors/channel.hpp"

namespace rtd {

using channel_pointer = channel_actor::stateful_pointer<channel_state>;

/// Handles a `subscription` (plain or with since_seq).
void subscribe(channel_pointer self, subscription& sub);

/// The sink of replay `id` of `who` has drained: feeds it the next chunk.
void continue_replay(channel_pointer self, const caf::actor_addr& who, std::uint64_t id);

/// Ends every recovery under way (see abandon in channel_replay.cpp).
void abandon_replays(channel_pointer self, const std::string& why);

/// Forgets `who` as a subscriber or a replay; true when it was either (it is then no longer
/// monitored).
bool forget(channel_pointer self, const caf::actor_addr& who);

/// Updates the subscriber count kept for /metrics (after every change of the subscribers).
void count_subscribers(const channel_state& st);

/// Whether publications reach `who` as a subscriber, now or once its replay is done.
bool is_subscribed(const channel_state& st, const caf::actor_addr& who);

} // namespace rtd
