#include "finance/forecast_npv.hpp"

#include "finance/checks.hpp"
#include "finance/forecast.hpp"
#include "finance/statistics.hpp"

#include <cmath>
#include <optional>
#include <string>

namespace rtd::finance {
namespace {

/// The npv along `rates`, or nullopt when a rate is <= -1.
std::optional<double> npv_on_path(const std::vector<double>& cash_flows, const double* rates,
                                  double initial_investment) {
  double factor = 1, sum = 0;
  for (std::size_t t = 0; t < cash_flows.size(); ++t) {
    if (!(rates[t] > -1))
      return std::nullopt;
    factor /= 1 + rates[t];
    sum += cash_flows[t] * factor;
  }
  return sum - initial_investment;
}

/// The npv along `rates`, or the reason it has none.
expected<double> checked_npv(const std::vector<double>& cash_flows, const double* rates,
                             double initial_investment, const char* which) {
  auto v = npv_on_path(cash_flows, rates, initial_investment);
  if (!v)
    return error{"discount_rate", std::string("the ") + which +
                                      " forecast of discount_rate reaches -1 or below within "
                                      "the horizon: npv undefined"};
  if (!std::isfinite(*v))
    return error{"cash_flows", std::string("npv overflows on the ") + which +
                                   " forecast: cash_flows or rates too extreme"};
  return *v;
}

} // namespace

expected<forecast_npv_result> forecast_npv(const forecast_npv_params& params) {
  if (auto e = check_cash_flows(params.cash_flows))
    return *e;
  if (params.cash_flows.size() > max_forecast_horizon)
    return error{"cash_flows", "cash_flows must hold at most " +
                                   std::to_string(max_forecast_horizon) +
                                   " entries for forecast_npv (the longest forecast horizon)"};
  if (auto e = check_finite("initial_investment", params.initial_investment))
    return *e;
  if (params.paths < 1 || params.paths > max_forecast_npv_paths)
    return error{"paths", "paths must be in 1.." + std::to_string(max_forecast_npv_paths)};
  auto model = forecast_model::fit(params.rate_history, params.model);
  if (!model)
    return model.error();

  const std::size_t n = params.cash_flows.size();
  forecast_npv_result result;
  std::vector<double> variance;
  model->forecast(n, result.rates, variance);
  auto point =
      checked_npv(params.cash_flows, result.rates.data(), params.initial_investment, "point");
  if (!point)
    return point.error();
  result.npv = *point;

  normal_generator normals(params.seed);
  std::vector<double> path(n), npvs(params.paths);
  for (std::uint64_t j = 0; j < params.paths; ++j) {
    model->simulate(normals, path.data(), n);
    auto v = checked_npv(params.cash_flows, path.data(), params.initial_investment, "simulated");
    if (!v)
      return v.error();
    npvs[j] = *v;
  }
  auto q = percentiles(npvs.data(), npvs.size(), {0.025, 0.975});
  result.npv_lower_95 = q[0];
  result.npv_upper_95 = q[1];
  return result;
}

} // namespace rtd::finance
