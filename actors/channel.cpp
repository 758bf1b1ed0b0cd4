#include "actors/channel.hpp"

#include "actors/channel_relay.hpp"
#include "actors/channel_replay.hpp"
#include "actors/history_pages.hpp"
#include "protocol/codec.hpp"

#include <caf/all.hpp>

#include <algorithm>

namespace rtd {

namespace {

using self_pointer = channel_actor::stateful_pointer<channel_state>;

std::int8_t index_of(protocol::channel c) {
  return static_cast<std::int8_t>(c);
}

/// Journals the publication (before any client can see it), hands it to the lanes, then to
/// the history store. `direct`: see protocol::encode_publication.
frame deliver(self_pointer self, const protocol::publication_header& header,
              const protocol::publication_body& body, std::string* direct = nullptr) {
  auto& st = self->state;
  auto text = make_frame(protocol::encode_publication(header, body, direct));
  const auto time_us = to_micros(header.time);
  if (st.journal)
    st.journal->append(protocol::to_string(st.id), st.epoch, header.seq, time_us, text->payload());
  st.recent.push({header.seq, header.time, text});
  st.subscribers.publish({text, index_of(st.id), header.seq, protocol::is_latest_value(st.id)},
                         ++st.published);
  if (st.store)
    st.archive.add(self, archived_publication{st.id, st.epoch, header.seq, time_us, text});
  if (st.metrics)
    st.metrics->published(st.id);
  // After the lanes have the frame: what listeners send clients in reply comes after it.
  if (auto values = std::get_if<protocol::market_snapshot>(&body)) {
    st.last_step = market_step{header.seq, *values};
    for (const auto& listener : st.listeners)
      self->send(listener, *st.last_step);
  }
  return text;
}

/// Numbers a publication made here (or, on the leader, forwarded by `origin`) and delivers
/// it; the leader relays it to the other members.
frame publish(self_pointer self, protocol::publication_body body, const std::string& origin,
              std::uint64_t ticket = 0, std::string* direct = nullptr) {
  auto& st = self->state;
  protocol::publication_header header{st.id, ++st.seq, st.epoch, protocol::now()};
  auto text = deliver(self, header, body, direct);
  if (st.relay.role == channel_role::leader)
    relay(self, {std::move(header), std::move(body), origin, ticket});
  return text;
}

/// A publication this node made: numbered here, or by the leader.
void publish_own(self_pointer self, protocol::publication_body body) {
  auto& st = self->state;
  if (left_to_leader(st))
    return;
  if (!following(st))
    publish(self, std::move(body), st.relay.node);
  else
    forward(self, std::move(body));
}

/// A calculation update as publish_own publishes it, and as its requester gets it directly:
/// cut from the publication's bytes when this node numbers it.
std::string publish_own_and_direct(self_pointer self, protocol::calculation_update update) {
  auto& st = self->state;
  std::string direct;
  if (!left_to_leader(st) && !following(st)) {
    publish(self, protocol::publication_body{std::move(update)}, st.relay.node, 0, &direct);
    return direct;
  }
  direct = protocol::encode_direct(update);
  publish_own(self, protocol::publication_body{std::move(update)});
  return direct;
}

/// What the leader numbered: delivered like a publication of this channel's own, under the
/// leader's epoch and seq (adopted when they moved on), once.
void accept(self_pointer self, relayed_publication& r) {
  auto& st = self->state;
  if (st.relay.role == channel_role::leader)
    return; // a former leader's, still on its way: this node numbers now
  if (r.header.epoch != st.epoch) {
    restart_sequence(self, r.header.epoch);
  } else if (r.header.seq <= st.seq) {
    return; // delivered already
  } else if (r.header.seq != st.seq + 1) {
    st.recent.clear(); // a gap (this node was away): the ring holds only what follows it
  }
  st.seq = r.header.seq;
  auto text = deliver(self, r.header, r.body);
  if (r.ticket != 0 && r.origin == st.relay.node)
    answer(self, r.ticket, text);
}

void remove_listener(channel_state& st, const caf::actor_addr& who) {
  auto& listeners = st.listeners;
  listeners.erase(std::remove_if(listeners.begin(), listeners.end(),
                                 [&](const auto& l) { return l.address() == who; }),
                  listeners.end());
}

/// Publishes each update, unless nobody would ever see it: nobody subscribes (or replays) and
/// no history keeps it; then there is nobody to number and encode it for (the sequence has
/// no gap: it only counts what was published). A requester that does not subscribe gets the
/// updates directly, together in one write.
void publish_calculation(self_pointer self, calculation_publication& p) {
  auto& st = self->state;
  bool direct = p.requester_sink && !is_subscribed(st, p.requester);
  // In a cluster other nodes may have subscribers: the leader numbers every update.
  bool published = st.relay.role != channel_role::alone || st.subscribers.size() > 0 ||
                   !st.replays.empty() || st.store;
  std::vector<outbound> frames;
  for (auto& update : p.updates) {
    if (direct && published)
      frames.push_back({make_frame(publish_own_and_direct(self, std::move(update)))});
    else if (direct)
      frames.push_back({make_frame(protocol::encode_direct(update))});
    else if (published)
      publish_own(self, protocol::publication_body{std::move(update)});
  }
  if (!frames.empty())
    p.requester_sink->send(std::move(frames));
}

} // namespace

channel_actor::behavior_type channel(self_pointer self, channel_config config) {
  auto& st = self->state;
  st.id = config.id;
  st.epoch = std::move(config.epoch);
  st.seq = config.seq;
  st.limits = config.replay;
  st.recent = publication_ring{config.history_size, config.history_bytes};
  st.store = std::move(config.store);
  st.journal = std::move(config.journal);
  st.metrics = std::move(config.metrics);
  st.subscriber_count = std::move(config.subscriber_count);
  st.relay.node = std::move(config.node);
  st.relay.leader_only = config.leader_only;
  st.relay.link_messages = std::move(config.link_messages);
  self->set_down_handler([self](caf::down_msg& msg) {
    if (!forget(self, msg.source))
      remove_listener(self->state, msg.source);
  });
  // As CAF's default (an exit with no reason is ignored), after handing over the archive.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    if (!msg.reason)
      return;
    self->state.archive.send(self->state.store);
    self->quit(msg.reason);
  });
  return {
      [self](subscription& sub) {
        if (self->state.relay.syncing)
          self->state.relay.held.push_back(std::move(sub));
        else
          subscribe(self, sub);
      },
      [self](unsubscription& unsub) {
        auto& st = self->state;
        forget(self, unsub.session.address());
        auto ack = make_frame(protocol::encode(protocol::unsubscribed{unsub.id, st.id}));
        unsub.sink->send(
            {{std::move(ack), index_of(st.id), 0, false, st.subscribers.generation()}});
      },
      [self](protocol::publication_body& body) { publish_own(self, std::move(body)); },
      [self](calculation_publication& p) { publish_calculation(self, p); },
      [self](caf::flush_atom) { self->state.archive.send(self->state.store); },
      [self](caf::publish_atom, protocol::publication_body& body) -> caf::result<frame> {
        auto& st = self->state;
        if (!following(st))
          return publish(self, std::move(body), st.relay.node);
        return forward_awaiting(self, std::move(body));
      },
      [self](caf::get_atom) { return static_cast<std::uint64_t>(self->state.subscribers.size()); },
      [self](caf::join_atom, market_listener_actor& listener) {
        auto& st = self->state;
        self->monitor(listener);
        if (st.last_step)
          self->send(listener, *st.last_step);
        st.listeners.push_back(std::move(listener));
      },
      [self](caf::leave_atom, market_listener_actor& listener) {
        self->demonitor(listener.address());
        remove_listener(self->state, listener.address());
      },
      [self](history_query& q) -> caf::result<history_page> {
        auto& st = self->state;
        q.channel = st.id;
        q.epoch = st.epoch;
        q.max_bytes = st.limits.page_bytes;
        if (st.store) {
          st.archive.send(st.store);
          return self->delegate(st.store, std::move(q));
        }
        return ring_page(st.recent, q);
      },
      [self](replay_atom, const caf::actor_addr& who, std::uint64_t id) {
        continue_replay(self, who, id);
      },
      [self](cluster_view& view) { follow(self, view); },
      [self](forwarded_publication& f) {
        if (!following(self->state))
          publish(self, std::move(f.body), f.origin, f.ticket);
        else
          reroute(self, std::move(f));
      },
      [self](relayed_publication& r) { accept(self, r); },
      [self](sequence_atom) { return caf::make_result(self->state.epoch, self->state.seq); },
  };
}

} // namespace rtd
