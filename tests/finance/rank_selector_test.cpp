// rank_selector: exact order statistics, checked against a full sort, on data built to take
// each of its paths (one pass, bucket counts then candidates, dense buckets of ties, dense
// buckets refined once and twice, ranges too narrow for a plain scale).
#include "finance/rank_selector.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

using rtd::finance::rank_selector;

namespace {

/// A uniform double in [0, 1) from 53 random bits (the same on every standard library).
double uniform(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1p-53;
}

/// Runs the selector over `values` for `ranks`; checks each value against a full sort and
/// the buffers against their bound. Returns the number of passes it took.
std::size_t check_selection(std::vector<double> values, const std::vector<std::uint64_t>& ranks) {
  auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  rank_selector selector(values.size(), *lo, *hi, ranks);
  // Feed each pass in uneven pieces, as generated chunks would arrive.
  while (!selector.done()) {
    for (std::size_t i = 0; i < values.size(); i += 1000)
      selector.add(values.data() + i, std::min<std::size_t>(1000, values.size() - i));
    selector.end_pass();
  }
  std::vector<std::uint64_t> distinct = ranks;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  CHECK(selector.peak_bytes() <= rank_selector::max_bytes(distinct.size()));
  std::sort(values.begin(), values.end());
  for (std::uint64_t rank : ranks) {
    INFO("rank " << rank);
    CHECK(selector.value(rank) == values[rank]);
  }
  return selector.passes();
}

/// The ranks numpy's p5, p50 and p95 read in n values.
std::vector<std::uint64_t> percentile_ranks(std::uint64_t n) {
  std::vector<std::uint64_t> ranks;
  for (double q : {0.05, 0.5, 0.95}) {
    auto below = static_cast<std::uint64_t>(q * static_cast<double>(n - 1));
    ranks.push_back(below);
    ranks.push_back(std::min(below + 1, n - 1));
  }
  return ranks;
}

} // namespace

TEST_CASE("rank selector: counts then candidates on spread-out values") {
  std::mt19937_64 rng(1);
  std::vector<double> v(200000);
  for (double& x : v)
    x = uniform(rng) * uniform(rng) * 1e4 - 300; // skewed, negative and positive
  CHECK(check_selection(v, percentile_ranks(v.size())) == 2);
  CHECK(check_selection(v, {0, 1, 199999, 100000, 100000}) == 2); // extremes, repeats
}

TEST_CASE("rank selector: up to max_candidates values are kept in one pass") {
  std::mt19937_64 rng(2);
  std::vector<double> v(rank_selector::max_candidates);
  for (double& x : v)
    x = uniform(rng);
  CHECK(check_selection(v, percentile_ranks(v.size())) == 1);
  double one = 7;
  rank_selector single(1, one, one, {0, 0});
  CHECK(single.done());
  CHECK(single.value(0) == 7);
}

TEST_CASE("rank selector: equal values need no pass; a dense bucket of ties needs no refinement") {
  std::vector<double> equal(100000, -2.5);
  CHECK(check_selection(equal, percentile_ranks(equal.size())) == 0);
  // 90% of the values are 1.0, the others in [0, 0.5) and [2, 3): the bucket of 1.0 is far
  // beyond the candidate limit, and its equal min and max give the value of the ranks in it.
  std::mt19937_64 rng(3);
  std::vector<double> ties(100000, 1.0);
  for (std::size_t i = 0; i < ties.size(); i += 10)
    ties[i] = i % 20 == 0 ? uniform(rng) * 0.5 : 2 + uniform(rng);
  CHECK(check_selection(ties, percentile_ranks(ties.size())) == 2);
}

TEST_CASE("rank selector: dense buckets of distinct values are refined until exact") {
  std::mt19937_64 rng(4);
  // Two outliers stretch the range to 2e6, so the 100,000 values in [0, 1e-6) share one
  // bucket: its min and max (pass 2), a split over them (pass 3), candidates (pass 4).
  std::vector<double> once{-1e6, 1e6};
  for (int i = 0; i < 100000; ++i)
    once.push_back(uniform(rng) * 1e-6);
  CHECK(check_selection(once, percentile_ranks(once.size())) == 4);
  // A cluster within the cluster: after the first refinement, 60,000 values in [0, 1e-12)
  // still share a bucket, so it is refined again.
  std::vector<double> twice{-1e6, 1e6};
  for (int i = 0; i < 60000; ++i) {
    twice.push_back(uniform(rng) * 1e-3);
    twice.push_back(uniform(rng) * 1e-12);
  }
  CHECK(check_selection(twice, percentile_ranks(twice.size())) == 6);
}

TEST_CASE("rank selector: ranges too narrow for buckets / (max - min) stay exact") {
  // Subnormal spacing: max - min is ~5e-319, so 65,536 / (max - min) would overflow.
  std::mt19937_64 rng(5);
  std::vector<double> v(50000);
  for (double& x : v)
    x = static_cast<double>(rng() % 100000) * 0x1p-1074;
  CHECK(check_selection(v, percentile_ranks(v.size())) == 2);
}
