#include "finance/forecast_model.hpp"

#include "finance/checks.hpp"

#include <cmath>
#include <string>

namespace rtd::finance {
namespace {

std::optional<error> check_history(const std::vector<double>& history, forecast_method method) {
  std::size_t min = method == forecast_method::holt ? forecast_model::min_points_holt
                                                    : forecast_model::min_points_ar1;
  if (history.size() < min || history.size() > forecast_model::max_points)
    return error{"window", std::string("window must hold ") + std::to_string(min) + ".." +
                               std::to_string(forecast_model::max_points) + " points for " +
                               to_string(method) + " (it holds " + std::to_string(history.size()) +
                               ")"};
  for (std::size_t i = 0; i < history.size(); ++i)
    if (!(std::abs(history[i]) <= forecast_model::max_value))
      return error{"window",
                   "window value " + std::to_string(i) + " must be finite and within +-1e100"};
  return std::nullopt;
}

std::optional<error> check_spec(const model_spec& spec) {
  if (!spec.alpha && !spec.beta)
    return std::nullopt;
  if (spec.method != forecast_method::holt)
    return error{spec.alpha ? "alpha" : "beta", "alpha and beta apply to method holt only"};
  if (!spec.alpha)
    return error{"alpha", "alpha must be given with beta"};
  if (!spec.beta)
    return error{"beta", "beta must be given with alpha"};
  double alpha = *spec.alpha, beta = *spec.beta;
  if (!(alpha > 0 && alpha <= 1))
    return error{"alpha", "alpha must be in (0, 1]"};
  if (!(beta >= 0 && beta <= alpha))
    return error{"beta", "beta must be in [0, alpha]"};
  return std::nullopt;
}

} // namespace

const char* to_string(forecast_method m) noexcept {
  return m == forecast_method::ar1 ? "ar1" : "holt";
}

std::optional<forecast_method> parse_forecast_method(std::string_view name) {
  if (name == "holt")
    return forecast_method::holt;
  if (name == "ar1")
    return forecast_method::ar1;
  return std::nullopt;
}

expected<forecast_model> forecast_model::fit(const std::vector<double>& history,
                                             const model_spec& spec) {
  if (auto e = check_history(history, spec.method))
    return *e;
  if (auto e = check_spec(spec))
    return *e;
  if (spec.method == forecast_method::ar1)
    return forecast_model(fit_ar1(history));
  if (spec.alpha)
    return forecast_model(fit_holt(history, *spec.alpha, *spec.beta));
  return forecast_model(fit_holt(history));
}

std::uint64_t forecast_model::fit_work(std::size_t points, const model_spec& spec) noexcept {
  std::uint64_t passes = spec.method == forecast_method::ar1 ? 3
                         : spec.alpha                        ? 2
                                                             : holt_max_evaluations;
  return passes * points;
}

forecast_method forecast_model::method() const noexcept {
  return std::holds_alternative<ar1_fit>(fit_) ? forecast_method::ar1 : forecast_method::holt;
}

double forecast_model::sigma2() const {
  if (auto* h = std::get_if<holt_fit>(&fit_))
    return h->sse / static_cast<double>(h->n);
  return std::get<ar1_fit>(fit_).sigma2;
}

std::variant<holt_parameters, ar1_parameters> forecast_model::parameters() const {
  if (auto* h = std::get_if<holt_fit>(&fit_))
    return holt_parameters{h->alpha, h->beta, h->l0, h->b0, std::sqrt(sigma2())};
  const auto& a = std::get<ar1_fit>(fit_);
  return ar1_parameters{a.c, a.phi, std::sqrt(sigma2())};
}

void forecast_model::forecast(std::size_t horizon, std::vector<double>& mean,
                              std::vector<double>& variance) const {
  mean.resize(horizon);
  variance.resize(horizon);
  const double s2 = sigma2();
  if (auto* h = std::get_if<holt_fit>(&fit_)) {
    for (std::size_t k = 1; k <= horizon; ++k) {
      mean[k - 1] = h->level + static_cast<double>(k) * h->trend;
      variance[k - 1] = s2 * holt_relative_variance(h->alpha, h->beta, k);
    }
    return;
  }
  const auto& a = std::get<ar1_fit>(fit_);
  double m = a.last, weights = 0, phi_power2 = 1; // phi^(2i)
  for (std::size_t k = 1; k <= horizon; ++k) {
    m = a.c + a.phi * m;
    weights += phi_power2;
    phi_power2 *= a.phi * a.phi;
    mean[k - 1] = m;
    variance[k - 1] = s2 * weights;
  }
}

void forecast_model::simulate(normal_generator& normals, double* out, std::size_t horizon) const {
  const double s = std::sqrt(sigma2());
  if (auto* h = std::get_if<holt_fit>(&fit_)) {
    double level = h->level, trend = h->trend;
    for (std::size_t k = 0; k < horizon; ++k) {
      double e = s * normals();
      out[k] = level + trend + e;
      level += trend + h->alpha * e;
      trend += h->beta * e;
    }
    return;
  }
  const auto& a = std::get<ar1_fit>(fit_);
  double x = a.last;
  for (std::size_t k = 0; k < horizon; ++k) {
    x = a.c + a.phi * x + s * normals();
    out[k] = x;
  }
}

} // namespace rtd::finance
