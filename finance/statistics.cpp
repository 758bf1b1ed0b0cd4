#include "finance/statistics.hpp"

#include <algorithm>
#include <cmath>

namespace rtd::finance {
namespace {

/// Sum of g(v) over the values in fixed blocks; the order depends only on n.
template <class G> double blocked_sum(const double* values, std::size_t n, G g) {
  constexpr std::size_t block = 1024;
  double total = 0;
  for (std::size_t start = 0; start < n; start += block) {
    std::size_t end = std::min(n, start + block);
    double partial = 0;
    for (std::size_t i = start; i < end; ++i)
      partial += g(values[i]);
    total += partial;
  }
  return total;
}

} // namespace

double mean(const double* values, std::size_t n) {
  // Summing deviations from the first value keeps the terms small (npvs cluster far from 0)
  // and makes the mean of identical values exactly that value (volatility 0).
  double pivot = values[0];
  double deviations = blocked_sum(values, n, [pivot](double v) { return v - pivot; });
  return pivot + deviations / static_cast<double>(n);
}

double sample_std(const double* values, std::size_t n, double mean) {
  if (n < 2)
    return 0;
  double squares = blocked_sum(values, n, [mean](double v) { return (v - mean) * (v - mean); });
  return std::sqrt(squares / static_cast<double>(n - 1));
}

double share_below(const double* values, std::size_t n, double threshold) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i)
    count += values[i] < threshold;
  return static_cast<double>(count) / static_cast<double>(n);
}

histogram make_histogram(const double* values, std::size_t n, std::size_t bins) {
  auto [lo_it, hi_it] = std::minmax_element(values, values + n);
  double lo = *lo_it, hi = *hi_it;
  if (lo == hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  histogram h;
  h.edges.resize(bins + 1);
  double width = (hi - lo) / static_cast<double>(bins);
  for (std::size_t k = 0; k < bins; ++k)
    h.edges[k] = lo + static_cast<double>(k) * width;
  h.edges[bins] = hi; // exact, so the largest value is never beyond the last edge
  h.counts.assign(bins, 0);
  double scale = static_cast<double>(bins) / (hi - lo);
  for (std::size_t i = 0; i < n; ++i) {
    double v = values[i];
    auto k = static_cast<std::size_t>((v - lo) * scale);
    k = std::min(k, bins - 1);
    // The scaled index can be off by one against the rounded edges; trust the edges, so a
    // value always lands in the bin whose [edge, next edge) contains it.
    if (k > 0 && v < h.edges[k])
      --k;
    else if (k + 1 < bins && v >= h.edges[k + 1])
      ++k;
    ++h.counts[k];
  }
  return h;
}

std::vector<double> percentiles(const double* values, std::size_t n,
                                const std::vector<double>& quantiles) {
  auto [lo_it, hi_it] = std::minmax_element(values, values + n);
  double lo = *lo_it, hi = *hi_it;
  if (lo == hi)
    return std::vector<double>(quantiles.size(), lo);

  // Pass 1: counts per bucket. The bucket index is monotone in the value (subtraction,
  // multiplication by a positive number and floor all preserve order under rounding), so
  // bucket b holds exactly the order statistics start[b] .. start[b] + count[b] - 1.
  constexpr std::size_t buckets = 4096;
  double scale = static_cast<double>(buckets) / (hi - lo);
  auto bucket_of = [&](double v) {
    return std::min(static_cast<std::size_t>((v - lo) * scale), buckets - 1);
  };
  std::vector<std::size_t> start(buckets + 1, 0);
  for (std::size_t i = 0; i < n; ++i)
    ++start[bucket_of(values[i]) + 1];
  for (std::size_t b = 0; b < buckets; ++b)
    start[b + 1] += start[b];
  auto bucket_of_rank = [&](std::size_t rank) {
    return static_cast<std::size_t>(std::upper_bound(start.begin(), start.end(), rank) -
                                    start.begin()) -
           1;
  };

  // The two ranks each quantile interpolates between, and the few buckets holding them.
  std::vector<std::size_t> ranks;
  for (double q : quantiles) {
    auto below = static_cast<std::size_t>(std::floor(q * static_cast<double>(n - 1)));
    ranks.push_back(below);
    ranks.push_back(std::min(below + 1, n - 1));
  }
  std::vector<std::vector<double>> members(buckets);
  std::vector<char> wanted(buckets, 0);
  for (std::size_t rank : ranks)
    wanted[bucket_of_rank(rank)] = 1;

  // Pass 2: copy out only the wanted buckets' values, then select within them.
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t b = bucket_of(values[i]);
    if (wanted[b])
      members[b].push_back(values[i]);
  }
  auto order_statistic = [&](std::size_t rank) {
    std::size_t b = bucket_of_rank(rank);
    auto& m = members[b];
    auto nth = m.begin() + static_cast<std::ptrdiff_t>(rank - start[b]);
    std::nth_element(m.begin(), nth, m.end());
    return *nth;
  };

  std::vector<double> out;
  for (std::size_t k = 0; k < quantiles.size(); ++k) {
    double rank = quantiles[k] * static_cast<double>(n - 1);
    double frac = rank - std::floor(rank);
    double value = order_statistic(ranks[2 * k]);
    if (frac > 0)
      value += frac * (order_statistic(ranks[2 * k + 1]) - value);
    out.push_back(value);
  }
  return out;
}

} // namespace rtd::finance
