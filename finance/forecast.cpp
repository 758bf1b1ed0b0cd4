#include "finance/forecast.hpp"

#include <cmath>
#include <string>

namespace rtd::finance {
namespace {

constexpr double z80 = 1.2815515655446004;
constexpr double z95 = 1.959963984540054;

} // namespace

expected<forecast_result> forecast(const forecast_params& params) {
  if (params.horizon < 1 || params.horizon > max_forecast_horizon)
    return error{"horizon", "horizon must be in 1.." + std::to_string(max_forecast_horizon)};
  auto model = forecast_model::fit(params.history, params.model);
  if (!model)
    return model.error();
  std::vector<double> mean, variance;
  model->forecast(params.horizon, mean, variance);
  forecast_result result;
  result.method = to_string(model->method());
  result.parameters = model->parameters();
  result.points.reserve(params.horizon);
  for (std::size_t k = 0; k < params.horizon; ++k) {
    double sd = std::sqrt(variance[k]);
    forecast_point p{k + 1,
                     mean[k],
                     mean[k] - z80 * sd,
                     mean[k] + z80 * sd,
                     mean[k] - z95 * sd,
                     mean[k] + z95 * sd};
    if (!std::isfinite(p.lower_95) || !std::isfinite(p.upper_95))
      return error{"horizon", "the forecast overflows within horizon " +
                                  std::to_string(params.horizon) + " (at step " +
                                  std::to_string(k + 1) + ")"};
    result.points.push_back(p);
  }
  return result;
}

} // namespace rtd::finance
