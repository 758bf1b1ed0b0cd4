#include "actors/market_simulator.hpp"

#include <caf/all.hpp>

namespace rtd {

namespace {

using self_pointer = market_simulator_actor::stateful_pointer<market_simulator_state>;

void publish(self_pointer self) {
  auto& st = self->state;
  self->send(st.market_data, protocol::publication_body{st.model->current()});
}

} // namespace

market_simulator_actor::behavior_type
market_simulator(self_pointer self, market_simulator_config config, channel_actor market_data) {
  auto& st = self->state;
  st.model.emplace(config.seed, config.start);
  st.market_data = std::move(market_data);
  st.interval = config.interval;
  if (config.start)
    st.model->step(); // the last values were published already
  publish(self);
  self->delayed_send(self, st.interval, caf::tick_atom::value);
  return {
      [self](caf::tick_atom) {
        self->state.model->step();
        publish(self);
        self->delayed_send(self, self->state.interval, caf::tick_atom::value);
      },
      [self](caf::get_atom) { return self->state.model->current(); },
  };
}

} // namespace rtd
