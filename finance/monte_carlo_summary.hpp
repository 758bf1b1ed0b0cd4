#pragma once
// The statistics of a monte_carlo_result, accumulated over passes of the npvs in iteration
// order, so that they need not be stored: a run that keeps its npvs replays the array, a run
// that does not regenerates them (each pass sees the same values in the same order).
//   pass 1: the mean (deviations from the first npv, blocked_sum), min, max, losses;
//   pass 2: the sample std around that mean (blocked_sum), the 20-bin histogram over
//           [min, max], and the rank_selector's first pass for p5 / p50 / p95;
//   pass 3: the rank_selector's second pass (none when min == max or n <= 32,768; more,
//           rarely, when a bucket holding a wanted rank is dense and not all ties).
// The std needs the mean and the histogram and bucket counts need min and max, so the passes
// cannot merge without changing the bits: a one-pass (shifted or Welford) variance rounds
// differently from the two-pass sum the result is defined by. The arithmetic is that of
// statistics.hpp, term for term, so the result is bit-identical to the array functions'.

#include "finance/rank_selector.hpp"
#include "finance/results.hpp"
#include "finance/statistics.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace rtd::finance {

class monte_carlo_summary {
public:
  /// Wanted ranks: the two each of p5, p50 and p95 read.
  static constexpr std::uint64_t wanted_ranks = 6;

  /// Most bytes of sample buffers (bucket counts, candidates) it holds at once, whatever n.
  static constexpr std::uint64_t max_bytes = rank_selector::max_bytes(wanted_ranks);

  /// A summary of n >= 1 values.
  explicit monte_carlo_summary(std::uint64_t n);

  /// The next values of the current pass; every pass must see the same n values, in order.
  void add(const double* values, std::size_t count);

  /// Ends a pass, after its n values.
  void end_pass();

  /// True once no more passes are needed.
  bool done() const noexcept { return pass_ >= 2 && selector_->done(); }

  /// Passes ended so far.
  std::uint64_t passes() const noexcept { return pass_; }

  /// Passes ended plus those known to be needed still: grows only if a refinement turns out to
  /// be needed (see rank_selector.hpp), shrinks when min == max makes pass 3 unnecessary.
  std::uint64_t passes_planned() const noexcept;

  /// The statistics, once done().
  monte_carlo_result result() const;

  /// Most bytes of sample buffers held at once so far.
  std::uint64_t peak_bytes() const noexcept { return selector_ ? selector_->peak_bytes() : 0; }

private:
  std::uint64_t n_;
  std::uint64_t pass_ = 0;
  bool started_ = false;   ///< the first value (the pivot) has been seen
  double pivot_ = 0;       ///< the first value
  blocked_sum deviations_; ///< pass 1: v - pivot
  double lo_ = 0;
  double hi_ = 0;
  std::uint64_t losses_ = 0; ///< pass 1: v < 0
  double mean_ = 0;
  blocked_sum squares_; ///< pass 2: (v - mean)^2
  std::optional<histogram_binner> histogram_;
  std::optional<rank_selector> selector_;
  percentile_position p5_, p50_, p95_;
};

} // namespace rtd::finance
