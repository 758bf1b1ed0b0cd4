#include "actors/calculation_inputs.hpp"

#include "finance/market_volatility.hpp"

#include <algorithm>
#include <string>

namespace rtd {

namespace {

using protocol::error_code;
using protocol::market_dependence;
using protocol::parameter_error;

/// The window of `indicator` a forecast fits on, or why there is none.
std::variant<std::vector<double>, parameter_error>
window_of(const protocol::calculate_request& request, protocol::market_indicator indicator,
          const market_series& series) {
  const auto recorded = static_cast<std::uint64_t>(series.size());
  const auto method = protocol::method_of(request);
  const auto& asked = request.parameters.window;
  const auto n = asked ? *asked : std::min(protocol::default_window, recorded);
  if (n <= recorded && n >= protocol::min_window(method))
    return series.last(indicator, static_cast<std::size_t>(n));
  auto name = std::string{protocol::to_string(indicator)};
  auto held = std::to_string(recorded) + " are recorded (the server keeps at most " +
              std::to_string(series.capacity()) + ")";
  if (asked)
    return parameter_error{error_code::invalid_parameters, "parameters.window asks for " +
                                                               std::to_string(n) + " points of " +
                                                               name + " but " + held};
  return parameter_error{error_code::invalid_parameters,
                         "parameters.window: " + std::string{protocol::to_string(method)} +
                             " needs at least " + std::to_string(protocol::min_window(method)) +
                             " recorded points of " + name + " but " + held};
}

} // namespace

std::variant<job_inputs, parameter_error>
resolve_inputs(const protocol::calculate_request& request, const market_series& series,
               const std::optional<protocol::analytics_update>& analytics) {
  job_inputs out;
  const auto dependence = protocol::depends_on_market(request);
  if (dependence == market_dependence::none)
    return out;
  // Only what the calculation uses, so that a live one re-runs only when that moves.
  const auto indicator = protocol::series_of(request);
  const auto& rate = request.parameters.discount_rate;
  const bool market_rate = rate && rate->market && !indicator;
  if (dependence == market_dependence::analytics) {
    if (!analytics)
      return parameter_error{error_code::internal, "no market volatility is known yet"};
    const auto& figures =
        analytics->indicators[static_cast<std::size_t>(protocol::market_indicator::discount_rate)];
    out.inputs.volatility = finance::market_volatility(figures.value, figures.volatility);
    if (market_rate)
      out.inputs.rate = figures.value;
    out.market_seq = analytics->market_seq;
    return out;
  }
  if (indicator) {
    auto window = window_of(request, *indicator, series);
    if (auto* e = std::get_if<parameter_error>(&window))
      return std::move(*e);
    out.inputs.history = std::get<std::vector<double>>(std::move(window));
  } else if (series.empty()) {
    return parameter_error{error_code::internal, "no market rate is known yet"};
  } else {
    out.inputs.rate = series.latest().values[protocol::market_indicator::discount_rate];
  }
  out.market_seq = series.latest().seq;
  return out;
}

} // namespace rtd
