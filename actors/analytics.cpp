#include "actors/analytics.hpp"

#include "log/log.hpp"

#include <caf/all.hpp>

#include <algorithm>

namespace rtd {

namespace {

protocol::trend to_protocol(finance::trend_direction d) {
  switch (d) {
  case finance::trend_direction::up:
    return protocol::trend::up;
  case finance::trend_direction::down:
    return protocol::trend::down;
  case finance::trend_direction::flat:
    break;
  }
  return protocol::trend::flat;
}

using self_pointer = analytics_actor::stateful_pointer<analytics_state>;

/// Publishes `update`; with listeners, asks for the channel's answer first, so that they
/// hear of it after its subscribers.
void publish(self_pointer self, protocol::analytics_update update) {
  auto& st = self->state;
  st.latest = update;
  if (st.listeners.empty())
    return self->send(st.out, protocol::publication_body{std::move(update)});
  auto tell = [self, update] {
    for (const auto& listener : self->state.listeners)
      self->send(listener, update);
  };
  self->request(st.out, std::chrono::seconds(5), caf::publish_atom::value,
                protocol::publication_body{update})
      .then([tell](const frame&) { tell(); },
            [tell](const caf::error& e) {
              log::warn("analytics_publish_failed", caf::to_string(e));
              tell(); // the alerts need not wait for the channel
            });
}

void remove_listener(analytics_state& st, const caf::actor_addr& who) {
  st.listeners.erase(std::remove_if(st.listeners.begin(), st.listeners.end(),
                                    [&](const auto& l) { return l.address() == who; }),
                     st.listeners.end());
}

} // namespace

analytics_actor::behavior_type analytics(self_pointer self, analytics_config config,
                                         channel_actor out,
                                         calculation_service_actor calculations) {
  auto& st = self->state;
  st.out = std::move(out);
  st.calculations = std::move(calculations);
  for (std::size_t i = 0; i < protocol::market_indicator_count; ++i)
    st.indicators.push_back(*finance::indicator_stats::create(config.stats));
  self->set_down_handler(
      [self](const caf::down_msg& msg) { remove_listener(self->state, msg.source); });
  return {
      [self](market_step& step) {
        auto& st = self->state;
        protocol::analytics_update update;
        update.market_seq = step.seq;
        for (std::size_t i = 0; i < st.indicators.size(); ++i) {
          auto result = st.indicators[i].update(step.values.values[i]);
          if (!result)
            return; // a value the statistics refuse (non-finite): this step is not analysed
          auto& t = update.indicators[i];
          t = {result->value,          result->ewma_fast,
               result->ewma_slow,      to_protocol(result->trend),
               result->trend_strength, result->volatility,
               result->zscore};
        }
        if (st.calculations)
          self->send(st.calculations, update);
        publish(self, std::move(update));
      },
      [self](caf::join_atom, analytics_listener_actor& listener) {
        auto& st = self->state;
        self->monitor(listener);
        if (st.latest)
          self->send(listener, *st.latest);
        st.listeners.push_back(std::move(listener));
      },
      [self](caf::leave_atom, const analytics_listener_actor& listener) {
        self->demonitor(listener.address());
        remove_listener(self->state, listener.address());
      },
  };
}

} // namespace rtd
