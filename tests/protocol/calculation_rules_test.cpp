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
  r.parameters.volatility = 0.1;
  return r;
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
  r.parameters.volatility = -0.1;
  CHECK(problem(r) == "parameters.volatility must be >= 0");
  r.parameters.volatility = 0.1;
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
  CHECK(cache_key(a, 0.5) == cache_key(b, 0.7));
  auto market = a;
  market.parameters.discount_rate = rate_input{true, 0};
  CHECK(cache_key(market, 0.1) == cache_key(a, 0.9));
  CHECK(cache_key(market, 0.2) != cache_key(a, 0.9));
  auto mc = request(calculation_type::monte_carlo);
  auto other_seed = mc;
  mc.parameters.seed = 1;
  other_seed.parameters.seed = 2;
  CHECK(cache_key(mc, 0) != cache_key(other_seed, 0));
  CHECK(cache_key(a, 0) != cache_key(request(calculation_type::sensitivity), 0));
}

TEST_CASE("only a market rate makes a request depend on the market") {
  auto r = request(calculation_type::npv);
  CHECK_FALSE(depends_on_market(r));
  r.parameters.discount_rate = rate_input{true, 0};
  CHECK(depends_on_market(r));
}
