// A calculation service fed with a deterministic market, step by step through the market_data
// channel, and the requests of the forecast tests.
#pragma once

#include "tests/actors/calc_fixture.hpp"

#include <cmath>
#include <string>
#include <vector>

namespace rtd::test {

/// The market at step t (1, 2, ...): trends with wiggles, different for each indicator, so
/// that every fit has an error variance.
inline protocol::market_snapshot market_at(int t) {
  using protocol::market_indicator;
  auto x = static_cast<double>(t);
  protocol::market_snapshot m;
  m[market_indicator::discount_rate] = 0.08 + 0.0004 * x + 0.002 * std::sin(0.7 * x);
  m[market_indicator::inflation_rate] = 0.02 + 0.001 * std::cos(0.3 * x);
  m[market_indicator::market_growth] = 0.05 + 0.0001 * x + 0.0005 * std::sin(x);
  m[market_indicator::tech_index] = 100 + 0.5 * x + 2 * std::sin(1.3 * x);
  m[market_indicator::ai_adoption_rate] = 0.3 + 0.001 * x + 0.003 * std::cos(2.1 * x);
  return m;
}

/// The values of `indicator` at steps first..last, oldest first.
inline std::vector<double> series_at(protocol::market_indicator indicator, int first, int last) {
  std::vector<double> out;
  for (int t = first; t <= last; ++t)
    out.push_back(market_at(t)[indicator]);
  return out;
}

inline protocol::calculate_request forecast_request(std::string id, std::uint64_t horizon = 5) {
  protocol::calculate_request r;
  r.type = protocol::calculation_type::forecast;
  r.calculation_id = std::move(id);
  r.parameters.indicator = protocol::market_indicator::tech_index;
  r.parameters.horizon = horizon;
  return r;
}

inline protocol::calculate_request forecast_npv_request(std::string id) {
  protocol::calculate_request r;
  r.type = protocol::calculation_type::forecast_npv;
  r.calculation_id = std::move(id);
  r.parameters.cash_flows = {30000, 35000, 40000, 45000, 50000};
  r.parameters.initial_investment = 150000;
  return r;
}

struct forecast_fixture : calc_fixture {
  int steps = 0; ///< market steps published so far

  explicit forecast_fixture(calculation_service_config config = small_chunks())
      : calc_fixture(config) {}

  /// Publishes the next `n` market steps and runs until they are handled.
  void advance_market(int n) {
    for (int i = 0; i < n; ++i)
      caf::anon_send(channel_of(channels, protocol::channel::market_data),
                     protocol::publication_body{market_at(++steps)});
    run();
  }
};

/// The `result` member of a completed update.
inline const rapidjson::Value& result_of(const rapidjson::Document& update) {
  REQUIRE(str(update, "status") == "completed");
  return update["result"];
}

} // namespace rtd::test
