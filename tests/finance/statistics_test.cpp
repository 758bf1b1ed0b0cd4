// statistics: reference values from numpy 1.24 (Debian python3-numpy): np.percentile (default
// "linear"), np.std(ddof=1), np.histogram(bins=20).
#include "finance/statistics.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

using namespace rtd::finance;

TEST_CASE("percentiles match numpy's default linear interpolation") {
  // np.percentile([3,1,4,1,5,9,2,6,5,3,5], [5,50,95]) -> [1.0, 4.0, 7.5]
  std::vector<double> v{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5};
  auto p = percentiles(v.data(), v.size(), {0.05, 0.50, 0.95});
  REQUIRE(p.size() == 3);
  CHECK(p[0] == 1.0);
  CHECK(p[1] == 4.0);
  CHECK(p[2] == doctest::Approx(7.5).epsilon(1e-15));
  // Extremes are the min and max; a single value is every percentile.
  std::vector<double> w{2, -1, 7};
  auto q = percentiles(w.data(), w.size(), {0.0, 1.0});
  CHECK(q[0] == -1);
  CHECK(q[1] == 7);
  double one = 42;
  CHECK(percentiles(&one, 1, {0.05, 0.95}) == std::vector<double>{42, 42});
}

TEST_CASE("percentiles agree with a full sort on skewed data with ties") {
  // Reference: the type-7 formula applied to a fully sorted copy. The data mixes a long tail
  // and many repeated values so that buckets are uneven and ranks fall inside runs of ties.
  std::vector<double> v;
  std::uint64_t state = 12345;
  for (int i = 0; i < 100000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL; // a plain LCG
    double u = static_cast<double>(state >> 11) * 0x1p-53;
    v.push_back(i % 3 == 0 ? std::floor(u * 10) : std::exp(20 * u));
  }
  std::vector<double> sorted = v;
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> qs{0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999, 1.0};
  auto got = percentiles(v.data(), v.size(), qs);
  for (std::size_t k = 0; k < qs.size(); ++k) {
    double h = qs[k] * static_cast<double>(v.size() - 1);
    auto i = static_cast<std::size_t>(std::floor(h));
    double want = sorted[i];
    if (h > static_cast<double>(i))
      want += (h - static_cast<double>(i)) * (sorted[i + 1] - sorted[i]);
    INFO("q = " << qs[k]);
    CHECK(got[k] == want);
  }
}

TEST_CASE("mean and sample standard deviation") {
  // np.mean -> 4.0, np.std(ddof=1) -> 2.3664319132398464
  std::vector<double> v{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5};
  double m = mean(v.data(), v.size());
  CHECK(m == 4.0);
  CHECK(sample_std(v.data(), v.size(), m) == doctest::Approx(2.3664319132398464).epsilon(1e-15));
  CHECK(sample_std(v.data(), 1, v[0]) == 0);
}

TEST_CASE("share_below is strict") {
  std::vector<double> v{-1, 0, 0, 2};
  CHECK(share_below(v.data(), v.size(), 0.0) == 0.25);
}

TEST_CASE("histogram matches numpy, the maximum in the last bin") {
  // np.histogram(np.arange(11.0), bins=20): edges 0, 0.5, ..., 10; counts 1,0,1,0,...,1,1
  std::vector<double> v;
  for (int i = 0; i <= 10; ++i)
    v.push_back(i);
  auto h = make_histogram(v.data(), v.size(), 20);
  REQUIRE(h.edges.size() == 21);
  REQUIRE(h.counts.size() == 20);
  for (std::size_t k = 0; k <= 20; ++k)
    CHECK(h.edges[k] == doctest::Approx(0.5 * k));
  std::vector<std::uint64_t> expected{1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1};
  CHECK(h.counts == expected);
}

TEST_CASE("histogram of identical values follows numpy's +-0.5 convention") {
  // np.histogram([2.,2.,2.], bins=20): edges 1.5..2.5, all three in bin 10.
  std::vector<double> v{2, 2, 2};
  auto h = make_histogram(v.data(), v.size(), 20);
  CHECK(h.edges.front() == 1.5);
  CHECK(h.edges.back() == 2.5);
  CHECK(h.counts[10] == 3);
}
