#include "actors/analytics.hpp"

#include <caf/all.hpp>

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

} // namespace

market_listener_actor::behavior_type
analytics(market_listener_actor::stateful_pointer<analytics_state> self, analytics_config config,
          channel_actor out, calculation_service_actor calculations) {
  auto& st = self->state;
  st.out = std::move(out);
  st.calculations = std::move(calculations);
  for (std::size_t i = 0; i < protocol::market_indicator_count; ++i)
    st.indicators.push_back(*finance::indicator_stats::create(config.stats));
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
        self->send(st.out, protocol::publication_body{std::move(update)});
      },
  };
}

} // namespace rtd
