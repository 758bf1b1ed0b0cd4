#pragma once
// Summary statistics over a sample of doubles, as the Monte Carlo result needs them. Each is
// deterministic for a given sequence of values (fixed summation order), which is what makes a
// seeded Monte Carlo run reproducible to the bit. The accumulators (blocked_sum,
// histogram_binner, and rank_selector in rank_selector.hpp) take one value at a time, so a
// sample can be summarised while it is generated, without storing it; the array functions
// are those accumulators run over an array and give the same bits.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rtd::finance {

/// A sum of terms in a fixed order that depends only on their count: terms in blocks of 1024
/// (by position), each block's partial sum then added to the total, so rounding error grows
/// like (1024 + n / 1024) ulps instead of n.
class blocked_sum {
public:
  static constexpr std::size_t block = 1024;

  /// Adds the next term.
  void add(double term) {
    partial_ += term;
    if (++in_block_ == block) {
      total_ += partial_;
      partial_ = 0;
      in_block_ = 0;
    }
  }

  /// The sum of the terms added so far.
  double total() const { return in_block_ > 0 ? total_ + partial_ : total_; }

private:
  double total_ = 0;
  double partial_ = 0;
  std::size_t in_block_ = 0;
};

/// Arithmetic mean of values[0..n), n > 0: values[0] plus the blocked sum of the deviations
/// from it over n. Identical values give exactly their value.
double mean(const double* values, std::size_t n);

/// Sample standard deviation (divisor n - 1), the blocked sum of (v - mean)^2 around `mean`;
/// 0 when n == 1. Sample rather than population: the iterations are a sample.
double sample_std(const double* values, std::size_t n, double mean);

/// Share of values[0..n) strictly below `threshold`.
double share_below(const double* values, std::size_t n, double threshold);

/// Equal-width histogram like numpy.histogram(values, bins): edges from the smallest to the
/// largest value (bins + 1 of them), the last bin closed on the right so counts sum to n.
/// When all values are equal numpy's convention is used: edges span value - 0.5..value + 0.5.
struct histogram {
  std::vector<double> edges;
  std::vector<std::uint64_t> counts;
};
histogram make_histogram(const double* values, std::size_t n, std::size_t bins);

/// make_histogram one value at a time, once the smallest and largest values are known.
class histogram_binner {
public:
  /// Edges over [lo, hi], the sample's minimum and maximum.
  histogram_binner(double lo, double hi, std::size_t bins);

  /// Counts values[0..count), which must lie in [lo, hi].
  void add(const double* values, std::size_t count);

  /// The edges and the counts so far.
  const histogram& result() const { return h_; }

private:
  histogram h_;
  double lo_;
  double scale_;
};

/// Where numpy's default ("linear", Hyndman & Fan type 7) percentile q of n values reads the
/// sorted values: rank h = (n - 1) q, value = v[below] + frac (v[above] - v[below]) with
/// below = floor h, above = min(below + 1, n - 1), frac = h - floor h.
struct percentile_position {
  std::uint64_t below = 0;
  std::uint64_t above = 0;
  double frac = 0;
};
percentile_position position_of(double q, std::uint64_t n);

/// The percentile at `p` from the two order statistics it reads (`above` unused when frac = 0).
double interpolate(const percentile_position& p, double below, double above);

/// Percentiles by numpy's linear interpolation (see percentile_position), each q in [0, 1].
/// Exact, without sorting or reordering the values: a min/max pass, then rank_selector's
/// passes (two; one for n <= 32,768; more only for dense buckets, see rank_selector.hpp)
/// and std::nth_element on a few buckets' values.
std::vector<double> percentiles(const double* values, std::size_t n,
                                const std::vector<double>& quantiles);

} // namespace rtd::finance
