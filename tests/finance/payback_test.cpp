// payback: every expected value is worked out by hand in the comment next to it.
#include "finance/payback.hpp"

#include "expect_ok.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace rtd::finance;
using rtd::finance::test::expect_error;
using rtd::finance::test::expect_ok;

TEST_CASE("payback interpolates within the crossing period") {
  // Cumulative 100000, 220000, 360000: crossed in period 3, 80000 of 140000 into it.
  auto r = expect_ok(payback({100000, 120000, 140000}, 300000));
  REQUIRE(r.payback_period);
  CHECK(*r.payback_period == doctest::Approx(2 + 80000.0 / 140000).epsilon(1e-15));
  CHECK_FALSE(r.discounted_payback_period); // no rate given
}

TEST_CASE("payback reached exactly at a period end is a whole number") {
  CHECK(*expect_ok(payback({50, 50}, 100)).payback_period == 2.0);
  CHECK(*expect_ok(payback({50, 50, 50}, 100)).payback_period == 2.0);
}

TEST_CASE("payback is the first time the investment is reached") {
  // 120 in period 1 covers 100 after 100/120 of it; the later -50 does not undo that.
  CHECK(*expect_ok(payback({120, -50, 10}, 100)).payback_period ==
        doctest::Approx(100.0 / 120).epsilon(1e-15));
  // Cumulative 80, 30, 130: crossed in period 3, 70 of 100 into it.
  CHECK(*expect_ok(payback({80, -50, 100}, 100)).payback_period ==
        doctest::Approx(2.7).epsilon(1e-15));
}

TEST_CASE("payback never reached is nullopt") {
  auto r = expect_ok(payback({10, 20}, 100, 0.1));
  CHECK_FALSE(r.payback_period);
  CHECK_FALSE(r.discounted_payback_period);
}

TEST_CASE("nothing to recover: payback 0") {
  auto r = expect_ok(payback({10}, 0, 0.1));
  CHECK(*r.payback_period == 0);
  CHECK(*r.discounted_payback_period == 0);
}

TEST_CASE("discounted payback works on present values") {
  // PVs at 10%: 600/11 = 54.545..., 6000/121 = 49.586..., ...; after period 1, 500/11 is
  // missing: (500/11) / (6000/121) = 60500/66000 = 11/12 of period 2.
  auto r = expect_ok(payback({60, 60, 60}, 100, 0.1));
  CHECK(*r.payback_period == doctest::Approx(1 + 40.0 / 60).epsilon(1e-15));
  REQUIRE(r.discounted_payback_period);
  CHECK(*r.discounted_payback_period == doctest::Approx(1 + 11.0 / 12).epsilon(1e-14));
  // Undiscounted exactly at period 2, discounted never: 50/1.1 + 50/1.21 < 100.
  auto never = expect_ok(payback({50, 50}, 100, 0.1));
  CHECK(*never.payback_period == 2.0);
  CHECK_FALSE(never.discounted_payback_period);
}

TEST_CASE("payback refuses what it cannot compute") {
  CHECK(expect_error(payback({}, 100)).field == "cash_flows");
  CHECK(expect_error(payback({10}, NAN)).field == "initial_investment");
  CHECK(expect_error(payback({10}, 5, -1.0)).field == "discount_rate");
}
