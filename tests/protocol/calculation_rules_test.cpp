#include "protocol/calculation_rules.hpp"

#include <doctest/doctest.h>

using namespace rtd::protocol;

namespace {

calculate_request request(calculation_type type) {
  calculate_request r;
  r.type = type;
  r.parameters.cash_flows = {100, 200};
  r.parameters.discount_rate = rate_input{false, 0.1};
  r.parameters.initial_investment = 250;
  r.parameters.volatility = rate_input{false, 0.1};
  return r;
}

calculate_request forecast_request() {
  calculate_request r;
  r.type = calculation_type::forecast;
  r.parameters.indicator = market_indicator::tech_index;
  r.parameters.horizon = 10;
  return r;
}

calculate_request forecast_npv_request() {
  calculate_request r;
  r.type = calculation_type::forecast_npv;
  r.parameters.cash_flows = {100, 200};
  r.parameters.initial_investment = 250;
  return r;
}

market_inputs market(double rate, double volatility = 0, std::vector<double> history = {}) {
  return {rate, volatility, std::move(history)};
}

std::string problem(const calculate_request& r) {
  auto e = validate(r);
  return e ? e->message : std::string{};
}

} // namespace

TEST_CASE("valid requests of every type pass") {
  for (auto t :
       {calculation_type::npv, calculation_type::irr, calculation_type::roi,
        calculation_type::payback, calculation_type::monte_carlo, calculation_type::sensitivity})
    CHECK(problem(request(t)).empty());
  CHECK(problem(forecast_request()).empty());
  CHECK(problem(forecast_npv_request()).empty());
}

TEST_CASE("each rule names its field") {
  auto r = request(calculation_type::npv);
  r.parameters.cash_flows.clear();
  CHECK(problem(r).find("parameters.cash_flows must have 1 to 10000") == 0);
  r.parameters.cash_flows.assign(10001, 1.0);
  CHECK(problem(r).find("parameters.cash_flows") == 0);

  r = request(calculation_type::npv);
  r.parameters.discount_rate = rate_input{false, -1.0};
  CHECK(problem(r) == "parameters.discount_rate must be > -1");
  r.parameters.discount_rate = rate_input{true, 0};
  CHECK(problem(r).empty());
  r.parameters.discount_rate.reset();
  CHECK(problem(r) == "parameters.discount_rate is required for npv");

  r = request(calculation_type::roi);
  r.parameters.initial_investment = 0;
  CHECK(problem(r) == "parameters.initial_investment must be > 0 for roi");

  r = request(calculation_type::monte_carlo);
  r.parameters.volatility = rate_input{false, -0.1};
  CHECK(problem(r) == "parameters.volatility must be >= 0 or \"market\"");
  r.parameters.volatility = rate_input{true, 0};
  CHECK(problem(r).empty());
  r.parameters.volatility.reset();
  CHECK(problem(r) == "parameters.volatility is required for monte_carlo");
  r.parameters.volatility = rate_input{false, 0.1};
  r.parameters.iterations = 0;
  CHECK(problem(r).find("parameters.iterations") == 0);
  r.parameters.iterations = 10'000'001;
  CHECK(problem(r).find("parameters.iterations") == 0);
  r.parameters.iterations = 10'000'000;
  CHECK(problem(r).empty());

  r = request(calculation_type::sensitivity);
  r.parameters.variation = 1.0;
  CHECK(problem(r).find("parameters.variation") == 0);

  r = request(calculation_type::payback);
  r.parameters.initial_investment.reset();
  CHECK(problem(r) == "parameters.initial_investment is required for payback");
}

TEST_CASE("irr without a sign change is refused before any job") {
  auto r = request(calculation_type::irr);
  r.parameters.initial_investment = -5; // -(-5) = +5 and positive flows
  CHECK(problem(r).find("parameters.cash_flows: no IRR exists") == 0);
  r.parameters.initial_investment = 250;
  CHECK(problem(r).empty());
}

