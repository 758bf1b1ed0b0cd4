// forecast_npv: the point npv against a direct computation along the forecast rates, the
// interval collapsing onto it when the model has no error variance, and the simulated interval
// against a 400,000-path simulation of the same fitted models in Python (statsmodels' own
// ETSResults.simulate for Holt, a numpy recursion for AR(1); forecast_reference.py), within
// 4 combined standard errors of the two quantile estimates.
#include "finance/forecast_npv.hpp"

#include "finance/forecast.hpp"
#include "finance/normal_rng.hpp"

#include "expect_ok.hpp"
#include "forecast_reference.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>

using namespace rtd::finance;
using rtd::finance::test::expect_error;
using rtd::finance::test::expect_ok;

namespace {

model_spec method(forecast_method m) {
  return {m, std::nullopt, std::nullopt};
}

/// -investment + sum cash_flows[t] prod_{k<=t} 1 / (1 + rates[k]), written out independently.
double direct_npv(const std::vector<double>& cash_flows, const std::vector<double>& rates,
                  double investment) {
  double npv = -investment;
  for (std::size_t t = 0; t < cash_flows.size(); ++t) {
    double factor = 1;
    for (std::size_t k = 0; k <= t; ++k)
      factor *= 1 + rates[k];
    npv += cash_flows[t] / factor;
  }
  return npv;
}

const std::vector<double> flows{30000, 35000, 40000, 45000, 50000};

forecast_npv_params params(std::vector<double> history, forecast_method m,
                           std::uint64_t paths = 2000, std::uint64_t seed = 1) {
  return {flows, 150000, std::move(history), method(m), paths, seed};
}

} // namespace

TEST_CASE("with no error variance the interval collapses onto the point npv") {
  // AR(1) on an exact dyadic recursion x_t = 1/16 + x_{t-1} / 2 (c and phi recovered to
  // rounding), and Holt on a straight line: the rates continue each, and every simulated path
  // is the point path up to rounding.
  std::vector<double> ar{0.25};
  while (ar.size() < 12)
    ar.push_back(0.0625 + 0.5 * ar.back());
  std::vector<double> expected_ar;
  for (double r = ar.back(); expected_ar.size() < flows.size();)
    expected_ar.push_back(r = 0.0625 + 0.5 * r);
  std::vector<double> line, expected_line;
  for (int t = 0; t < 20; ++t)
    line.push_back(0.05 + 0.002 * t);
  for (std::size_t k = 1; k <= flows.size(); ++k)
    expected_line.push_back(0.05 + 0.002 * (19 + static_cast<double>(k)));

  struct degenerate {
    forecast_method m;
    std::vector<double> history, rates;
  };
  for (const auto& d : {degenerate{forecast_method::ar1, ar, expected_ar},
                        degenerate{forecast_method::holt, line, expected_line}}) {
    INFO(to_string(d.m));
    auto r = expect_ok(forecast_npv(params(d.history, d.m)));
    REQUIRE(r.rates.size() == flows.size());
    for (std::size_t k = 0; k < flows.size(); ++k)
      CHECK(r.rates[k] == doctest::Approx(d.rates[k]).epsilon(1e-12));
    double npv = direct_npv(flows, d.rates, 150000);
    CHECK(r.npv == doctest::Approx(npv).epsilon(1e-11));
    CHECK(r.npv_lower_95 == doctest::Approx(npv).epsilon(1e-9));
    CHECK(r.npv_upper_95 == doctest::Approx(npv).epsilon(1e-9));
  }
}

TEST_CASE("forecast_npv agrees with a large Python simulation of the same model") {
  // Point npv: our rates agree with statsmodels' within 2e-6 relative for Holt and 1e-10 for
  // AR(1) (forecast_test.cpp), rates here are below 0.1, and for positive rates
  // |d npv / d r_k| <= sum_{t>=k} cash_flows[t], so
  // |npv error| <= sum_t t cash_flows[t] max|rate error| = 650000 max|rate error|.
  const auto& rate = reference::series[1];
  REQUIRE(std::string(rate.name) == "rate");
  REQUIRE(reference::npv_cash_flows == flows);
  for (const auto& ref : reference::npv) {
    std::string name = ref.method;
    INFO(name);
    auto m = name == "holt" ? forecast_method::holt : forecast_method::ar1;
    auto p = params(rate.values, m, reference::npv_paths, 7);
    auto r = expect_ok(forecast_npv(p));
    auto f = expect_ok(forecast({rate.values, flows.size(), method(m)}));
    for (std::size_t k = 0; k < flows.size(); ++k)
      CHECK(r.rates[k] == f.points[k].value); // the same point path as `forecast`
    double rate_error = (m == forecast_method::holt ? 2e-6 : 1e-10) * 0.1;
    CHECK(std::abs(r.npv - ref.npv) <= 650000 * rate_error);
    CHECK(r.npv == doctest::Approx(direct_npv(flows, r.rates, 150000)).epsilon(1e-12));
    // Both quantiles from the same number of paths: the difference has sd sqrt(2) se.
    double tol_lower = 4 * std::sqrt(2.0) * ref.lower_se;
    double tol_upper = 4 * std::sqrt(2.0) * ref.upper_se;
    MESSAGE(name << ": lower " << r.npv_lower_95 << " vs " << ref.lower_95 << " (+-" << tol_lower
                 << "), upper " << r.npv_upper_95 << " vs " << ref.upper_95 << " (+-" << tol_upper
                 << ")");
    CHECK(std::abs(r.npv_lower_95 - ref.lower_95) <= tol_lower);
    CHECK(std::abs(r.npv_upper_95 - ref.upper_95) <= tol_upper);
  }
}

