#include "actors/channel_relay.hpp"

#include "actors/channel_replay.hpp"
#include "log/log.hpp"

#include <caf/all.hpp>

#include <random>

namespace rtd {

namespace {

/// How long a follower waits for its new leader's sequence before serving without it.
constexpr auto sync_timeout = std::chrono::seconds(3);

/// Serves the subscriptions held while syncing, in arrival order.
void release_held(channel_pointer self) {
  auto& r = self->state.relay;
  r.syncing = false;
  auto held = std::move(r.held);
  r.held.clear();
  for (auto& sub : held)
    subscribe(self, sub);
}

void count_links(const channel_relay& r, std::uint64_t messages) {
  if (r.link_messages)
    r.link_messages->fetch_add(messages, std::memory_order_relaxed);
}

channel_actor channel_of(const member_view& m, protocol::channel id) {
  const auto i = static_cast<std::size_t>(id);
  if (i >= m.channels.size())
    return {};
  return caf::actor_cast<channel_actor>(m.channels[i]);
}

/// The posts waiting for a relay from a leader that is no longer it will never be answered.
void fail_pending(channel_relay& r) {
  for (auto& [ticket, promise] : r.pending)
    promise.deliver(caf::make_error(caf::sec::request_receiver_down));
  r.pending.clear();
}

} // namespace

std::string make_epoch() {
  std::random_device rd;
  std::uint64_t x = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  char text[17];
  std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(x));
  return text;
}

void follow(channel_pointer self, const cluster_view& view) {
  auto& st = self->state;
  auto& r = st.relay;
  channel_actor leader;
  std::vector<channel_actor> others;
  for (const auto& m : view.members)
    if (view.joined && m.up && !m.local)
      if (auto ch = channel_of(m, st.id)) {
        if (m.name == view.leader)
          leader = ch;
        others.push_back(std::move(ch));
      }
  auto role = channel_role::alone;
  if (view.joined && view.leader == view.local && !others.empty())
    role = channel_role::leader;
  else if (leader)
    role = channel_role::follower;
  if (r.role == channel_role::follower && (role != channel_role::follower || leader != r.leader))
    fail_pending(r);
  if (r.role == channel_role::follower && role != channel_role::follower) {
    // It numbers now: a new epoch, or its seqs would name what the old leader numbered.
    restart_sequence(self, make_epoch());
    log::info("channel_epoch",
              std::string{protocol::to_string(st.id)} + " starts epoch " + st.epoch +
                  " on this node, which numbers it now",
              {{"channel", std::string{protocol::to_string(st.id)}}});
  }
  bool new_leader = role == channel_role::follower && leader != r.leader;
  r.role = role;
  r.leader = role == channel_role::follower ? std::move(leader) : channel_actor{};
  r.followers = role == channel_role::leader ? std::move(others) : std::vector<channel_actor>{};
  if (new_leader)
    sync(self);
}

void sync(channel_pointer self) {
  auto& r = self->state.relay;
  r.syncing = true;
  auto leader = r.leader;
  self->request(leader, sync_timeout, sequence_atom::value)
      .then(
          [self, leader](std::string& epoch, std::uint64_t seq) {
            auto& st = self->state;
            if (st.relay.leader == leader)
              adopt(self, std::move(epoch), seq);
            release_held(self);
          },
          [self](caf::error&) { release_held(self); }); // the relays adopt it then
}

bool forward(channel_pointer self, protocol::publication_body body, std::uint64_t ticket) {
  auto& r = self->state.relay;
  if (r.role != channel_role::follower)
    return false;
  self->send(r.leader, forwarded_publication{std::move(body), r.node, ticket});
  count_links(r, 1);
  return true;
}

caf::result<frame> forward_awaiting(channel_pointer self, protocol::publication_body body) {
  auto& r = self->state.relay;
  auto ticket = r.next_ticket++;
  auto promise = self->make_response_promise<frame>();
  r.pending.emplace(ticket, promise);
  forward(self, std::move(body), ticket);
  return promise;
}

void answer(channel_pointer self, std::uint64_t ticket, const frame& text) {
  auto& pending = self->state.relay.pending;
  if (auto i = pending.find(ticket); i != pending.end()) {
    i->second.deliver(text);
    pending.erase(i);
  }
}

void reroute(channel_pointer self, forwarded_publication f) {
  auto& r = self->state.relay;
  if (self->current_sender() == caf::actor_cast<caf::strong_actor_ptr>(r.leader))
    return; // the leader thinks this node leads, and this node the leader: a change under way
  self->send(r.leader, std::move(f));
  count_links(r, 1);
}

void relay(channel_pointer self, const relayed_publication& publication) {
  auto& r = self->state.relay;
  for (const auto& follower : r.followers)
    self->send(follower, publication);
  count_links(r, r.followers.size());
}

void adopt(channel_pointer self, std::string epoch, std::uint64_t seq) {
  auto& st = self->state;
  if (epoch != st.epoch)
    restart_sequence(self, std::move(epoch));
  else if (seq > st.seq)
    st.recent.clear(); // a gap: the ring holds only what follows it
  st.seq = std::max(st.seq, seq);
}

void restart_sequence(channel_pointer self, std::string epoch) {
  auto& st = self->state;
  st.epoch = std::move(epoch);
  st.seq = 0;
  st.recent.clear();
  abandon_replays(self, "the sequence restarted as epoch " + st.epoch);
}

bool left_to_leader(const channel_state& st) {
  return st.relay.leader_only && following(st);
}

} // namespace rtd
