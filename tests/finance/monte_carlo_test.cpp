// monte_carlo: with npv linear in the Z_t, the simulated npv is exactly normal with
//   mean  = plain npv = -4733.28324567994            (Python fractions, see npv_test.cpp)
//   sigma = sqrt(sum (0.2 * pv_t)^2) = 34154.67499258537  (numpy on the exact pvs)
// so every statistic has an analytic value; bounds are 4 standard errors of its estimator.
#include "finance/monte_carlo.hpp"

#include "finance/npv.hpp"

#include "expect_ok.hpp"
#include "same_result.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <numeric>

using namespace rtd::finance;
using rtd::finance::test::check_identical;
using rtd::finance::test::expect_error;
using rtd::finance::test::expect_ok;

namespace {

constexpr double analytic_mean = -4733.28324567994;
constexpr double analytic_sigma = 34154.67499258537;
constexpr std::uint64_t unbounded = std::numeric_limits<std::uint64_t>::max();

monte_carlo_params seed_example(std::uint64_t iterations, std::uint64_t seed) {
  return {{100000, 120000, 140000}, 300000, 0.10, 0.2, iterations, seed};
}

/// Runs `params` in chunks of `chunks` iterations (cycling), then finishes.
monte_carlo_result run_in_chunks(const monte_carlo_params& params,
                                 const std::vector<std::uint64_t>& chunks) {
  auto run = expect_ok(monte_carlo_run::create(params, unbounded));
  for (std::size_t k = 0; !run.done(); ++k)
    run.run(chunks[k % chunks.size()] * run.work_per_iteration());
  return run.finish();
}

} // namespace

TEST_CASE("monte carlo statistics agree with the analytic normal distribution") {
  constexpr double n = 200000;
  auto r = expect_ok(monte_carlo(seed_example(200000, 42)));
  CHECK(r.iterations == 200000);
  CHECK(std::abs(r.mean_npv - analytic_mean) < 4 * analytic_sigma / std::sqrt(n));
  CHECK(std::abs(r.std_npv - analytic_sigma) < 4 * analytic_sigma / std::sqrt(2 * n));
  // Quantile standard error: sqrt(p (1-p) / n) / phi(z) in units of sigma.
  const double z95 = 1.6448536269514722, phi95 = 0.10313564037537128, phi50 = 0.3989422804014327;
  double se_tail = std::sqrt(0.05 * 0.95 / n) / phi95 * analytic_sigma;
  double se_mid = std::sqrt(0.25 / n) / phi50 * analytic_sigma;
  CHECK(std::abs(r.p5 - (analytic_mean - z95 * analytic_sigma)) < 4 * se_tail);
  CHECK(std::abs(r.p50 - analytic_mean) < 4 * se_mid);
  CHECK(std::abs(r.p95 - (analytic_mean + z95 * analytic_sigma)) < 4 * se_tail);
  CHECK(r.p5 <= r.p50);
  CHECK(r.p50 <= r.p95);
  // P(npv < 0) = Phi(-mean / sigma) = 0.5551104610252375 (math.erfc).
  double p_loss = 0.5551104610252375;
  CHECK(std::abs(r.probability_of_loss - p_loss) < 4 * std::sqrt(p_loss * (1 - p_loss) / n));
  CHECK(r.var_95 == r.mean_npv - r.p5);
}

TEST_CASE("monte carlo histogram: 21 ascending edges, counts summing to iterations") {
  auto r = expect_ok(monte_carlo(seed_example(50000, 3)));
  REQUIRE(r.histogram_edges.size() == 21);
  REQUIRE(r.histogram_counts.size() == 20);
  for (std::size_t k = 0; k < 20; ++k)
    CHECK(r.histogram_edges[k] < r.histogram_edges[k + 1]);
  CHECK(std::accumulate(r.histogram_counts.begin(), r.histogram_counts.end(), std::uint64_t{0}) ==
        50000);
  CHECK(r.histogram_edges.front() <= r.p5);
  CHECK(r.histogram_edges.back() >= r.p95);
  CHECK(r.histogram_counts.front() >= 1); // the minimum is in the first bin
  CHECK(r.histogram_counts.back() >= 1);  // the maximum in the last
}

