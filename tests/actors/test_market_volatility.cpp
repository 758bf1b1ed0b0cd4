// Monte Carlo with "volatility": "market": the analytics' rolling volatility of the discount
// rate, mapped by finance::market_volatility, told to the calculation service by the analytics
// actor; a live one re-runs when the mapped value changes.
#include "actors/analytics.hpp"
#include "finance/indicator_stats.hpp"
#include "finance/market_volatility.hpp"
#include "finance/monte_carlo.hpp"
#include "tests/actors/forecast_fixture.hpp"

using namespace rtd;
using namespace rtd::test;
using protocol::market_indicator;

namespace {

protocol::calculate_request market_risk_request(std::string id, bool live) {
  auto r = monte_carlo_request(std::move(id), 1000);
  r.parameters.volatility = protocol::rate_input{true, 0};
  r.live = live;
  return r;
}

/// The analytics after a step, as far as the service reads them: the discount rate's level
/// and volatility.
protocol::analytics_update analytics_with(std::uint64_t market_seq, double rate, double volatility,
                                          double tech_index = 100) {
  protocol::analytics_update u;
  u.market_seq = market_seq;
  auto& r = u.indicators[static_cast<std::size_t>(market_indicator::discount_rate)];
  r.value = rate;
  r.volatility = volatility;
  u.indicators[static_cast<std::size_t>(market_indicator::tech_index)].value = tech_index;
  return u;
}

/// Monte Carlo's result for the fixture's request at `volatility` and `rate`.
finance::monte_carlo_result expected_at(double rate, double volatility) {
  auto r = monte_carlo_request("x", 1000);
  auto result = finance::monte_carlo(
      {r.parameters.cash_flows, *r.parameters.initial_investment, rate, volatility, 1000, 7});
  REQUIRE(result.has_value());
  return *result;
}

void check_result(const rapidjson::Document& update, const finance::monte_carlo_result& e) {
  const auto& result = result_of(update);
  CHECK(result["mean_npv"].GetDouble() == doctest::Approx(e.mean_npv).epsilon(1e-12));
  CHECK(result["std_npv"].GetDouble() == doctest::Approx(e.std_npv).epsilon(1e-12));
}

struct analytics_fixture : forecast_fixture {
  market_listener_actor trends;

  analytics_fixture() {
    trends = sys.spawn(analytics, analytics_config{},
                       channel_of(channels, protocol::channel::analytics), service);
    caf::anon_send(channel_of(channels, protocol::channel::market_data), caf::join_atom::value,
                   trends);
    run();
  }

  ~analytics_fixture() { kill(trends); }
};

} // namespace

TEST_CASE_FIXTURE(forecast_fixture, "market volatility is refused before any analytics") {
  auto c = connect();
  send(c, market_risk_request("mc", false));
  run();
  auto frames = c.sink->take();
  REQUIRE(frames.size() == 1);
  CHECK(str(frames[0], "type") == "error");
  CHECK(str(frames[0], "code") == "internal");
  CHECK(str(frames[0], "message") == "no market volatility is known yet");
}

TEST_CASE_FIXTURE(forecast_fixture, "market volatility is the rate's relative volatility") {
  caf::anon_send(service, analytics_with(7, 0.08, 0.002));
  run();
  auto c = connect();
  send(c, market_risk_request("mc", false));
  run();
  auto frames = c.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"started", "completed"});
  check_result(frames[1], expected_at(0.1, 0.025)); // 0.002 / 0.08
  // Cached by the volatility it stood for: the same analytics, a hit; others, a miss.
  send(c, market_risk_request("again", false));
  run();
  CHECK(c.sink->take()[1]["cached"].GetBool());
  caf::anon_send(service, analytics_with(8, 0.08, 0.004));
  send(c, market_risk_request("moved", false));
  run();
  frames = c.sink->take();
  CHECK_FALSE(frames[1]["cached"].GetBool());
  check_result(frames[1], expected_at(0.1, 0.05));
}

TEST_CASE_FIXTURE(forecast_fixture, "a live Monte Carlo re-runs when the market's risk moves") {
  caf::anon_send(service, analytics_with(3, 0.08, 0.002));
  run();
  auto c = connect();
  send(c, market_risk_request("live", true));
  run();
  auto frames = c.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"started", "completed"});
  CHECK(u64(frames[1], "market_seq") == 3);
  check_result(frames[1], expected_at(0.1, 0.025));
  caf::anon_send(service, analytics_with(4, 0.08, 0.002, 120)); // the same risk: no re-run
  caf::anon_send(service, analytics_with(5, 0.16, 0.004));      // nor the same ratio
  run();
  CHECK(c.sink->pending() == 0);
  caf::anon_send(service, analytics_with(6, 0.16, 0.008));
  run();
  frames = c.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"completed"});
  CHECK(frames[0]["live"].GetBool());
  CHECK(u64(frames[0], "market_seq") == 6);
  check_result(frames[0], expected_at(0.1, 0.05));
  advance_market(2); // market steps alone do not move this job's inputs
  CHECK(c.sink->pending() == 0);
  send(c, protocol::cancel_request{"live"});
  run();
  CHECK(statuses(c.sink->take()) == std::vector<std::string>{"cancelled"});
}

TEST_CASE_FIXTURE(analytics_fixture, "the analytics actor tells the service each step's risk") {
  advance_market(5);
  auto c = connect();
  auto r = market_risk_request("live", true);
  r.parameters.discount_rate = protocol::rate_input{true, 0}; // from the same analytics
  send(c, r);
  run();
  auto stats = *finance::indicator_stats::create();
  finance::indicator_analytics latest;
  for (int t = 1; t <= 5; ++t)
    latest = *stats.update(market_at(t)[market_indicator::discount_rate]);
  auto frames = c.sink->take();
  REQUIRE(statuses(frames) == std::vector<std::string>{"started", "completed"});
  CHECK(u64(frames[1], "market_seq") == 5);
  check_result(frames[1], expected_at(latest.value,
                                      finance::market_volatility(latest.value, latest.volatility)));
  for (int t = 6; t <= 8; ++t) {
    advance_market(1);
    latest = *stats.update(market_at(t)[market_indicator::discount_rate]);
    frames = c.sink->take();
    REQUIRE(statuses(frames) == std::vector<std::string>{"completed"});
    CHECK(u64(frames[0], "market_seq") == static_cast<std::uint64_t>(t));
    check_result(frames[0], expected_at(latest.value, finance::market_volatility(
                                                          latest.value, latest.volatility)));
  }
  send(c, protocol::cancel_request{"live"});
  run();
}
