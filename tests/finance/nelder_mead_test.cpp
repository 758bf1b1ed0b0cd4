// nelder_mead: minima known by construction, inside the box and on its bounds.
#include "finance/nelder_mead.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

using namespace rtd::finance;

TEST_CASE("nelder-mead finds an interior minimum of a tilted quadratic") {
  std::function<double(const std::vector<double>&)> f = [](const std::vector<double>& p) {
    double a = p[0] - 0.3, b = p[1] - 0.6;
    return a * a + 5 * b * b + a * b + 2;
  };
  auto m = minimize_in_box(f, {0.9, 0.1}, {0, 0}, {1, 1}, {0.1, 1e-10, 500});
  CHECK(m.x[0] == doctest::Approx(0.3).epsilon(1e-7));
  CHECK(m.x[1] == doctest::Approx(0.6).epsilon(1e-7));
  CHECK(m.value == doctest::Approx(2).epsilon(1e-14));
  CHECK(m.evaluations <= 500 + 3);
}

TEST_CASE("nelder-mead settles on a bound when the minimum lies beyond it") {
  // Unconstrained minimum at (1.5, -2): the box answer is the corner (1, 0.001), and on a
  // single bound (1, 0.2) for the second function.
  std::function<double(const std::vector<double>&)> corner = [](const std::vector<double>& p) {
    return (p[0] - 1.5) * (p[0] - 1.5) + (p[1] + 2) * (p[1] + 2);
  };
  auto m = minimize_in_box(corner, {0.5, 0.5}, {0.001, 0.001}, {1, 1}, {0.1, 1e-10, 500});
  CHECK(m.x[0] == doctest::Approx(1).epsilon(1e-10));
  CHECK(m.x[1] == doctest::Approx(0.001).epsilon(1e-8));
  std::function<double(const std::vector<double>&)> edge = [](const std::vector<double>& p) {
    return (p[0] - 1.5) * (p[0] - 1.5) + (p[1] - 0.2) * (p[1] - 0.2);
  };
  auto e = minimize_in_box(edge, {0.5, 0.5}, {0, 0}, {1, 1}, {0.1, 1e-10, 500});
  CHECK(e.x[0] == doctest::Approx(1).epsilon(1e-10));
  CHECK(e.x[1] == doctest::Approx(0.2).epsilon(1e-7));
}

TEST_CASE("nelder-mead projects the start and honours its budget") {
  int calls = 0;
  std::function<double(const std::vector<double>&)> f = [&](const std::vector<double>& p) {
    ++calls;
    CHECK((p[0] >= -1 && p[0] <= 1)); // never evaluated outside the box
    return std::cos(3 * p[0]) + p[0] * p[0];
  };
  auto m = minimize_in_box(f, {7}, {-1}, {1}, {0.1, 0, 20}); // tolerance 0: only the budget
  CHECK(m.evaluations == calls);
  CHECK(calls <= 20 + 2);
  CHECK(m.value <= std::cos(3.0) + 1); // no worse than the projected start, x = 1
}
