// roi: values by hand; the cube root with Python's decimal module (50 digits).
#include "finance/roi.hpp"

#include "expect_ok.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace rtd::finance;
using rtd::finance::test::expect_error;
using rtd::finance::test::expect_ok;

TEST_CASE("roi of the seed example") {
  // net gain 360000 - 300000 = 60000; roi 0.2; annualized 1.2^(1/3) - 1 = 0.06265856918261106...
  auto r = expect_ok(roi({100000, 120000, 140000}, 300000));
  CHECK(r.net_gain == 60000);
  CHECK(r.roi == doctest::Approx(0.2).epsilon(1e-15));
  CHECK(r.annualized_roi == doctest::Approx(0.06265856918261106).epsilon(1e-14));
}

TEST_CASE("roi of a partial loss") {
  // 50 back on 100 over one period: roi -0.5 = annualized (n = 1).
  auto r = expect_ok(roi({50}, 100));
  CHECK(r.net_gain == -50);
  CHECK(r.roi == -0.5);
  CHECK(r.annualized_roi == doctest::Approx(-0.5).epsilon(1e-15));
  // 25 back on 100 over two periods: (0.25)^(1/2) - 1 = -0.5.
  CHECK(expect_ok(roi({0, 25}, 100)).annualized_roi == doctest::Approx(-0.5).epsilon(1e-15));
}

TEST_CASE("roi when everything is lost is exactly -1") {
  auto r = expect_ok(roi({0, 0}, 100));
  CHECK(r.roi == -1);
  CHECK(r.annualized_roi == -1);
}

TEST_CASE("annualized roi is refused when the flows sum below zero") {
  auto e = expect_error(roi({-50}, 100));
  CHECK(e.field == "cash_flows");
  CHECK(e.message.find("loses more than everything") != std::string::npos);
}

TEST_CASE("roi refuses an investment that is not positive") {
  CHECK(expect_error(roi({10}, 0)).field == "initial_investment");
  CHECK(expect_error(roi({10}, -5)).field == "initial_investment");
  CHECK(expect_error(roi({}, 5)).field == "cash_flows");
}
