// sensitivity: reference npvs are exact rationals from Python's fractions.Fraction on the seed
// example (cash_flows 100000, 120000, 140000; rate 0.10; investment 300000; variation 0.2).
#include "finance/sensitivity.hpp"

#include "expect_ok.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace rtd::finance;
using rtd::finance::test::expect_error;
using rtd::finance::test::expect_ok;

TEST_CASE("sensitivity of the seed example, in tornado order") {
  auto r = expect_ok(sensitivity({100000, 120000, 140000}, 0.10, 300000, 0.2));
  CHECK(r.base_npv == doctest::Approx(-4733.28324567994).epsilon(1e-12));
  REQUIRE(r.inputs.size() == 3);

  // Swings: investment 2 * 0.2 * 300000 = 120000 > cash flows 0.4 * 295266.72 = 118106.69 >
  // rate npv(0.08) - npv(0.12) = 22011.55.
  const auto& investment = r.inputs[0];
  CHECK(investment.input == "initial_investment");
  CHECK(investment.low_value == doctest::Approx(240000));
  CHECK(investment.high_value == doctest::Approx(360000));
  CHECK(investment.npv_low == doctest::Approx(55266.71675432006).epsilon(1e-12));
  CHECK(investment.npv_high == doctest::Approx(-64733.28324567994).epsilon(1e-12));
  CHECK(investment.swing == doctest::Approx(120000).epsilon(1e-12));

  const auto& flows = r.inputs[1];
  CHECK(flows.input == "cash_flows");
  CHECK(flows.low_value == doctest::Approx(0.8));
  CHECK(flows.high_value == doctest::Approx(1.2));
  CHECK(flows.npv_low == doctest::Approx(-63786.62659654395).epsilon(1e-12));
  CHECK(flows.npv_high == doctest::Approx(54320.06010518407).epsilon(1e-12));
  CHECK(flows.swing == doctest::Approx(118106.68670172803).epsilon(1e-12));

  const auto& rate = r.inputs[2];
  CHECK(rate.input == "discount_rate");
  CHECK(rate.low_value == doctest::Approx(0.08));
  CHECK(rate.high_value == doctest::Approx(0.12));
  CHECK(rate.npv_low == doctest::Approx(6609.764771630341).epsilon(1e-12));
  CHECK(rate.npv_high == doctest::Approx(-15401.785714285714).epsilon(1e-12));
  CHECK(rate.swing == doctest::Approx(22011.550485916054).epsilon(1e-12));
}

TEST_CASE("equal swings keep the documented input order") {
  // variation 0: every swing is 0, the stable sort keeps the original order.
  auto r = expect_ok(sensitivity({100, 200}, 0.05, 250, 0.0));
  REQUIRE(r.inputs.size() == 3);
  CHECK(r.inputs[0].input == "discount_rate");
  CHECK(r.inputs[1].input == "cash_flows");
  CHECK(r.inputs[2].input == "initial_investment");
  for (const auto& in : r.inputs) {
    CHECK(in.swing == 0);
    CHECK(in.npv_low == r.base_npv);
  }
}

TEST_CASE("sensitivity refuses bad variations and bad npv parameters") {
  CHECK(expect_error(sensitivity({100}, 0.1, 50, -0.1)).field == "variation");
  CHECK(expect_error(sensitivity({100}, 0.1, 50, NAN)).field == "variation");
  // -0.9 * 1.2 = -1.08 is not a usable rate.
  CHECK(expect_error(sensitivity({100}, -0.9, 50, 0.2)).field == "variation");
  CHECK(expect_error(sensitivity({}, 0.1, 50)).field == "cash_flows");
  CHECK(expect_error(sensitivity({100}, -1, 50)).field == "discount_rate");
}
