#include "finance/monte_carlo.hpp"

#include "finance/checks.hpp"
#include "finance/npv.hpp"
#include "finance/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace rtd::finance {
namespace {

constexpr std::size_t histogram_bins = 20;

/// Seed of block `block`'s stream. Each input goes through splitmix64's finaliser with its own
/// offset, so nearby seeds and nearby blocks give unrelated xoshiro states and swapping seed
/// and block does not repeat a stream.
std::uint64_t block_seed(std::uint64_t seed, std::uint64_t block) {
  std::uint64_t a = seed;
  std::uint64_t b = block ^ 0x6a09e667f3bcc909ULL; // sqrt(2)'s fraction bits: a fixed offset
  return splitmix64(a) ^ (splitmix64(b) * 0x9e3779b97f4a7c15ULL);
}

} // namespace

expected<monte_carlo_run> monte_carlo_run::create(monte_carlo_params params) {
  if (auto e = check_cash_flows(params.cash_flows))
    return *e;
  if (auto e = check_rate("discount_rate", params.discount_rate))
    return *e;
  if (auto e = check_finite("initial_investment", params.initial_investment))
    return *e;
  if (auto e = check_finite("volatility", params.volatility))
    return *e;
  if (params.volatility < 0)
    return error{"volatility", "volatility must be >= 0"};
  if (params.iterations == 0 || params.iterations > max_iterations)
    return error{"iterations", "iterations must be in 1.." + std::to_string(max_iterations)};
  monte_carlo_run run(std::move(params));
  // Every simulated npv must be finite for the statistics: bound |npv| assuming |Z| <= 64,
  // far beyond anything drawn (P(|Z| > 40) is below 1e-300).
  double bound = std::abs(run.base_npv_);
  for (double w : run.weights_)
    bound += 64 * std::abs(w);
  if (!std::isfinite(bound))
    return error{"cash_flows",
                 "npv overflows: cash_flows, discount_rate or volatility too extreme"};
  return expected<monte_carlo_run>(std::move(run));
}

monte_carlo_run::monte_carlo_run(monte_carlo_params params)
    : params_(std::move(params)), npvs_(new double[params_.iterations]) {
  base_npv_ = npv_value(params_.cash_flows, params_.discount_rate, params_.initial_investment);
  weights_ = present_values(params_.cash_flows, params_.discount_rate);
  for (double& w : weights_)
    w *= params_.volatility;
}

std::uint64_t monte_carlo_run::run(std::uint64_t max_iterations) {
  std::uint64_t end = done_ + std::min(max_iterations, params_.iterations - done_);
  // Locals for the hot loop: the compiler can keep them in registers, as it could not for
  // members reachable through `this` while storing to npvs_.
  normal_generator normals = normals_;
  const double* w = weights_.data();
  const std::size_t n = weights_.size();
  const double base = base_npv_;
  double* out = npvs_.get();
  std::uint64_t i = done_;
  while (i < end) {
    if (i % block_size == 0)
      normals = normal_generator(block_seed(params_.seed, i / block_size));
    std::uint64_t block_end = std::min(end, (i / block_size + 1) * block_size);
    for (; i < block_end; ++i) {
      double sum = 0;
      for (std::size_t t = 0; t < n; ++t)
        sum += w[t] * normals();
      out[i] = base + sum;
    }
  }
  normals_ = normals;
  done_ = end;
  return done_;
}

double monte_carlo_run::progress() const noexcept {
  return static_cast<double>(done_) / static_cast<double>(params_.iterations);
}

monte_carlo_result monte_carlo_run::finish() {
  if (result_)
    return *result_;
  run(params_.iterations - done_);
  const std::size_t n = params_.iterations;
  double* values = npvs_.get();
  monte_carlo_result r;
  r.iterations = n;
  // Sums run in iteration order over the stored npvs, so they do not depend on chunking.
  r.mean_npv = mean(values, n);
  r.std_npv = sample_std(values, n, r.mean_npv);
  r.probability_of_loss = share_below(values, n, 0.0);
  auto h = make_histogram(values, n, histogram_bins);
  r.histogram_edges = std::move(h.edges);
  r.histogram_counts = std::move(h.counts);
  auto p = percentiles(values, n, {0.05, 0.50, 0.95});
  r.p5 = p[0];
  r.p50 = p[1];
  r.p95 = p[2];
  r.var_95 = r.mean_npv - r.p5;
  npvs_.reset();
  result_ = r;
  return r;
}

expected<monte_carlo_result> monte_carlo(monte_carlo_params params) {
  auto run = monte_carlo_run::create(std::move(params));
  if (!run)
    return run.error();
  return run->finish();
}

} // namespace rtd::finance
