#include "actors/market_simulator.hpp"

#include "log/log.hpp"

#include <caf/all.hpp>

namespace rtd {

namespace {

using self_pointer = market_simulator_actor::stateful_pointer<market_simulator_state>;

// Steps keep a fixed schedule, so the rate holds whatever a step costs or however late the
// timer fires; after a stall longer than an interval the schedule starts afresh (no burst).
void publish(self_pointer self) {
  auto& st = self->state;
  self->send(st.market_data, protocol::publication_body{st.model->current()});
  const auto now = self->clock().now();
  st.due = st.due + st.interval < now ? now + st.interval : st.due + st.interval;
  self->scheduled_send(self, st.due, caf::tick_atom::value, st.run);
}

/// Starts a run from the last values published (a step from them), or from the means.
void start(self_pointer self) {
  auto& st = self->state;
  ++st.run;
  st.model.emplace(st.seed, st.last);
  if (st.last)
    st.model->step(); // the last values were published already
  st.due = self->clock().now();
  publish(self);
}

void stop(self_pointer self) {
  auto& st = self->state;
  ++st.run; // the pending timer no longer matches
  st.model.reset();
}

} // namespace

market_simulator_actor::behavior_type
market_simulator(self_pointer self, market_simulator_config config, channel_actor market_data) {
  auto& st = self->state;
  st.market_data = std::move(market_data);
  st.interval = config.interval;
  st.seed = config.seed;
  st.last = std::move(config.start);
  if (!config.idle)
    start(self);
  return {
      [self](caf::tick_atom, std::uint64_t run) {
        auto& st = self->state;
        if (run != st.run || !st.model)
          return;
        st.model->step();
        publish(self);
      },
      [self](caf::get_atom) {
        auto& st = self->state;
        return st.model ? st.model->current() : st.last.value_or(protocol::market_snapshot{});
      },
      [self](market_step& step) { self->state.last = std::move(step.values); },
      [self](cluster_view& view) {
        const bool lead = view.joined && view.leader == view.local;
        if (lead == self->state.model.has_value())
          return;
        log::info("market_simulator",
                  lead ? "this node runs the market now"
                       : "this node's market idles: " + view.leader + " runs it");
        if (lead)
          start(self);
        else
          stop(self);
      },
  };
}

} // namespace rtd
