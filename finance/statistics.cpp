#include "finance/statistics.hpp"

#include "finance/rank_selector.hpp"

#include <algorithm>
#include <cmath>

namespace rtd::finance {

double mean(const double* values, std::size_t n) {
  // Summing deviations from the first value keeps the terms small (npvs cluster far from 0)
  // and makes the mean of identical values exactly that value (volatility 0).
  double pivot = values[0];
  blocked_sum deviations;
  for (std::size_t i = 0; i < n; ++i)
    deviations.add(values[i] - pivot);
  return pivot + deviations.total() / static_cast<double>(n);
}

double sample_std(const double* values, std::size_t n, double mean) {
  if (n < 2)
    return 0;
  blocked_sum squares;
  for (std::size_t i = 0; i < n; ++i)
    squares.add((values[i] - mean) * (values[i] - mean));
  return std::sqrt(squares.total() / static_cast<double>(n - 1));
}

double share_below(const double* values, std::size_t n, double threshold) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < n; ++i)
    count += values[i] < threshold;
  return static_cast<double>(count) / static_cast<double>(n);
}

histogram_binner::histogram_binner(double lo, double hi, std::size_t bins) {
  if (lo == hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  h_.edges.resize(bins + 1);
  double width = (hi - lo) / static_cast<double>(bins);
  for (std::size_t k = 0; k < bins; ++k)
    h_.edges[k] = lo + static_cast<double>(k) * width;
  h_.edges[bins] = hi; // exact, so the largest value is never beyond the last edge
  h_.counts.assign(bins, 0);
  lo_ = lo;
  scale_ = static_cast<double>(bins) / (hi - lo);
}

void histogram_binner::add(const double* values, std::size_t count) {
  const std::size_t bins = h_.counts.size();
  const double* edges = h_.edges.data();
  for (std::size_t i = 0; i < count; ++i) {
    double v = values[i];
    // Compared before the conversion: values too large for 0.5 to widen their range give
    // 0 * inf = NaN here, which lands in the last bin instead of being converted.
    double x = (v - lo_) * scale_;
    std::size_t k = x < static_cast<double>(bins - 1) ? static_cast<std::size_t>(x) : bins - 1;
    // The scaled index can be off by one against the rounded edges; trust the edges, so a
    // value always lands in the bin whose [edge, next edge) contains it.
    if (k > 0 && v < edges[k])
      --k;
    else if (k + 1 < bins && v >= edges[k + 1])
      ++k;
    ++h_.counts[k];
  }
}

histogram make_histogram(const double* values, std::size_t n, std::size_t bins) {
  auto [lo_it, hi_it] = std::minmax_element(values, values + n);
  histogram_binner binner(*lo_it, *hi_it, bins);
  binner.add(values, n);
  return binner.result();
}

percentile_position position_of(double q, std::uint64_t n) {
  double h = q * static_cast<double>(n - 1);
  percentile_position p;
  p.below = static_cast<std::uint64_t>(std::floor(h));
  p.above = std::min(p.below + 1, n - 1);
  p.frac = h - std::floor(h);
  return p;
}

double interpolate(const percentile_position& p, double below, double above) {
  return p.frac > 0 ? below + p.frac * (above - below) : below;
}

std::vector<double> percentiles(const double* values, std::size_t n,
                                const std::vector<double>& quantiles) {
  auto [lo_it, hi_it] = std::minmax_element(values, values + n);
  std::vector<percentile_position> positions;
  std::vector<std::uint64_t> ranks;
  for (double q : quantiles) {
    positions.push_back(position_of(q, n));
    ranks.push_back(positions.back().below);
    ranks.push_back(positions.back().above);
  }
  rank_selector selector(n, *lo_it, *hi_it, ranks);
  while (!selector.done()) {
    selector.add(values, n);
    selector.end_pass();
  }
  std::vector<double> out;
  for (const auto& p : positions)
    out.push_back(interpolate(p, selector.value(p.below), selector.value(p.above)));
  return out;
}

} // namespace rtd::finance
