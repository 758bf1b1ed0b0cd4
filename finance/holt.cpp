#include "finance/holt.hpp"

#include "finance/nelder_mead.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace rtd::finance {
namespace {

constexpr std::array<double, 7> grid_alpha{holt_lower_bound, 0.1, 0.3, 0.5, 0.7, 0.9,
                                           holt_upper_bound};
constexpr std::array<double, 6> grid_beta_star{holt_lower_bound, 0.01, 0.05, 0.2, 0.5,
                                               holt_upper_bound};
constexpr int search_budget = 150; // per Nelder-Mead run from a grid point
constexpr int restart_budget = 80; // the final restart
// Grid, two searches and a restart (each may overrun its budget by d + 1 = 3), two final
// passes (the best initial state, then the state at the end).
static_assert(holt_max_evaluations == static_cast<int>(grid_alpha.size() * grid_beta_star.size()) +
                                          2 * (search_budget + 3) + restart_budget + 3 + 2);

/// A starting state for the data pass: the least-squares line through the first 10 points,
/// as statsmodels' heuristic initialisation. Starting near the answer keeps the sums of the
/// concentrated SSE small, so little is lost when the correction is subtracted.
struct line {
  double level; ///< l0: the line's value one step before the first point
  double trend;
};
line initial_line(const std::vector<double>& x) {
  const std::size_t m = std::min<std::size_t>(10, x.size());
  double mean_t = static_cast<double>(m - 1) / 2, mean_y = 0;
  for (std::size_t t = 0; t < m; ++t)
    mean_y += x[t] / static_cast<double>(m);
  double sty = 0, stt = 0;
  for (std::size_t t = 0; t < m; ++t) {
    double dt = static_cast<double>(t) - mean_t;
    sty += dt * (x[t] - mean_y);
    stt += dt * dt;
  }
  double slope = stt > 0 ? sty / stt : 0;
  return {mean_y - slope * (mean_t + 1), slope};
}

/// The SSE at the best initial state for (alpha, beta), and that state.
struct concentrated {
  double sse;
  double l0;
  double b0;
};

concentrated concentrate(const std::vector<double>& x, double alpha, double beta, line start) {
  // Three passes in one: the data from `start`, and the responses of the one-step prediction
  // to a unit change of l0 (p1) and of b0 (p2) with no data. The errors from start + theta are
  // e0 - theta1 p1 - theta2 p2. Each pass carries (prediction, trend) rather than (level,
  // trend): yhat_{t+1} = (1 - alpha - beta) yhat_t + (alpha + beta) y_t + b_{t-1}, which
  // leaves one multiply and one add on the loop-carried path.
  const double keep = 1 - (alpha + beta), gain = alpha + beta;
  double yhat = start.level + start.trend, b = start.trend;
  double p1 = 1, b1 = 0, p2 = 1, b2 = 1;
  double s00 = 0, s01 = 0, s02 = 0, s11 = 0, s12 = 0, s22 = 0;
  for (double y : x) {
    double e0 = y - yhat;
    s00 += e0 * e0;
    s01 += e0 * p1;
    s02 += e0 * p2;
    s11 += p1 * p1;
    s12 += p1 * p2;
    s22 += p2 * p2;
    yhat = keep * yhat + (gain * y + b);
    b += beta * e0;
    double next1 = keep * p1 + b1;
    b1 -= beta * p1;
    p1 = next1;
    double next2 = keep * p2 + b2;
    b2 -= beta * p2;
    p2 = next2;
  }
  // Normal equations [s11 s12; s12 s22] theta = [s01; s02]; SSE = s00 - theta . [s01; s02].
  // Never singular with two or more points: a nonzero initial state shows in the first two
  // predictions (p1 = (1, 1 - alpha - beta, ...), p2 = (1, 2 - alpha - beta, ...)).
  double det = s11 * s22 - s12 * s12;
  double t1 = det > 0 ? (s22 * s01 - s12 * s02) / det : 0;
  double t2 = det > 0 ? (s11 * s02 - s12 * s01) / det : 0;
  double sse = std::max(0.0, s00 - (t1 * s01 + t2 * s02));
  return {sse, start.level + t1, start.trend + t2};
}

/// Runs the model from (l0, b0) over `x`: the exact SSE and the final state.
holt_fit run(const std::vector<double>& x, double alpha, double beta, double l0, double b0) {
  holt_fit fit{alpha, beta, l0, b0, 0, x.size(), l0, b0, 0};
  for (double y : x) {
    double e = y - (fit.level + fit.trend);
    fit.sse += e * e;
    fit.level += fit.trend + alpha * e;
    fit.trend += beta * e;
  }
  return fit;
}

} // namespace

holt_fit fit_holt(const std::vector<double>& x, double alpha, double beta) {
  auto c = concentrate(x, alpha, beta, initial_line(x));
  holt_fit fit = run(x, alpha, beta, c.l0, c.b0);
  fit.evaluations = 2;
  return fit;
}

holt_fit fit_holt(const std::vector<double>& x) {
  const line start = initial_line(x);
  // Searched in (alpha, beta*): the box stands for 0 < beta < alpha < 1.
  std::function<double(const std::vector<double>&)> sse = [&](const std::vector<double>& p) {
    return concentrate(x, p[0], p[0] * p[1], start).sse;
  };
  const std::vector<double> lower{holt_lower_bound, holt_lower_bound};
  const std::vector<double> upper{holt_upper_bound, holt_upper_bound};
  int evaluations = 0;

  struct candidate {
    double value;
    std::vector<double> p;
  };
  std::vector<candidate> grid;
  for (double a : grid_alpha)
    for (double bs : grid_beta_star) {
      std::vector<double> p{a, bs};
      grid.push_back({sse(p), p});
      ++evaluations;
    }
  std::stable_sort(grid.begin(), grid.end(),
                   [](const candidate& a, const candidate& b) { return a.value < b.value; });

  box_minimum best{grid[0].p, grid[0].value, 0};
  for (std::size_t k = 0; k < 2; ++k) {
    auto m = minimize_in_box(sse, grid[k].p, lower, upper, {0.1, 1e-9, search_budget});
    evaluations += m.evaluations;
    if (m.value < best.value)
      best = m;
  }
  // A fresh, smaller simplex around the best point: Nelder-Mead can stall on a degenerate
  // simplex, and a restart is the standard cure.
  auto m = minimize_in_box(sse, best.x, lower, upper, {0.01, 1e-10, restart_budget});
  evaluations += m.evaluations;
  if (m.value < best.value)
    best = m;

  double alpha = best.x[0], beta = best.x[0] * best.x[1];
  auto c = concentrate(x, alpha, beta, start);
  holt_fit fit = run(x, alpha, beta, c.l0, c.b0);
  fit.evaluations = evaluations + 2;
  return fit;
}

double holt_relative_variance(double alpha, double beta, std::size_t h) {
  double k = static_cast<double>(h);
  return 1 + (k - 1) * (alpha * alpha + alpha * beta * k + beta * beta * k * (2 * k - 1) / 6);
}

} // namespace rtd::finance
