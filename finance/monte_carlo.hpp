#pragma once
// Monte Carlo npv (protocol.md, Calculations): iteration i draws
//   cash_flows[t] * (1 + volatility * Z_it),  Z_it iid N(0, 1),
// and records npv_i = -initial_investment + sum_t cash_flows[t] (1 + volatility Z_it) / (1+r)^t.
// Written as npv_i = base_npv + sum_t w_t Z_it with w_t = volatility * cash_flows[t] / (1+r)^t,
// each iteration is a dot product of precomputed weights with fresh normals.
//
// Reproducibility: iterations are grouped in fixed blocks of `block_size`; block b draws its
// normals from a xoshiro256++ stream seeded by (seed, b) only. Iteration i therefore sees the
// same normals however the work is chunked by run(), and can be computed again at will.
//
// Two modes, chosen at creation from the memory the caller allows (bytes_needed, mode_for);
// both give the same result to the bit, computed by monte_carlo_summary in iteration order:
//   - stored: every npv is kept (8 bytes per iteration: 80 MB at the protocol's 10,000,000)
//     and the statistics' passes run over the array in finish(). Work: one generation.
//   - streaming: nothing per iteration is kept; the npvs are generated again for each of the
//     summary's passes (monte_carlo_summary.hpp): 3 generations (2 when n <= 32,768 or every
//     npv is equal; two more per refinement of a dense bucket of unequal values, which
//     normal npvs never need in practice): ~2.2x the stored run's time at 1M x 10 flows.
//     Memory: at most 1.5 MiB of buckets and candidates plus one 8 KiB block, whatever n.
//
// Work units: one unit is one cash flow of one iteration (a normal draw and a multiply-add),
// so an iteration costs work_per_iteration() = cash_flows.size() units and run() takes a
// budget in units: a chunk's duration does not depend on the number of cash flows.

#include "finance/expected.hpp"
#include "finance/monte_carlo_summary.hpp"
#include "finance/normal_rng.hpp"
#include "finance/results.hpp"

#include <cstdint>
#include <limits>
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

/// Where a run keeps its samples (see the top of this file).
enum class monte_carlo_mode { stored, streaming };

/// A Monte Carlo simulation that can be advanced in chunks, so an actor can report progress
/// and honour cancellation between chunks.
class monte_carlo_run {
public:
  /// Iterations per RNG block; part of the definition of a seed's results, never change it.
  static constexpr std::uint64_t block_size = 1024;

  /// Sanity ceiling (800 MB of npvs if stored; within the summary's 4-byte counts); the
  /// protocol's own limit (10,000,000) is enforced by request validation.
  static constexpr std::uint64_t max_iterations = 100'000'000;

  /// Most bytes of sample memory a run of `iterations` holds in `mode`: 8 per iteration plus
  /// monte_carlo_summary::max_bytes (1.5 MiB) when stored; that 1.5 MiB plus one block of
  /// npvs (8 KiB) when streaming. The weights (8 bytes per cash flow) and a few hundred bytes
  /// of bookkeeping come on top.
  static std::uint64_t bytes_needed(std::uint64_t iterations, monte_carlo_mode mode);

  /// stored when bytes_needed(iterations, stored) <= memory_allowance, else streaming.
  static monte_carlo_mode mode_for(std::uint64_t iterations, std::uint64_t memory_allowance);

  /// Checks the parameters (names the field at fault) and allocates the npv storage if the
  /// mode_for(iterations, memory_allowance) is stored.
  static expected<monte_carlo_run> create(monte_carlo_params params,
                                          std::uint64_t memory_allowance);

  /// The mode chosen at creation.
  monte_carlo_mode mode() const noexcept { return mode_; }

  /// Work units one iteration costs: its number of cash flows.
  std::uint64_t work_per_iteration() const noexcept { return weights_.size(); }

  /// Runs about `work_budget` more units: max(1, work_budget / work_per_iteration())
  /// iterations, fewer if the run ends first. Returns work_done().
  std::uint64_t run(std::uint64_t work_budget);

  /// True once every pass has run (stored: the one generation; finish() summarises).
  bool done() const noexcept;

  /// Work units done so far, over all passes.
  std::uint64_t work_done() const noexcept;

  /// Work units of all passes planned so far (see monte_carlo_summary::passes_planned).
  std::uint64_t total_work() const noexcept;

  /// work_done() / total_work(), never below an earlier value (a refinement pass found
  /// necessary late makes it pause rather than go back); in [0, 1], 1 once done().
  double progress() const noexcept { return progress_; }

  /// The statistics. Runs any remaining work first, so it is always complete. The first call
  /// computes the result and frees the samples; later calls return the same result.
  monte_carlo_result finish();

  /// Most bytes of sample memory held at once so far (allocated capacity), for checking the
  /// bytes_needed() bound.
  std::uint64_t peak_bytes() const noexcept;

private:
  monte_carlo_run(monte_carlo_params params, monte_carlo_mode mode);
  void generate(std::uint64_t end, double* out);

  monte_carlo_params params_;
  monte_carlo_mode mode_;
  double base_npv_ = 0;            ///< npv with every Z = 0
  std::vector<double> weights_;    ///< volatility * present value of each cash flow
  normal_generator normals_;       ///< the current block's stream, kept between chunks
  std::unique_ptr<double[]> npvs_; // stored: uninitialised, 10M doubles need not be zeroed
  std::uint64_t next_ = 0;         ///< next iteration of the current pass
  std::uint64_t stored_peak_ = 0;  ///< stored: bytes of npvs plus the summary's peak
  monte_carlo_summary summary_;    ///< fed as npvs are generated, or from npvs_ in finish()
  double progress_ = 0;
  std::optional<monte_carlo_result> result_;
};

/// One-shot convenience: create, run to the end, finish. The default allowance keeps every
/// npv (stored mode), as for a benchmark; a server passes what it can spare.
expected<monte_carlo_result>
monte_carlo(monte_carlo_params params,
            std::uint64_t memory_allowance = std::numeric_limits<std::uint64_t>::max());

} // namespace rtd::finance