TEST_CASE("monte carlo: the same seed gives the same result bit for bit") {
  auto a = expect_ok(monte_carlo(seed_example(30000, 99)));
  auto b = expect_ok(monte_carlo(seed_example(30000, 99)));
  check_identical(a, b);
  auto c = expect_ok(monte_carlo(seed_example(30000, 100)));
  CHECK(c.mean_npv != a.mean_npv);
}

TEST_CASE("monte carlo: the result does not depend on the chunk sizes") {
  // 5000 iterations span several 1024-iteration RNG blocks and end mid-block.
  auto params = seed_example(5000, 11);
  auto whole = run_in_chunks(params, {5000});
  for (auto chunks : std::vector<std::vector<std::uint64_t>>{
           {1}, {7}, {1000}, {1024}, {1023, 2}, {3, 1500, 1}, {100000}}) {
    INFO("first chunk " << chunks[0]);
    check_identical(run_in_chunks(params, chunks), whole);
  }
}

TEST_CASE("monte carlo with zero volatility: every npv is the plain npv") {
  auto params = seed_example(1000, 5);
  params.volatility = 0;
  auto r = expect_ok(monte_carlo(params));
  double plain = npv_value(params.cash_flows, params.discount_rate, params.initial_investment);
  CHECK(r.mean_npv == plain);
  CHECK(r.std_npv == 0);
  CHECK(r.p5 == plain);
  CHECK(r.p50 == plain);
  CHECK(r.p95 == plain);
  CHECK(r.var_95 == 0);
  CHECK(r.probability_of_loss == 1);     // the plain npv is negative
  CHECK(r.histogram_counts[10] == 1000); // numpy's convention for a zero-width range
}

TEST_CASE("monte carlo with a single iteration") {
  auto r = expect_ok(monte_carlo(seed_example(1, 1)));
  CHECK(r.iterations == 1);
  CHECK(r.std_npv == 0);
  CHECK(r.p5 == r.mean_npv);
  CHECK(r.p95 == r.mean_npv);
}

TEST_CASE("monte carlo run reports progress and finish completes it") {
  // Three cash flows: an iteration is 3 work units.
  auto run = expect_ok(monte_carlo_run::create(seed_example(1000, 2), unbounded));
  REQUIRE(run.mode() == monte_carlo_mode::stored);
  CHECK(run.work_per_iteration() == 3);
  CHECK(run.total_work() == 3000);
  CHECK(run.progress() == 0);
  CHECK(run.run(750) == 750);
  CHECK(run.progress() == 0.25);
  CHECK(run.run(2) == 753); // a budget below one iteration still runs one
  CHECK_FALSE(run.done());
  CHECK(run.run(30000) == 3000);
  CHECK(run.done());
  CHECK(run.progress() == 1);
  CHECK(run.run(30) == 3000);

  // finish() before done() runs the rest; a second finish() returns the same result.
  auto partial = expect_ok(monte_carlo_run::create(seed_example(1000, 2), unbounded));
  partial.run(30);
  auto first = partial.finish();
  CHECK(first.iterations == 1000);
  check_identical(partial.finish(), first);
  check_identical(run.finish(), first);
}

TEST_CASE("monte carlo refuses parameters it cannot simulate") {
  auto with = [](auto change) {
    auto p = seed_example(100, 1);
    change(p);
    return expect_error(monte_carlo_run::create(p, unbounded)).field;
  };
  CHECK(with([](auto& p) { p.volatility = -0.1; }) == "volatility");
  CHECK(with([](auto& p) { p.volatility = NAN; }) == "volatility");
  CHECK(with([](auto& p) { p.iterations = 0; }) == "iterations");
  CHECK(with([](auto& p) { p.iterations = monte_carlo_run::max_iterations + 1; }) == "iterations");
  CHECK(with([](auto& p) { p.cash_flows = {1e307, 1e307}; }) == "cash_flows");
  // Each npv would be finite, but not the width max - min of the histogram.
  CHECK(with([](auto& p) {
          p.cash_flows = {1e306};
          p.discount_rate = 0;
          p.volatility = 2;
        }) == "cash_flows");
  CHECK(with([](auto& p) { p.discount_rate = -1; }) == "discount_rate");
  CHECK(with([](auto& p) { p.cash_flows.clear(); }) == "cash_flows");
  CHECK(with([](auto& p) { p.initial_investment = INFINITY; }) == "initial_investment");
}
