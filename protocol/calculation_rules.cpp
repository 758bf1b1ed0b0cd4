#include "protocol/calculation_rules.hpp"

#include "finance/forecast.hpp"
#include "finance/forecast_npv.hpp"

#include <cstring>

namespace rtd::protocol {

static_assert(max_horizon == finance::max_forecast_horizon);
static_assert(max_window == finance::forecast_model::max_points);
static_assert(max_paths <= finance::max_forecast_npv_paths);

namespace {

std::optional<parameter_error> refuse(std::string message) {
  return parameter_error{error_code::invalid_parameters, std::move(message)};
}

std::string required_for(const char* field, calculation_type type) {
  return std::string{"parameters."} + field + " is required for " + std::string{to_string(type)};
}

std::optional<parameter_error> check_cash_flows(const std::vector<double>& flows, std::size_t max) {
  if (flows.empty() || flows.size() > max)
    return refuse("parameters.cash_flows must have 1 to " + std::to_string(max) + " entries, got " +
                  std::to_string(flows.size()));
  return std::nullopt;
}

/// A discount rate, when given: > -1 or "market"; forecast_npv's rate is the market's forecast.
std::optional<parameter_error> check_rate(const calculate_request& r) {
  const auto& rate = r.parameters.discount_rate;
  if (!rate || rate->market)
    return std::nullopt;
  if (r.type == calculation_type::forecast_npv)
    return refuse("parameters.discount_rate must be \"market\" or absent for forecast_npv: the "
                  "rate follows the forecast of the market's discount_rate");
  if (!(rate->value > -1.0))
    return refuse("parameters.discount_rate must be > -1");
  return std::nullopt;
}

/// Whether -investment followed by `flows` has both a positive and a negative entry.
bool changes_sign(const std::vector<double>& flows, double investment) {
  bool positive = -investment > 0;
  bool negative = -investment < 0;
  for (double cf : flows) {
    positive = positive || cf > 0;
    negative = negative || cf < 0;
  }
  return positive && negative;
}

/// The rules of the cash flow types (all but forecast and forecast_npv).
std::optional<parameter_error> check_type(const calculate_request& r) {
  const auto& p = r.parameters;
  auto type = r.type;
  bool needs_rate = type == calculation_type::npv || type == calculation_type::monte_carlo ||
                    type == calculation_type::sensitivity;
  if (needs_rate && !p.discount_rate)
    return refuse(required_for("discount_rate", type));
  switch (type) {
  case calculation_type::roi:
    if (!(*p.initial_investment > 0))
      return refuse("parameters.initial_investment must be > 0 for roi");
    break;
  case calculation_type::monte_carlo:
    if (!p.volatility)
      return refuse(required_for("volatility", type));
    if (!p.volatility->market && !(p.volatility->value >= 0))
      return refuse("parameters.volatility must be >= 0 or \"market\"");
    if (p.iterations && (*p.iterations < 1 || *p.iterations > max_iterations))
      return refuse("parameters.iterations must be between 1 and " +
                    std::to_string(max_iterations));
    break;
  case calculation_type::irr:
    if (!changes_sign(p.cash_flows, *p.initial_investment))
      return refuse("parameters.cash_flows: no IRR exists, the cash flows (with "
                    "-initial_investment at t = 0) never change sign");
    break;
  case calculation_type::sensitivity:
    if (p.variation && !(*p.variation >= 0 && *p.variation < 1))
      return refuse("parameters.variation must be >= 0 and < 1");
    break;
  default:
    break;
  }
  return std::nullopt;
}

/// Holt's alpha and beta: both or neither, in the classical region.
std::optional<parameter_error> check_smoothing(const calculation_parameters& p,
                                               forecast_method method) {
  if (!p.alpha && !p.beta)
    return std::nullopt;
  if (method != forecast_method::holt)
    return refuse(std::string{"parameters."} + (p.alpha ? "alpha" : "beta") +
                  " applies to method holt only");
  if (!p.alpha)
    return refuse("parameters.alpha must be given with beta");
  if (!p.beta)
    return refuse("parameters.beta must be given with alpha");
  if (!(*p.alpha > 0 && *p.alpha <= 1))
    return refuse("parameters.alpha must be in (0, 1]");
  if (!(*p.beta >= 0 && *p.beta <= *p.alpha))
    return refuse("parameters.beta must be in [0, alpha]");
  return std::nullopt;
}

/// The rules of forecast and forecast_npv's model; forecast's series and horizon.
std::optional<parameter_error> check_forecast(const calculate_request& r) {
  const auto& p = r.parameters;
  auto method = method_of(r);
  if (r.type == calculation_type::forecast) {
    if (!p.indicator)
      return refuse(required_for("indicator", r.type));
    if (!p.horizon)
      return refuse(required_for("horizon", r.type));
    if (*p.horizon < 1 || *p.horizon > max_horizon)
      return refuse("parameters.horizon must be between 1 and " + std::to_string(max_horizon));
  }
  if (p.window && (*p.window < min_window(method) || *p.window > max_window))
    return refuse("parameters.window must be between " + std::to_string(min_window(method)) +
                  " and " + std::to_string(max_window) + " for " + std::string{to_string(method)});
  if (auto e = check_smoothing(p, method))
    return e;
  if (r.type == calculation_type::forecast_npv && p.paths && (*p.paths < 1 || *p.paths > max_paths))
    return refuse("parameters.paths must be between 1 and " + std::to_string(max_paths));
  return std::nullopt;
}

/// Appends the bytes of `x` (a double's exact bits, or an integer's): fixed widths, so the
/// key is unambiguous without separators.
template <class T> void append_bytes(std::string& out, T x) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &x, sizeof(T));
  out.append(bytes, sizeof(T));
}

