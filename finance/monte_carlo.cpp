#include "finance/monte_carlo.hpp"

#include "finance/checks.hpp"
#include "finance/npv.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace rtd::finance {
namespace {

// The rank_selector counts in 4 bytes.
static_assert(monte_carlo_run::max_iterations <= std::numeric_limits<std::uint32_t>::max());

/// Streaming: npvs are generated into a buffer of one block at most, then summarised.
constexpr std::uint64_t buffer_bytes = monte_carlo_run::block_size * sizeof(double);

/// Seed of block `block`'s stream. Each input goes through splitmix64's finaliser with its own
/// offset, so nearby seeds and nearby blocks give unrelated xoshiro states and swapping seed
/// and block does not repeat a stream.
std::uint64_t block_seed(std::uint64_t seed, std::uint64_t block) {
  std::uint64_t a = seed;
  std::uint64_t b = block ^ 0x6a09e667f3bcc909ULL; // sqrt(2)'s fraction bits: a fixed offset
  return splitmix64(a) ^ (splitmix64(b) * 0x9e3779b97f4a7c15ULL);
}

} // namespace

std::uint64_t monte_carlo_run::bytes_needed(std::uint64_t iterations, monte_carlo_mode mode) {
  if (mode == monte_carlo_mode::streaming)
    return monte_carlo_summary::max_bytes + buffer_bytes;
  constexpr std::uint64_t most = std::numeric_limits<std::uint64_t>::max();
  if (iterations > (most - monte_carlo_summary::max_bytes) / sizeof(double))
    return most;
  return iterations * sizeof(double) + monte_carlo_summary::max_bytes;
}

monte_carlo_mode monte_carlo_run::mode_for(std::uint64_t iterations,
                                           std::uint64_t memory_allowance) {
  return bytes_needed(iterations, monte_carlo_mode::stored) <= memory_allowance
             ? monte_carlo_mode::stored
             : monte_carlo_mode::streaming;
}

expected<monte_carlo_run> monte_carlo_run::create(monte_carlo_params params,
                                                  std::uint64_t memory_allowance) {
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
  auto mode = mode_for(params.iterations, memory_allowance);
  monte_carlo_run run(std::move(params), mode);
  // Every simulated npv must be finite for the statistics, and so must max - min (the
  // histogram's and the percentile buckets' width): |npv - base_npv| <= spread assuming
  // |Z| <= 64, far beyond anything drawn (P(|Z| > 40) is below 1e-300), and
  // max - min <= 2 spread.
  double spread = 0;
  for (double w : run.weights_)
    spread += 64 * std::abs(w);
  if (!std::isfinite(std::abs(run.base_npv_) + 2 * spread))
    return error{"cash_flows",
                 "npv overflows: cash_flows, discount_rate or volatility too extreme"};
  return expected<monte_carlo_run>(std::move(run));
}

monte_carlo_run::monte_carlo_run(monte_carlo_params params, monte_carlo_mode mode)
    : params_(std::move(params)), mode_(mode), summary_(params_.iterations) {
  base_npv_ = npv_value(params_.cash_flows, params_.discount_rate, params_.initial_investment);
  weights_ = present_values(params_.cash_flows, params_.discount_rate);
  for (double& w : weights_)
    w *= params_.volatility;
  if (mode_ == monte_carlo_mode::stored)
    npvs_.reset(new double[params_.iterations]);
}

/// Writes the npvs of iterations next_..end to out[0..end - next_) and moves next_ to end.
void monte_carlo_run::generate(std::uint64_t end, double* out) {
  // Locals for the hot loop: the compiler can keep them in registers, as it could not for
  // members reachable through `this` while storing to `out`.
  normal_generator normals = normals_;
  const double* w = weights_.data();
  const std::size_t n = weights_.size();
  const double base = base_npv_;
  std::uint64_t i = next_;
  while (i < end) {
    if (i % block_size == 0)
      normals = normal_generator(block_seed(params_.seed, i / block_size));
    std::uint64_t block_end = std::min(end, (i / block_size + 1) * block_size);
    for (; i < block_end; ++i) {
      double sum = 0;
      for (std::size_t t = 0; t < n; ++t)
        sum += w[t] * normals();
      *out++ = base + sum;
    }
  }
  normals_ = normals;
  next_ = end;
}

std::uint64_t monte_carlo_run::run(std::uint64_t work_budget) {
  const std::uint64_t n = params_.iterations;
  std::uint64_t left = std::max<std::uint64_t>(1, work_budget / work_per_iteration());
  if (mode_ == monte_carlo_mode::stored) {
    generate(next_ + std::min(left, n - next_), npvs_.get() + next_);
  } else {
    double buffer[block_size];
    while (left > 0 && !summary_.done()) {
      // Up to the end of the current block: a pass ends on a block boundary or at n.
      std::uint64_t end = std::min({n, next_ + left, (next_ / block_size + 1) * block_size});
      left -= end - next_;
      std::uint64_t count = end - next_;
      generate(end, buffer);
      summary_.add(buffer, count);
      if (next_ == n) {
        summary_.end_pass();
        next_ = 0;
      }
    }
  }
  double share = static_cast<double>(work_done()) / static_cast<double>(total_work());
  progress_ = done() ? 1.0 : std::max(progress_, std::min(share, 1.0));
  return work_done();
}

bool monte_carlo_run::done() const noexcept {
  return mode_ == monte_carlo_mode::stored ? next_ == params_.iterations : summary_.done();
}

std::uint64_t monte_carlo_run::work_done() const noexcept {
  std::uint64_t iterations = next_;
  if (mode_ == monte_carlo_mode::streaming)
    iterations += summary_.passes() * params_.iterations;
  return iterations * work_per_iteration();
}

std::uint64_t monte_carlo_run::total_work() const noexcept {
  std::uint64_t passes = mode_ == monte_carlo_mode::stored ? 1 : summary_.passes_planned();
  return passes * params_.iterations * work_per_iteration();
}

monte_carlo_result monte_carlo_run::finish() {
  if (result_)
    return *result_;
  while (!done())
    run(std::numeric_limits<std::uint64_t>::max());
  if (mode_ == monte_carlo_mode::stored) {
    // The summary's passes over the kept npvs, a block at a time so that a pass's
    // accumulators read it from cache.
    const std::uint64_t n = params_.iterations;
    while (!summary_.done()) {
      for (std::uint64_t i = 0; i < n; i += block_size)
        summary_.add(npvs_.get() + i, std::min(block_size, n - i));
      summary_.end_pass();
    }
    stored_peak_ = n * sizeof(double) + summary_.peak_bytes();
    npvs_.reset();
  }
  result_ = summary_.result();
  return *result_;
}

std::uint64_t monte_carlo_run::peak_bytes() const noexcept {
  if (mode_ == monte_carlo_mode::streaming)
    return summary_.peak_bytes() + buffer_bytes;
  return npvs_ ? params_.iterations * sizeof(double) + summary_.peak_bytes() : stored_peak_;
}

expected<monte_carlo_result> monte_carlo(monte_carlo_params params,
                                         std::uint64_t memory_allowance) {
  auto run = monte_carlo_run::create(std::move(params), memory_allowance);
  if (!run)
    return run.error();
  return run->finish();
}

} // namespace rtd::finance
