#pragma once
// A small bounded minimiser for the forecast fits: Nelder-Mead (reflection 1, expansion 2,
// contraction 1/2, shrink 1/2; Nelder & Mead 1965, as in Lagarias et al. 1998) run without
// constraints on z, with each coordinate mapped into its bounds by
//   x = lower + (upper - lower) (1 + sin z) / 2
// (the transformation MINUIT uses for bounded parameters). Every evaluation is inside the box,
// a bound is reached at finite z where the mapped function is smooth, so the simplex can settle
// on a bound (where smoothing parameters often end up: alpha near 1 for a random walk, beta
// near 0 for a steady trend) without the collapse that clamping trial points causes.

#include <functional>
#include <vector>

namespace rtd::finance {

/// Where a minimisation stopped.
struct box_minimum {
  std::vector<double> x;
  double value = 0;
  int evaluations = 0;
};

/// How a minimisation starts and when it stops.
struct nelder_mead_options {
  double step = 0.1;         ///< initial simplex edge in z, as a fraction of pi (a full sweep)
  double tolerance = 1e-9;   ///< stop when every vertex is this close to the best (box units)
  int max_evaluations = 200; ///< budget of calls of f (the last iteration may add d + 1)
};

/// Minimises `f` over the box from `start` (clamped into it first). Each dimension needs
/// lower[i] < upper[i]. Stops on `tolerance` or after `max_evaluations` calls.
box_minimum minimize_in_box(const std::function<double(const std::vector<double>&)>& f,
                            std::vector<double> start, const std::vector<double>& lower,
                            const std::vector<double>& upper, const nelder_mead_options& options);

} // namespace rtd::finance