/// A count, then the values.
void append_doubles(std::string& out, const std::vector<double>& xs) {
  append_bytes(out, static_cast<std::uint64_t>(xs.size()));
  for (double x : xs)
    append_bytes(out, x);
}

/// A present optional as a marker byte and its value; an absent one as the marker alone.
void append_optional(std::string& out, const std::optional<double>& x) {
  out += x ? '\1' : '\0';
  if (x)
    append_bytes(out, *x);
}

/// The value a number-or-"market" input stands for, when given.
std::optional<double> resolved(const std::optional<rate_input>& in, double market) {
  if (!in)
    return std::nullopt;
  return in->market ? market : in->value;
}

/// A live calculation re-runs as the market moves: one with no input from the market would
/// send one result and then hold a slot doing nothing.
std::optional<parameter_error> check_live(const calculate_request& request) {
  if (request.live && depends_on_market(request) == market_dependence::none)
    return refuse("live needs an input the market supplies: parameters.discount_rate \"market\" "
                  "(or, for monte_carlo, parameters.volatility \"market\")");
  return std::nullopt;
}

std::optional<parameter_error> check_request(const calculate_request& request) {
  if (request.type == calculation_type::forecast)
    return check_forecast(request);
  bool forecast_npv = request.type == calculation_type::forecast_npv;
  if (auto e = check_cash_flows(request.parameters.cash_flows,
                                forecast_npv ? max_horizon : max_cash_flows))
    return e;
  if (auto e = check_rate(request))
    return e;
  if (!request.parameters.initial_investment)
    return refuse(required_for("initial_investment", request.type));
  return forecast_npv ? check_forecast(request) : check_type(request);
}

} // namespace

std::optional<parameter_error> validate(const calculate_request& request) {
  if (auto e = check_request(request))
    return e;
  return check_live(request);
}

std::uint64_t min_window(forecast_method method) {
  return method == forecast_method::ar1 ? finance::forecast_model::min_points_ar1
                                        : finance::forecast_model::min_points_holt;
}

forecast_method method_of(const calculate_request& request) {
  return request.parameters.method.value_or(forecast_method::holt);
}

std::optional<market_indicator> series_of(const calculate_request& request) {
  if (request.type == calculation_type::forecast)
    return request.parameters.indicator;
  if (request.type == calculation_type::forecast_npv)
    return market_indicator::discount_rate;
  return std::nullopt;
}

market_dependence depends_on_market(const calculate_request& request) {
  const auto& p = request.parameters;
  if (series_of(request))
    return market_dependence::market_step;
  if (request.type == calculation_type::monte_carlo && p.volatility && p.volatility->market)
    return market_dependence::analytics;
  if (p.discount_rate && p.discount_rate->market)
    return market_dependence::market_step;
  return market_dependence::none;
}

std::string cache_key(const calculate_request& request, const market_inputs& market) {
  const auto& p = request.parameters;
  std::string key;
  key.reserve(96 + 8 * (p.cash_flows.size() + market.history.size()));
  key += static_cast<char>(request.type);
  append_doubles(key, p.cash_flows);
  auto series = series_of(request);
  // A forecast's rate is the forecast's, not a parameter.
  std::optional<double> rate;
  if (!series)
    rate = resolved(p.discount_rate, market.rate);
  for (const auto& x :
       {rate, p.initial_investment, resolved(p.volatility, market.volatility), p.variation})
    append_optional(key, x);
  if (request.type == calculation_type::monte_carlo) {
    append_bytes(key, p.iterations.value_or(default_iterations));
    append_bytes(key, p.seed.value_or(0));
  }
  if (series) {
    key += static_cast<char>(*series);
    append_bytes(key, p.horizon.value_or(0));
    key += static_cast<char>(method_of(request));
    append_optional(key, p.alpha);
    append_optional(key, p.beta);
    append_doubles(key, market.history); // the window used: its length and its points
    append_bytes(key, p.paths.value_or(default_paths));
    append_bytes(key, p.seed.value_or(default_forecast_seed));
  }
  return key;
}

} // namespace rtd::protocol
