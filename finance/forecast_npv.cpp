#include "finance/forecast_npv.hpp"

#include "finance/checks.hpp"
#include "finance/forecast.hpp"
#include "finance/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
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

expected<forecast_npv_run> forecast_npv_run::create(forecast_npv_params params) {
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
  forecast_npv_run run(std::move(params), std::move(*model));
  std::vector<double> variance;
  run.model_.forecast(run.params_.cash_flows.size(), run.point_.rates, variance);
  auto point = checked_npv(run.params_.cash_flows, run.point_.rates.data(),
                           run.params_.initial_investment, "point");
  if (!point)
    return point.error();
  run.point_.npv = *point;
  return run;
}

forecast_npv_run::forecast_npv_run(forecast_npv_params params, forecast_model model)
    : params_(std::move(params)), model_(std::move(model)), normals_(params_.seed),
      path_(params_.cash_flows.size()) {
  npvs_.reserve(params_.paths);
}

std::uint64_t forecast_npv_run::total_work() const noexcept {
  return params_.paths * params_.cash_flows.size();
}

void forecast_npv_run::run(std::uint64_t budget) {
  const std::uint64_t n = params_.cash_flows.size();
  auto paths = std::max<std::uint64_t>(1, budget / n);
  for (; paths > 0 && !done(); --paths) {
    model_.simulate(normals_, path_.data(), n);
    auto v = checked_npv(params_.cash_flows, path_.data(), params_.initial_investment, "simulated");
    if (!v) {
      failure_ = v.error();
      return;
    }
    npvs_.push_back(*v);
  }
}

bool forecast_npv_run::done() const noexcept {
  return failure_.has_value() || npvs_.size() == params_.paths;
}

double forecast_npv_run::progress() const noexcept {
  return static_cast<double>(npvs_.size()) / static_cast<double>(params_.paths);
}

expected<forecast_npv_result> forecast_npv_run::finish() const {
  if (failure_)
    return *failure_;
  auto result = point_;
  auto q = percentiles(npvs_.data(), npvs_.size(), {0.025, 0.975});
  result.npv_lower_95 = q[0];
  result.npv_upper_95 = q[1];
  return result;
}

expected<forecast_npv_result> forecast_npv(const forecast_npv_params& params) {
  auto run = forecast_npv_run::create(params);
  if (!run)
    return run.error();
  run->run(std::numeric_limits<std::uint64_t>::max());
  return run->finish();
}

} // namespace rtd::finance
