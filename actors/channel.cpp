#include "actors/channel.hpp"

#include "protocol/codec.hpp"

#include <caf/all.hpp>

#include <algorithm>

namespace rtd {

namespace {

using self_pointer = channel_actor::stateful_pointer<channel_state>;

std::int8_t index_of(protocol::channel c) {
  return static_cast<std::int8_t>(c);
}

void count_subscribers(const channel_state& st) {
  if (st.subscriber_count)
    st.subscriber_count->store(st.subscribers.size(), std::memory_order_relaxed);
}

/// Writes the ack, then what the subscriber should see before live publications.
void start_delivery(channel_state& st, const subscription& sub) {
  protocol::subscribed ack{sub.id, st.id, st.seq, st.epoch, std::nullopt};
  bool recovered = false;
  if (sub.since_seq) {
    bool same_epoch = !sub.epoch || *sub.epoch == st.epoch;
    recovered = same_epoch && st.recent.covers(*sub.since_seq, st.seq);
    ack.recovered = recovered;
  }
  const auto ch = index_of(st.id);
  std::vector<outbound> items{{make_frame(protocol::encode(ack)), ch, st.seq}};
  if (recovered) {
    st.recent.for_each_after(*sub.since_seq, [&](const publication_ring::entry& e) {
      items.push_back({e.text, ch, e.seq});
    });
  } else if (protocol::is_latest_value(st.id)) {
    if (auto latest = st.recent.latest())
      items.push_back({latest->text, ch, latest->seq});
  }
  sub.sink->send(std::move(items));
}

frame publish(self_pointer self, const protocol::publication_body& body) {
  auto& st = self->state;
  protocol::publication_header header{st.id, ++st.seq, st.epoch, protocol::now()};
  auto text = make_frame(protocol::encode_publication(header, body));
  st.recent.push({header.seq, header.time, text});
  st.subscribers.publish({text, index_of(st.id), header.seq, protocol::is_latest_value(st.id)},
                         ++st.published);
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

} // namespace

channel_actor::behavior_type channel(self_pointer self, channel_config config) {
  auto& st = self->state;
  st.id = config.id;
  st.epoch = std::move(config.epoch);
  st.recent = publication_ring{config.history_size, config.history_bytes};
  st.metrics = std::move(config.metrics);
  st.subscriber_count = std::move(config.subscriber_count);
  self->set_down_handler([self](caf::down_msg& msg) {
    auto& st = self->state;
    if (st.subscribers.remove(msg.source))
      return count_subscribers(st);
    auto& listeners = st.listeners;
    listeners.erase(std::remove_if(listeners.begin(), listeners.end(),
                                   [&](const auto& l) { return l.address() == msg.source; }),
                    listeners.end());
  });
  return {
      [self](subscription& sub) {
        // Only a latest-value channel may skip publications.
        bool conflate = sub.conflate && protocol::is_latest_value(self->state.id);
        if (self->state.subscribers.add(sub.session.address(), sub.sink, conflate))
          self->monitor(sub.session);
        count_subscribers(self->state);
        start_delivery(self->state, sub);
      },
      [self](unsubscription& unsub) {
        auto& st = self->state;
        if (st.subscribers.remove(unsub.session.address()))
          self->demonitor(unsub.session.address());
        count_subscribers(st);
        auto ack = make_frame(protocol::encode(protocol::unsubscribed{unsub.id, st.id}));
        unsub.sink->send({{std::move(ack), index_of(st.id), 0}});
      },
      [self](protocol::publication_body& body) { publish(self, body); },
      [self](calculation_publication& p) {
        auto& st = self->state;
        publish(self, protocol::publication_body{p.update});
        if (p.requester_sink && !st.subscribers.contains(p.requester))
          p.requester_sink->send(make_frame(protocol::encode_direct(p.update)));
      },
      [self](caf::publish_atom, protocol::publication_body& body) { return publish(self, body); },
      [self](caf::get_atom) { return static_cast<std::uint64_t>(self->state.subscribers.size()); },
      [self](caf::join_atom, market_listener_actor& listener) {
        auto& st = self->state;
        self->monitor(listener);
        if (st.last_step)
          self->send(listener, *st.last_step);
        st.listeners.push_back(std::move(listener));
      },
  };
}

} // namespace rtd
