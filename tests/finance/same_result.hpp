#pragma once
// Shared by the Monte Carlo tests: bit-for-bit equality of two results.
#include "finance/results.hpp"

#include <doctest/doctest.h>

namespace rtd::finance::test {

/// Checks every field of `a` and `b` for exact equality.
inline void check_identical(const monte_carlo_result& a, const monte_carlo_result& b) {
  CHECK(a.mean_npv == b.mean_npv);
  CHECK(a.std_npv == b.std_npv);
  CHECK(a.p5 == b.p5);
  CHECK(a.p50 == b.p50);
  CHECK(a.p95 == b.p95);
  CHECK(a.probability_of_loss == b.probability_of_loss);
  CHECK(a.var_95 == b.var_95);
  CHECK(a.histogram_edges == b.histogram_edges);
  CHECK(a.histogram_counts == b.histogram_counts);
  CHECK(a.iterations == b.iterations);
}

} // namespace rtd::finance::test
