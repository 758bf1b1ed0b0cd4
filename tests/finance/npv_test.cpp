// npv: reference values are exact rationals computed with Python's fractions.Fraction
// (sum(Fraction(c) / (1 + Fraction(r))**t) - I), printed as the nearest double.
#include "finance/npv.hpp"

#include "expect_ok.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

using namespace rtd::finance;
using rtd::finance::test::expect_error;
using rtd::finance::test::expect_ok;

TEST_CASE("npv of the seed example from protocol.md") {
  // Fractions: 100000/1.1 + 120000/1.1^2 + 140000/1.1^3 - 300000 = -4733.28324567994.
  // (The value -2103.68 quoted in the brief is the npv at r = 0.09525, not at 0.10.)
  auto r = expect_ok(npv({100000, 120000, 140000}, 0.10, 300000));
  CHECK(r.npv == doctest::Approx(-4733.28324567994).epsilon(1e-12));
  REQUIRE(r.present_values.size() == 3);
  CHECK(r.present_values[0] == doctest::Approx(90909.09090909091).epsilon(1e-14));
  CHECK(r.present_values[1] == doctest::Approx(99173.55371900827).epsilon(1e-14));
  CHECK(r.present_values[2] == doctest::Approx(105184.07212622088).epsilon(1e-14));
  CHECK(r.discount_rate == 0.10);
}

TEST_CASE("npv of a single cash flow discounted to exactly the investment is zero") {
  // 110 / 1.1 - 100 = 0 (by hand).
  auto r = expect_ok(npv({110}, 0.10, 100));
  CHECK(std::abs(r.npv) < 1e-12);
}

TEST_CASE("npv at a zero rate is the plain sum minus the investment") {
  // 10 + 20 + 30 - 50 = 10 (by hand); every discount factor is exactly 1.
  auto r = expect_ok(npv({10, 20, 30}, 0.0, 50));
  CHECK(r.npv == 10.0);
  CHECK(r.present_values == std::vector<double>{10, 20, 30});
}

TEST_CASE("npv with negative cash flows and a negative rate") {
  // By hand: -50/1.25 + 200/1.25^2 - 100 = -40 + 128 - 100 = -12.
  CHECK(expect_ok(npv({-50, 200}, 0.25, 100)).npv == doctest::Approx(-12).epsilon(1e-14));
  // By hand: 60/0.8 + 32/0.64 - 100 = 75 + 50 - 100 = 25 (rates in (-1, 0) are allowed).
  CHECK(expect_ok(npv({60, 32}, -0.2, 100)).npv == doctest::Approx(25).epsilon(1e-14));
}

TEST_CASE("npv_value agrees with npv to the bit") {
  std::vector<double> flows{1234.5, -77.25, 9000, 3.125, 42};
  for (double rate : {-0.5, 0.0, 0.037, 0.1, 2.0})
    CHECK(npv_value(flows, rate, 5000) == expect_ok(npv(flows, rate, 5000)).npv);
}

TEST_CASE("npv refuses what it cannot compute, naming the field") {
  CHECK(expect_error(npv({}, 0.1, 100)).field == "cash_flows");
  CHECK(expect_error(npv({1, NAN}, 0.1, 100)).field == "cash_flows");
  CHECK(expect_error(npv({1, 2}, -1.0, 100)).field == "discount_rate");
  CHECK(expect_error(npv({1, 2}, -1.5, 100)).field == "discount_rate");
  CHECK(expect_error(npv({1, 2}, INFINITY, 100)).field == "discount_rate");
  CHECK(expect_error(npv({1, 2}, 0.1, NAN)).field == "initial_investment");
  CHECK(expect_error(npv({1, 2}, -1.0, 100)).message == "discount_rate must be > -1");
}

TEST_CASE("npv refuses a result that overflows instead of returning inf") {
  // 1 / (1 - 0.999)^200 = 1e600 overflows a double.
  std::vector<double> flows(200, 1.0);
  CHECK(expect_error(npv(flows, -0.999, 0)).field == "discount_rate");
  auto max = std::numeric_limits<double>::max();
  CHECK(expect_error(npv({max, max}, 0.0, 0)).field == "cash_flows");
}
