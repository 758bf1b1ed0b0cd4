// irr: reference roots are either exact by construction (a quadratic in y = 1 + r with chosen
// roots) or computed with Python's decimal module (50 digits) by bisection.
#include "finance/irr.hpp"

#include "expect_ok.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

using namespace rtd::finance;
using rtd::finance::test::expect_error;
using rtd::finance::test::expect_ok;

namespace {
double irr_of(std::vector<double> cash_flows, double investment) {
  return expect_ok(irr(cash_flows, investment)).irr;
}
} // namespace

TEST_CASE("irr of simple known cases") {
  // -100 + 110/(1+r) = 0  =>  r = 0.1 (by hand).
  CHECK(irr_of({110}, 100) == doctest::Approx(0.1).epsilon(1e-14));
  // -100 + 90/(1+r) = 0  =>  r = -0.1: a negative IRR is found too.
  CHECK(irr_of({90}, 100) == doctest::Approx(-0.1).epsilon(1e-14));
  // Flows summing to zero: npv(0) = 0 exactly.
  CHECK(irr_of({50, 50}, 100) == 0.0);
  // Seed example; decimal bisection: 0.0915032451485851507137...
  CHECK(irr_of({100000, 120000, 140000}, 300000) == doctest::Approx(0.09150324514858515));
}

TEST_CASE("irr with two roots picks the one closest to 0") {
  // npv * y^2 = -100 y^2 + 230 y - 132 = -100 (y - 1.1)(y - 1.2): roots r = 0.1 and r = 0.2.
  CHECK(irr_of({230, -132}, 100) == doctest::Approx(0.1).epsilon(1e-12));
  // -100 (y - 0.95)(y - 1.2) = -100 y^2 + 215 y - 114: roots r = -0.05 and 0.2; -0.05 wins.
  CHECK(irr_of({215, -114}, 100) == doctest::Approx(-0.05).epsilon(1e-12));
  // -100 (y - 0.7)(y - 1.1) = -100 y^2 + 180 y - 77: roots r = -0.3 and 0.1; 0.1 wins.
  CHECK(irr_of({180, -77}, 100) == doctest::Approx(0.1).epsilon(1e-12));
}

TEST_CASE("irr at the extremes of the rate range") {
  // -100 + 1e-6/(1+r) = 0  =>  1 + r = 1e-8: just above -1.
  CHECK(irr_of({1e-6}, 100) == doctest::Approx(-1 + 1e-8).epsilon(1e-14));
  CHECK(1 + irr_of({1e-6}, 100) == doctest::Approx(1e-8).epsilon(1e-9));
  // -1 + 1e6/(1+r) = 0  =>  r = 999999.
  CHECK(irr_of({1e6}, 1) == doctest::Approx(999999).epsilon(1e-12));
}

TEST_CASE("irr over 10,000 periods neither overflows nor loses the root") {
  // 10,000 flows of 1 for 5,000: annuity (1 - (1+r)^-n) / r = 5000; decimal bisection gives
  // r = 0.000159353733543437352...
  std::vector<double> flows(10000, 1.0);
  CHECK(irr_of(flows, 5000) == doctest::Approx(0.00015935373354343735).epsilon(1e-10));
  // Same flows for 20,000 (more than they return): the root is negative, where (1+r)^-t would
  // overflow if evaluated naively.
  double r = irr_of(flows, 20000);
  CHECK(r < 0);
  CHECK(r > -1);
}

TEST_CASE("irr ignores zero flows at either end instead of finding false roots") {
  // Trailing zeros once made (1+r)^n underflow to an exact 0 near r = -1: a false root.
  std::vector<double> padded(10000, 0.0);
  padded[0] = 50;
  padded[1] = -100;
  CHECK(expect_error(irr(padded, 100)).field == "cash_flows"); // -100 + 50x - 100x^2 < 0
  padded[0] = 110;
  padded[1] = 0;
  CHECK(irr_of(padded, 100) == doctest::Approx(0.1).epsilon(1e-14));
  // Nothing invested, nothing at t = 1: -100/(1+r)^2 + 121/(1+r)^3 = 0 => r = 0.21.
  CHECK(irr_of({0, -100, 121}, 0) == doctest::Approx(0.21).epsilon(1e-14));
}

TEST_CASE("irr refuses flows that never change sign") {
  auto e = expect_error(irr({10, 20}, -5)); // 5, 10, 20: all inflows
  CHECK(e.field == "cash_flows");
  CHECK(e.message.find("never change sign") != std::string::npos);
  CHECK(expect_error(irr({10, 20}, 0)).field == "cash_flows"); // 0, 10, 20
  CHECK(expect_error(irr({-10}, 100)).field == "cash_flows");  // all outflows
  CHECK(expect_error(irr({0, 0}, 0)).field == "cash_flows");   // nothing at all
}

TEST_CASE("irr refuses flows whose npv changes sign for no rate") {
  // -100 y^2 + 50 y - 100 < 0 for every y (discriminant 2500 - 40000 < 0).
  auto e = expect_error(irr({50, -100}, 100));
  CHECK(e.field == "cash_flows");
  CHECK(e.message.find("not found") != std::string::npos);
}

TEST_CASE("irr refuses non-finite input") {
  CHECK(expect_error(irr({}, 100)).field == "cash_flows");
  CHECK(expect_error(irr({110}, NAN)).field == "initial_investment");
}