TEST_CASE("forecast_npv is deterministic for a seed") {
  const auto& rate = reference::series[1].values;
  auto a = expect_ok(forecast_npv(params(rate, forecast_method::holt, 2000, 5)));
  auto b = expect_ok(forecast_npv(params(rate, forecast_method::holt, 2000, 5)));
  CHECK(a.npv == b.npv);
  CHECK(a.npv_lower_95 == b.npv_lower_95);
  CHECK(a.npv_upper_95 == b.npv_upper_95);
  CHECK(a.rates == b.rates);
  auto c = expect_ok(forecast_npv(params(rate, forecast_method::holt, 2000, 6)));
  CHECK(c.npv == a.npv); // the point path does not depend on the seed
  CHECK(c.npv_lower_95 != a.npv_lower_95);
  // The default 2,000 paths bracket the point npv; a single path is its own interval.
  CHECK(a.npv_lower_95 < a.npv);
  CHECK(a.npv < a.npv_upper_95);
  auto one = expect_ok(forecast_npv(params(rate, forecast_method::ar1, 1, 5)));
  CHECK(one.npv_lower_95 == one.npv_upper_95);
  CHECK(forecast_npv_params{}.paths == 2000);
}

TEST_CASE("forecast_npv refuses what it cannot compute, naming the field") {
  const auto& rate = reference::series[1].values;
  auto field = [](const forecast_npv_params& p) { return expect_error(forecast_npv(p)).field; };
  auto p = params(rate, forecast_method::holt);
  auto with = [&](auto change) {
    auto q = p;
    change(q);
    return field(q);
  };
  CHECK(with([](auto& q) { q.cash_flows.clear(); }) == "cash_flows");
  CHECK(with([](auto& q) { q.cash_flows[2] = NAN; }) == "cash_flows");
  CHECK(with([](auto& q) { q.cash_flows.assign(max_forecast_horizon + 1, 1.0); }) == "cash_flows");
  CHECK(with([](auto& q) { q.cash_flows.assign(2, 1.7e308); }) == "cash_flows"); // overflows
  CHECK(with([](auto& q) { q.initial_investment = INFINITY; }) == "initial_investment");
  CHECK(with([](auto& q) { q.paths = 0; }) == "paths");
  CHECK(with([](auto& q) { q.paths = max_forecast_npv_paths + 1; }) == "paths");
  CHECK(with([](auto& q) { q.rate_history.resize(9); }) == "window");
  CHECK(with([](auto& q) { q.model.alpha = 0.5; }) == "beta");
  auto longest = p;
  longest.cash_flows.assign(max_forecast_horizon, 100.0);
  CHECK(forecast_npv(longest).has_value());

  // A falling line reaches -1 at the 21st forecast step: the point path has no npv.
  std::vector<double> falling;
  for (int t = 0; t < 10; ++t)
    falling.push_back(0.5 - 0.05 * t);
  auto fall = params(falling, forecast_method::holt);
  fall.cash_flows.assign(25, 100.0);
  auto e = expect_error(forecast_npv(fall));
  CHECK(e.field == "discount_rate");
  CHECK(e.message.find("point") != std::string::npos);
  fall.cash_flows.resize(20);
  CHECK(forecast_npv(fall).has_value());

  // Rates as noisy as 0.05 + 0.5 Z: the point path stays near 0.05, but about 2% of the
  // simulated rates fall below -1.
  normal_generator normals(8);
  std::vector<double> wild;
  for (int t = 0; t < 40; ++t)
    wild.push_back(0.05 + 0.5 * normals());
  auto w = expect_error(forecast_npv(params(wild, forecast_method::ar1)));
  CHECK(w.field == "discount_rate");
  CHECK(w.message.find("simulated") != std::string::npos);
}

TEST_CASE("forecast_npv in chunks gives the same bits, with rising progress") {
  const auto& rate = reference::series[1].values;
  auto p = params(rate, forecast_method::holt, 1000, 3);
  auto whole = expect_ok(forecast_npv(p));
  auto run = expect_ok(forecast_npv_run::create(p));
  CHECK(run.total_work() == 1000 * flows.size());
  CHECK(run.progress() == 0);
  double last = 0;
  int chunks = 0;
  while (!run.done()) {
    run.run(7 * flows.size()); // 7 paths a chunk
    CHECK(run.progress() > last);
    last = run.progress();
    ++chunks;
  }
  CHECK(chunks == 143);
  CHECK(run.progress() == 1);
  auto chunked = expect_ok(run.finish());
  CHECK(chunked.npv == whole.npv);
  CHECK(chunked.npv_lower_95 == whole.npv_lower_95);
  CHECK(chunked.npv_upper_95 == whole.npv_upper_95);
  CHECK(chunked.rates == whole.rates);
  auto tiny = expect_ok(forecast_npv_run::create(p));
  tiny.run(1); // a budget below one path still simulates one
  CHECK(tiny.progress() == doctest::Approx(0.001));
}

TEST_CASE("forecast_npv in chunks stops at a refused simulated path") {
  normal_generator normals(8);
  std::vector<double> wild;
  for (int t = 0; t < 40; ++t)
    wild.push_back(0.05 + 0.5 * normals());
  auto run = expect_ok(forecast_npv_run::create(params(wild, forecast_method::ar1)));
  while (!run.done())
    run.run(flows.size());
  CHECK(run.progress() < 1);
  CHECK(expect_error(run.finish()).field == "discount_rate");
}

TEST_CASE("the fit's work counts its passes over the window") {
  CHECK(forecast_model::fit_work(500, method(forecast_method::holt)) == 433 * 500);
  CHECK(forecast_model::fit_work(500, {forecast_method::holt, 0.5, 0.1}) == 2 * 500);
  CHECK(forecast_model::fit_work(500, method(forecast_method::ar1)) == 3 * 500);
}