TEST_CASE("the cache key uses the rate actually used and ignores what does not matter") {
  auto a = request(calculation_type::npv);
  auto b = a;
  b.calculation_id = "other";
  CHECK(cache_key(a, market(0.5)) == cache_key(b, market(0.7)));
  auto on_market = a;
  on_market.parameters.discount_rate = rate_input{true, 0};
  CHECK(cache_key(on_market, market(0.1)) == cache_key(a, market(0.9)));
  CHECK(cache_key(on_market, market(0.2)) != cache_key(a, market(0.9)));
  auto mc = request(calculation_type::monte_carlo);
  auto other_seed = mc;
  mc.parameters.seed = 1;
  other_seed.parameters.seed = 2;
  CHECK(cache_key(mc, market(0)) != cache_key(other_seed, market(0)));
  CHECK(cache_key(a, market(0)) != cache_key(request(calculation_type::sensitivity), market(0)));
  // A market volatility is keyed by the volatility it stands for.
  auto mc_market = mc;
  mc_market.parameters.volatility = rate_input{true, 0};
  CHECK(cache_key(mc_market, market(0, 0.1)) == cache_key(mc, market(0.3, 0.7)));
  CHECK(cache_key(mc_market, market(0, 0.2)) != cache_key(mc, market(0, 0.2)));
}

TEST_CASE("a forecast's cache key holds its parameters and the recorded points it used") {
  auto f = forecast_request();
  auto points = std::vector<double>{1, 2, 3, 4};
  CHECK(cache_key(f, market(0.1, 0, points)) == cache_key(f, market(0.2, 0.5, points)));
  CHECK(cache_key(f, market(0, 0, points)) != cache_key(f, market(0, 0, {1, 2, 3, 5})));
  CHECK(cache_key(f, market(0, 0, points)) != cache_key(f, market(0, 0, {2, 3, 4})));
  auto changed = [&](auto change) {
    auto g = f;
    change(g.parameters);
    return cache_key(g, market(0, 0, points)) != cache_key(f, market(0, 0, points));
  };
  CHECK(changed([](auto& p) { p.horizon = 11; }));
  CHECK(changed([](auto& p) { p.indicator = market_indicator::market_growth; }));
  CHECK(changed([](auto& p) { p.method = forecast_method::ar1; }));
  CHECK(changed([](auto& p) {
    p.alpha = 0.5;
    p.beta = 0.1;
  }));
  CHECK_FALSE(changed([](auto& p) { p.window = 4; })); // the points used count, not the ask
  CHECK_FALSE(changed([](auto& p) { p.discount_rate = rate_input{true, 0}; }));
  auto n = forecast_npv_request();
  auto key = [&](const calculate_request& r) { return cache_key(r, market(0.1, 0, points)); };
  auto more_paths = n, other_seed = n, default_seed = n;
  more_paths.parameters.paths = 4000;
  other_seed.parameters.seed = 1;
  default_seed.parameters.seed = default_forecast_seed;
  CHECK(key(more_paths) != key(n));
  CHECK(key(other_seed) != key(n));
  CHECK(key(default_seed) == key(n));
  CHECK(key(n) != key(f));
}

TEST_CASE("forecast rules name their field") {
  auto r = forecast_request();
  r.parameters.indicator.reset();
  CHECK(problem(r) == "parameters.indicator is required for forecast");
  r = forecast_request();
  r.parameters.horizon.reset();
  CHECK(problem(r) == "parameters.horizon is required for forecast");
  for (std::uint64_t h : {0, 1001}) {
    r.parameters.horizon = h;
    CHECK(problem(r) == "parameters.horizon must be between 1 and 1000");
  }
  for (std::uint64_t h : {1, 1000}) {
    r.parameters.horizon = h;
    CHECK(problem(r).empty());
  }
  r = forecast_request();
  r.parameters.window = 9;
  CHECK(problem(r) == "parameters.window must be between 10 and 100000 for holt");
  r.parameters.window = 100'001;
  CHECK(problem(r) == "parameters.window must be between 10 and 100000 for holt");
  r.parameters.window = 10;
  CHECK(problem(r).empty());
  r.parameters.method = forecast_method::ar1;
  r.parameters.window = 4;
  CHECK(problem(r).empty());
  r.parameters.window = 3;
  CHECK(problem(r) == "parameters.window must be between 4 and 100000 for ar1");
  r.parameters.window = 100'000;
  CHECK(problem(r).empty());
}

