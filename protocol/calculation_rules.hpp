// What a `calculate` request must satisfy before any job starts: the parameters each
// calculation type needs and the ranges they must lie in; which of its inputs the market
// supplies; and the key that names its result in the cache.
#pragma once

#include "protocol/messages.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rtd::protocol {

inline constexpr std::size_t max_cash_flows = 10'000;
inline constexpr std::uint64_t max_iterations = 10'000'000;
inline constexpr std::uint64_t default_iterations = 100'000;
inline constexpr double default_variation = 0.2;
/// forecast's `horizon` and forecast_npv's cash flows: 1..max_horizon steps.
inline constexpr std::uint64_t max_horizon = 1000;
/// Most `window` points; a node records at most its --forecast-history steps, which may be
/// fewer. (Both bounds are finance's: checked against its constants where they are used.)
inline constexpr std::uint64_t max_window = 100'000;
/// Recorded points a forecast without `window` uses (fewer when fewer are recorded).
inline constexpr std::uint64_t default_window = 500;
/// forecast_npv's `paths`: the kernel takes up to 1,000,000, but 100,000 paths of 1000
/// steps already cost ~0.3 s of a core; the interval's standard error at 2,000 is ~2%.
inline constexpr std::uint64_t max_paths = 100'000;
inline constexpr std::uint64_t default_paths = 2000;
/// forecast_npv without `seed`: a fixed one, so that its result depends on its inputs only.
inline constexpr std::uint64_t default_forecast_seed = 0;

/// Why a request's parameters are refused; `message` names the field.
struct parameter_error {
  error_code code = error_code::invalid_parameters;
  std::string message;
};

/// Checks `request` against its type's rules; nothing when it may run.
std::optional<parameter_error> validate(const calculate_request& request);

/// Fewest `window` points a forecast method fits (finance's forecast_model).
std::uint64_t min_window(forecast_method method);

/// The method a forecast or forecast_npv uses (holt unless given).
forecast_method method_of(const calculate_request& request);

/// The market indicator whose recorded series a request is fitted on: forecast's
/// `indicator`, forecast_npv's discount_rate; nothing for the other types.
std::optional<market_indicator> series_of(const calculate_request& request);

/// Where a request's inputs come from besides its parameters, which is what a live
/// calculation re-runs on: nothing; each market step (a "market" discount rate, the series of
/// forecast and forecast_npv); or each analytics update (a "market" volatility, which takes a
/// "market" discount rate from the same update).
enum class market_dependence { none, market_step, analytics };
market_dependence depends_on_market(const calculate_request& request);

/// What the market supplies to a calculation: the values that "market" stands for, and the
/// recorded points a forecast is fitted on.
struct market_inputs {
  double rate = 0.0;           ///< for a "market" discount rate
  double volatility = 0.0;     ///< for a "market" volatility (mapped, see finance)
  std::vector<double> history; ///< forecast, forecast_npv: the window, oldest first

  bool operator==(const market_inputs& other) const {
    return rate == other.rate && volatility == other.volatility && history == other.history;
  }
  bool operator!=(const market_inputs& other) const { return !(*this == other); }
};

/// A key naming the calculation exactly: type and every parameter that affects the result,
/// with `market`'s values standing in for "market" and its recorded points for a forecast's
/// window. Equal keys, equal results. Binary (the numbers' exact bits, fixed widths, counts
/// before lists): cheap to build, and two different calculations never share a key.
std::string cache_key(const calculate_request& request, const market_inputs& market);

} // namespace rtd::protocol
