// How a channel takes part in a cluster. The leader's channel is the one sequencer: a
// publication made on any node goes to it (forwarded), is numbered once and relayed once to
// every other node's channel, which delivers it to its own subscribers, keeps it in its ring
// and history, and never forwards it again. So every node has the same seq/epoch for the same
// publication, and the links carry one message per node per publication, never one per
// subscriber. A node that starts numbering after it followed (it took over, or lost every
// member) starts a new epoch, so that no seq of an epoch ever names two publications. Part
// of the channel actor.
#pragma once

#include "actors/channel.hpp"

namespace rtd {

using channel_pointer = channel_actor::stateful_pointer<channel_state>;

/// Takes the leader and the other members' channels from a new view.
void follow(channel_pointer self, const cluster_view& view);

/// On a follower of a new leader: asks its channel for its epoch and seq and adopts them (see
/// adopt), holding subscriptions until then.
void sync(channel_pointer self);

/// Takes the leader's sequence: its epoch (a new one restarts this node's sequence) and its
/// last seq (past this node's: a gap, after which the ring starts).
void adopt(channel_pointer self, std::string epoch, std::uint64_t seq);

/// On a follower: sends `body` to the leader's channel, with `ticket` (0: nobody waits for
/// it), and returns true; elsewhere returns false (the channel numbers it itself).
bool forward(channel_pointer self, protocol::publication_body body, std::uint64_t ticket = 0);

/// On the leader: sends what it numbered to every other member's channel.
void relay(channel_pointer self, const relayed_publication& publication);

/// On a follower: forwards an operator's post and answers with the encoded publication
/// when its relay comes back (see `answer`).
caf::result<frame> forward_awaiting(channel_pointer self, protocol::publication_body body);

/// The relay of ticket `ticket` came back as `text`: answers whoever waits for it.
void answer(channel_pointer self, std::uint64_t ticket, const frame& text);

/// A forwarded publication reached this node, which follows: it was sent to it as the leader
/// before the sender learnt of a change; passed on to the leader (unless it came from it).
void reroute(channel_pointer self, forwarded_publication f);

/// The sequence restarts as `epoch`: the ring is emptied, recoveries under way end (their
/// clients recover afresh when they reconnect).
void restart_sequence(channel_pointer self, std::string epoch);

/// Names a new run of a channel's sequence.
std::string make_epoch();

/// Whether this node's own publications are dropped here (see channel_config::leader_only).
bool left_to_leader(const channel_state& st);

/// Numbers nothing itself: follows a leader.
inline bool following(const channel_state& st) {
  return st.relay.role == channel_role::follower;
}

} // namespace rtd