TEST_CASE("holt's alpha and beta: both or neither, in range, for holt only") {
  auto r = forecast_request();
  auto with = [&](std::optional<double> alpha, std::optional<double> beta) {
    auto q = r;
    q.parameters.alpha = alpha;
    q.parameters.beta = beta;
    return problem(q);
  };
  CHECK(with(0.5, 0.2).empty());
  CHECK(with(1, 1).empty());
  CHECK(with(0.5, 0).empty());
  CHECK(with(0.5, std::nullopt) == "parameters.beta must be given with alpha");
  CHECK(with(std::nullopt, 0.2) == "parameters.alpha must be given with beta");
  CHECK(with(0, 0) == "parameters.alpha must be in (0, 1]");
  CHECK(with(1.01, 0.5) == "parameters.alpha must be in (0, 1]");
  CHECK(with(0.5, 0.6) == "parameters.beta must be in [0, alpha]");
  CHECK(with(0.5, -0.1) == "parameters.beta must be in [0, alpha]");
  r.parameters.method = forecast_method::ar1;
  CHECK(with(0.5, 0.2) == "parameters.alpha applies to method holt only");
  CHECK(with(std::nullopt, 0.2) == "parameters.beta applies to method holt only");
}

TEST_CASE("forecast_npv: npv's parameters, at most 1000 flows, the market's rate, paths") {
  auto r = forecast_npv_request();
  r.parameters.cash_flows.assign(1000, 1.0);
  CHECK(problem(r).empty());
  r.parameters.cash_flows.assign(1001, 1.0);
  CHECK(problem(r) == "parameters.cash_flows must have 1 to 1000 entries, got 1001");
  r = forecast_npv_request();
  r.parameters.initial_investment.reset();
  CHECK(problem(r) == "parameters.initial_investment is required for forecast_npv");
  r = forecast_npv_request();
  r.parameters.discount_rate = rate_input{true, 0};
  CHECK(problem(r).empty());
  r.parameters.discount_rate = rate_input{false, 0.1};
  CHECK(problem(r).find("parameters.discount_rate must be \"market\" or absent") == 0);
  r = forecast_npv_request();
  for (std::uint64_t paths : {0, 100'001}) {
    r.parameters.paths = paths;
    CHECK(problem(r) == "parameters.paths must be between 1 and 100000");
  }
  for (std::uint64_t paths : {1, 100'000}) {
    r.parameters.paths = paths;
    CHECK(problem(r).empty());
  }
  r.parameters.window = 9;
  CHECK(problem(r).find("parameters.window") == 0);
  r.parameters.window.reset();
  r.parameters.alpha = 0.3;
  CHECK(problem(r) == "parameters.beta must be given with alpha");
}

TEST_CASE("what a request takes from the market") {
  auto r = request(calculation_type::npv);
  CHECK(depends_on_market(r) == market_dependence::none);
  r.parameters.discount_rate = rate_input{true, 0};
  CHECK(depends_on_market(r) == market_dependence::market_step);
  auto mc = request(calculation_type::monte_carlo);
  CHECK(depends_on_market(mc) == market_dependence::none);
  mc.parameters.volatility = rate_input{true, 0};
  CHECK(depends_on_market(mc) == market_dependence::analytics);
  mc.parameters.discount_rate = rate_input{true, 0};
  CHECK(depends_on_market(mc) == market_dependence::analytics);
  auto npv = request(calculation_type::npv);
  npv.parameters.volatility = rate_input{true, 0}; // npv has no volatility: ignored
  CHECK(depends_on_market(npv) == market_dependence::none);
  CHECK(depends_on_market(forecast_request()) == market_dependence::market_step);
  CHECK(depends_on_market(forecast_npv_request()) == market_dependence::market_step);
  CHECK(series_of(forecast_request()) ==
        std::optional<market_indicator>{market_indicator::tech_index});
  CHECK(series_of(forecast_npv_request()) ==
        std::optional<market_indicator>{market_indicator::discount_rate});
  CHECK_FALSE(series_of(r).has_value());
}

TEST_CASE("a live calculation needs an input the market supplies") {
  auto r = request(calculation_type::npv);
  r.live = true;
  CHECK(problem(r).find("live needs an input the market supplies") == 0);
  r.parameters.discount_rate = rate_input{true, 0};
  CHECK(problem(r).empty());
  auto mc = request(calculation_type::monte_carlo);
  mc.live = true;
  mc.parameters.volatility = rate_input{true, 0};
  CHECK(problem(mc).empty());
  auto forecast = forecast_request();
  forecast.live = true;
  CHECK(problem(forecast).empty());
}
