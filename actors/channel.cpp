#include "actors/channel.hpp"

#include "protocol/codec.hpp"

#include <caf/all.hpp>

namespace rtd {

namespace {

using self_pointer = channel_actor::stateful_pointer<channel_state>;

/// Writes the ack, then what the subscriber should see before live publications.
void start_delivery(channel_state& st, const subscription& sub) {
  protocol::subscribed ack{sub.id, st.id, st.seq, st.epoch, std::nullopt};
  bool recovered = false;
  if (sub.since_seq) {
    bool same_epoch = !sub.epoch || *sub.epoch == st.epoch;
    recovered = same_epoch && st.recent.covers(*sub.since_seq, st.seq);
    ack.recovered = recovered;
  }
  std::vector<frame> frames{make_frame(protocol::encode(ack))};
  if (recovered) {
    st.recent.for_each_after(*sub.since_seq,
                             [&](const publication_ring::entry& e) { frames.push_back(e.text); });
  } else if (st.sends_latest) {
    if (auto latest = st.recent.latest())
      frames.push_back(latest->text);
  }
  sub.sink->group().deliver_to(sub.sink, std::move(frames));
}

frame publish(channel_state& st, const protocol::publication_body& body) {
  protocol::publication_header header{st.id, ++st.seq, st.epoch, protocol::now()};
  auto text = make_frame(protocol::encode_publication(header, body));
  st.recent.push({header.seq, header.time, text});
  st.subscribers.deliver(text);
  return text;
}

} // namespace

channel_actor::behavior_type channel(self_pointer self, channel_config config) {
  auto& st = self->state;
  st.id = config.id;
  st.epoch = std::move(config.epoch);
  st.recent = publication_ring{config.history_size};
  st.sends_latest =
      config.id == protocol::channel::market_data || config.id == protocol::channel::system;
  self->set_down_handler(
      [self](caf::down_msg& msg) { self->state.subscribers.remove(msg.source); });
  return {
      [self](subscription& sub) {
        if (self->state.subscribers.add(sub.session.address(), sub.sink))
          self->monitor(sub.session);
        start_delivery(self->state, sub);
      },
      [self](unsubscription& unsub) {
        if (self->state.subscribers.remove(unsub.session.address()))
          self->demonitor(unsub.session.address());
        auto ack = make_frame(protocol::encode(protocol::unsubscribed{unsub.id, self->state.id}));
        unsub.sink->group().deliver_to(unsub.sink, {std::move(ack)});
      },
      [self](protocol::publication_body& body) { publish(self->state, body); },
      [self](calculation_publication& p) {
        auto& st = self->state;
        publish(st, protocol::publication_body{p.update});
        if (p.requester_sink && !st.subscribers.contains(p.requester))
          p.requester_sink->send(make_frame(protocol::encode_direct(p.update)));
      },
      [self](caf::publish_atom, protocol::publication_body& body) {
        return publish(self->state, body);
      },
      [self](caf::get_atom) { return static_cast<std::uint64_t>(self->state.subscribers.size()); },
  };
}

} // namespace rtd
