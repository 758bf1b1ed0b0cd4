#include "finance/ar1.hpp"

namespace rtd::finance {

ar1_fit fit_ar1(const std::vector<double>& x) {
  // Centred sums (two passes) rather than the raw normal equations: the indicators sit far
  // from 0 relative to their moves (tech_index ~100 moving by ~1), where raw sums cancel.
  // Values are taken relative to x_0 first, so equal values give exactly equal deviations and
  // a constant lag is recognised exactly (sxx == 0).
  const std::size_t m = x.size() - 1; // regression rows
  const double x0 = x[0];
  double sum_lag = 0, sum_lead = 0;
  for (std::size_t t = 0; t < m; ++t) {
    sum_lag += x[t] - x0;
    sum_lead += x[t + 1] - x0;
  }
  const double mean_lag = sum_lag / static_cast<double>(m);
  const double mean_lead = sum_lead / static_cast<double>(m);
  double sxy = 0, sxx = 0;
  for (std::size_t t = 0; t < m; ++t) {
    double dx = (x[t] - x0) - mean_lag;
    sxy += dx * ((x[t + 1] - x0) - mean_lead);
    sxx += dx * dx;
  }
  ar1_fit fit;
  fit.phi = sxx > 0 ? sxy / sxx : 0;
  // x_{t+1} - x0 = c' + phi (x_t - x0) gives c = c' + (1 - phi) x0.
  fit.c = (mean_lead - fit.phi * mean_lag) + (1 - fit.phi) * x0;
  for (std::size_t t = 0; t < m; ++t) {
    double r = x[t + 1] - fit.c - fit.phi * x[t];
    fit.ssr += r * r;
  }
  fit.sigma2 = fit.ssr / static_cast<double>(m);
  fit.last = x.back();
  return fit;
}

} // namespace rtd::finance
