#pragma once
// Summary statistics over a sample of doubles, as the Monte Carlo result needs them. Each
// function is deterministic for a given array (fixed summation order), which is what makes a
// seeded Monte Carlo run reproducible to the bit.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rtd::finance {

/// Arithmetic mean of values[0..n), n > 0: values[0] plus the mean deviation from it, summed
/// in fixed blocks of 1024 whose partial sums are then added, so rounding error grows like
/// (1024 + n / 1024) ulps instead of n. Identical values give exactly their value.
double mean(const double* values, std::size_t n);

/// Sample standard deviation (divisor n - 1), two-pass around `mean`; 0 when n == 1.
/// Sample rather than population because the iterations are a sample of the distribution.
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

/// Percentiles with linear interpolation between closest ranks, numpy's default ("linear",
/// Hyndman & Fan type 7): rank h = (n - 1) * q, value = v[floor h] + frac(h) * (v[floor h + 1]
/// - v[floor h]) on the sorted values; each q in [0, 1].
/// Exact, without sorting or reordering: a bucket count over [min, max] locates the few
/// buckets that hold the wanted ranks, and std::nth_element runs on those alone. Two linear
/// passes: about 4x cheaper than repeated nth_element over the whole array at 1M values.
std::vector<double> percentiles(const double* values, std::size_t n,
                                const std::vector<double>& quantiles);

} // namespace rtd::finance
