#pragma once
// AR(1) with a constant, x_t = c + phi x_{t-1} + e_t, fitted by conditional least squares as
// statsmodels' AutoReg(x, lags=1, trend="c").fit() does: an OLS regression of x_1..x_{n-1}
// on (1, x_0..x_{n-2}), sigma^2 = SSR / (n - 1) (the residual count, not the degrees of
// freedom, as AutoReg's `sigma2`). Forecasts: m_0 = x_{n-1}, m_h = c + phi m_{h-1}; error
// variance sigma^2 sum_{i<h} phi^(2i).

#include <cstddef>
#include <vector>

namespace rtd::finance {

/// A fitted AR(1) and the last value of its window.
struct ar1_fit {
  double c = 0;
  double phi = 0;
  double sigma2 = 0; ///< SSR / (n - 1)
  double ssr = 0;    ///< sum of squared residuals
  double last = 0;   ///< x_{n-1}, where forecasts start
};

/// Fits `x` (at least 3 finite values; the caller checks). Lagged values all equal leave phi
/// unidentified: then phi = 0 and c is the mean of x_1..x_{n-1} (AutoReg would return the
/// minimum-norm pseudo-inverse solution instead).
ar1_fit fit_ar1(const std::vector<double>& x);

} // namespace rtd::finance
