#pragma once
// `forecast` (protocol.md, Calculations): a Holt (holt.hpp) or AR(1) (ar1.hpp) fit of an
// indicator's recent history, projected `horizon` steps with normal prediction intervals:
// value -+ z sqrt(variance), z = 1.2815515655446004 (80%) and 1.959963984540054 (95%), the
// standard normal's 90% and 97.5% quantiles, as statsmodels' get_prediction gives them.

#include "finance/expected.hpp"
#include "finance/forecast_model.hpp"
#include "finance/results.hpp"

#include <cstddef>
#include <vector>

namespace rtd::finance {

/// Largest `horizon` (protocol.md: 1..1000 steps).
constexpr std::size_t max_forecast_horizon = 1000;

/// Inputs of a forecast. Picking the window out of the market history is the caller's job.
struct forecast_params {
  std::vector<double> history; ///< the indicator's last `window` values, oldest first
  std::size_t horizon = 0;     ///< 1..max_forecast_horizon steps
  model_spec model;
};

/// Fits and forecasts. Refuses what forecast_model::fit refuses, a horizon out of range, and
/// (field `horizon`) a forecast that overflows (an explosive AR(1) over a long horizon).
expected<forecast_result> forecast(const forecast_params& params);

} // namespace rtd::finance
