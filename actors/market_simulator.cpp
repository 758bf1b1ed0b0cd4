#include "actors/market_simulator.hpp"

#include <caf/all.hpp>

namespace rtd {

market_simulator_actor::behavior_type
market_simulator(market_simulator_actor::stateful_pointer<market_simulator_state> self,
                 market_simulator_config config, channel_actor market_data) {
  auto& st = self->state;
  st.model.emplace(config.seed);
  st.market_data = std::move(market_data);
  st.interval = config.interval;
  self->send(st.market_data, protocol::publication_body{st.model->current()});
  self->delayed_send(self, st.interval, caf::tick_atom::value);
  return {
      [self](caf::tick_atom) {
        auto& st = self->state;
        st.model->step();
        self->send(st.market_data, protocol::publication_body{st.model->current()});
        self->delayed_send(self, st.interval, caf::tick_atom::value);
      },
      [self](caf::get_atom) { return self->state.model->current(); },
  };
}

} // namespace rtd
