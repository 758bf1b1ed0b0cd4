#include "actors/market_simulator.hpp"

#include <caf/all.hpp>

#include <algorithm>

namespace rtd {

namespace {

using self_pointer = market_simulator_actor::stateful_pointer<market_simulator_state>;

void publish(self_pointer self) {
  auto& st = self->state;
  const auto& now = st.model->current();
  self->send(st.market_data, protocol::publication_body{now});
  for (const auto& listener : st.listeners)
    self->send(listener, now);
}

} // namespace

market_simulator_actor::behavior_type
market_simulator(self_pointer self, market_simulator_config config, channel_actor market_data) {
  auto& st = self->state;
  st.model.emplace(config.seed);
  st.market_data = std::move(market_data);
  st.interval = config.interval;
  publish(self);
  self->delayed_send(self, st.interval, caf::tick_atom::value);
  self->set_down_handler([self](caf::down_msg& msg) {
    auto& listeners = self->state.listeners;
    listeners.erase(std::remove_if(listeners.begin(), listeners.end(),
                                   [&](const auto& l) { return l.address() == msg.source; }),
                    listeners.end());
  });
  return {
      [self](caf::join_atom, market_listener_actor& listener) {
        self->monitor(listener);
        self->send(listener, self->state.model->current());
        self->state.listeners.push_back(std::move(listener));
      },
      [self](caf::tick_atom) {
        self->state.model->step();
        publish(self);
        self->delayed_send(self, self->state.interval, caf::tick_atom::value);
      },
      [self](caf::get_atom) { return self->state.model->current(); },
  };
}

} // namespace rtd
