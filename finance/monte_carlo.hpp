#pragma once
// Monte Carlo npv (protocol.md, Calculations): iteration i draws
//   cash_flows[t] * (1 + volatility * Z_it),  Z_it iid N(0, 1),
// and records npv_i = -initial_investment + sum_t cash_flows[t] (1 + volatility Z_it) / (1+r)^t.
// Written as npv_i = base_npv + sum_t w_t Z_it with w_t = volatility * cash_flows[t] / (1+r)^t,
// each iteration is a dot product of precomputed weights with fresh normals.
//
// Reproducibility: iterations are grouped in fixed blocks of `block_size`; block b draws its
// normals from a xoshiro256++ stream seeded by (seed, b) only. Iteration i therefore sees the
// same normals however the work is chunked by run(), and the statistics are computed once, in
// finish(), over the stored npvs in iteration order: same seed -> bit-identical result,
// whatever the chunk sizes.
//
// Memory: every npv is stored (8 bytes per iteration: 80 MB at the protocol's 10,000,000
// maximum) because exact percentiles need the whole sample. It is released by finish().

#include "finance/expected.hpp"
#include "finance/normal_rng.hpp"
#include "finance/results.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace rtd::finance {

/// Inputs of a Monte Carlo run (protocol.md names; the defaults of the protocol's optional
/// fields are the caller's business).
struct monte_carlo_params {
  std::vector<double> cash_flows;
  double initial_investment = 0;
  double discount_rate = 0;
  double volatility = 0;        ///< >= 0; 0 makes every npv the plain npv
  std::uint64_t iterations = 0; ///< 1..monte_carlo_run::max_iterations
  std::uint64_t seed = 0;
};

/// A Monte Carlo simulation that can be advanced in chunks, so an actor can report progress
/// and honour cancellation between chunks.
class monte_carlo_run {
public:
  /// Iterations per RNG block; part of the definition of a seed's results, never change it.
  static constexpr std::uint64_t block_size = 1024;

  /// Sanity ceiling (800 MB of npvs) so a direct caller cannot make create() throw
  /// std::bad_alloc; the protocol's own limit (10,000,000) is enforced by request validation.
  static constexpr std::uint64_t max_iterations = 100'000'000;

  /// Checks the parameters (names the field at fault) and allocates the npv storage.
  static expected<monte_carlo_run> create(monte_carlo_params params);

  /// Runs up to `max_iterations` more iterations; returns the number done so far.
  std::uint64_t run(std::uint64_t max_iterations);

  /// True once every iteration has run.
  bool done() const noexcept { return done_ == params_.iterations; }

  /// Iterations done so far.
  std::uint64_t iterations_done() const noexcept { return done_; }

  /// Fraction of iterations done, in [0, 1].
  double progress() const noexcept;

  /// The statistics. Runs any remaining iterations first, so it is always complete. The first
  /// call computes the result and frees the npv storage; later calls return the same result.
  monte_carlo_result finish();

private:
  explicit monte_carlo_run(monte_carlo_params params);

  monte_carlo_params params_;
  double base_npv_ = 0;            ///< npv with every Z = 0
  std::vector<double> weights_;    ///< volatility * present value of each cash flow
  normal_generator normals_;       ///< the current block's stream, kept between chunks
  std::unique_ptr<double[]> npvs_; // uninitialised: 10M doubles need not be zeroed first
  std::uint64_t done_ = 0;
  std::optional<monte_carlo_result> result_;
};

/// One-shot convenience: create, run to the end, finish.
expected<monte_carlo_result> monte_carlo(monte_carlo_params params);

} // namespace rtd::finance
