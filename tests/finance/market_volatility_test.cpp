// The mapping of the analytics' rate volatility to Monte Carlo's relative volatility.
#include "finance/market_volatility.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace rtd::finance;

TEST_CASE("market volatility is the rate's one-step std relative to its level") {
  CHECK(market_volatility(0.08, 0.002) == doctest::Approx(0.025));
  CHECK(market_volatility(-0.02, 0.001) == doctest::Approx(0.05)); // the level's magnitude
  CHECK(market_volatility(0.08, 0) == 0);                          // a rate that does not move
  CHECK(market_volatility(0.08, NAN) == 0);
}

TEST_CASE("market volatility is bounded where a relative figure means nothing") {
  CHECK(market_volatility(0, 0.001) == max_market_volatility);
  CHECK(market_volatility(0.01, 0.01) == max_market_volatility);
  CHECK(market_volatility(0.01, 0.02) == max_market_volatility);
  CHECK(market_volatility(1e-300, 1e-10) == max_market_volatility);
  CHECK(market_volatility(0.01, 0.0099) == doctest::Approx(0.99));
  CHECK(market_volatility(INFINITY, 0.01) == 0);
}
