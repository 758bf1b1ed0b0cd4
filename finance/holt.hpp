#pragma once
// Holt's linear trend as the state space model ETS(A,A,N) (Hyndman et al., "Forecasting with
// Exponential Smoothing", 2008, ch. 2), the form statsmodels' ETSModel(error="add",
// trend="add") fits:
//   yhat_t = l_{t-1} + b_{t-1},  e_t = y_t - yhat_t,
//   l_t = l_{t-1} + b_{t-1} + alpha e_t,  b_t = b_{t-1} + beta e_t,
// with (l0, b0) the state before the first point. Forecast h steps after the last point n:
// l_n + h b_n, error variance sigma^2 [1 + (h-1) (alpha^2 + alpha beta h + beta^2 h (2h-1)/6)],
// sigma^2 = SSE / n (statsmodels' `mse`, the maximum likelihood estimate).
//
// Fitting minimises the SSE of the one-step errors, which is what statsmodels' concentrated
// Gaussian likelihood does. The errors are affine in (l0, b0) for fixed (alpha, beta), so the
// best initial state is a 2x2 least-squares solve in the same O(n) pass (the "concentrated"
// SSE); only (alpha, beta* = beta / alpha) are searched, over statsmodels' default box
// [1e-4, 1 - 1e-4]^2: a 7 x 6 grid, Nelder-Mead (nelder_mead.hpp) from the two best grid
// points, and one restart from the best result. At most holt_max_evaluations SSE passes,
// whatever the data.

#include <cstddef>
#include <vector>

namespace rtd::finance {

/// Bounds of alpha and beta* = beta / alpha when fitted (statsmodels' defaults).
constexpr double holt_lower_bound = 1e-4;
constexpr double holt_upper_bound = 1 - 1e-4;
/// Ceiling on the SSE passes of one fit: the grid plus three bounded Nelder-Mead runs (see
/// holt.cpp), plus the final pass for the state.
constexpr int holt_max_evaluations = 433;

/// A fitted (or parameterised) Holt model and its state after the window.
struct holt_fit {
  double alpha = 0;
  double beta = 0;
  double l0 = 0;  ///< level before the first point
  double b0 = 0;  ///< trend before the first point
  double sse = 0; ///< sum of squared one-step errors over the window
  std::size_t n = 0;
  double level = 0;    ///< l_n
  double trend = 0;    ///< b_n
  int evaluations = 0; ///< SSE passes used by the fit
};

/// Fits alpha, beta, l0, b0 to `x` (at least 10 finite values; the caller checks).
holt_fit fit_holt(const std::vector<double>& x);

/// The model with the given alpha and beta (0 < alpha <= 1, 0 <= beta <= alpha; the caller
/// checks); l0 and b0 are still the least-squares initial state for them.
holt_fit fit_holt(const std::vector<double>& x, double alpha, double beta);

/// Forecast error variance h >= 1 steps ahead, in units of sigma^2.
double holt_relative_variance(double alpha, double beta, std::size_t h);

} // namespace rtd::finance
