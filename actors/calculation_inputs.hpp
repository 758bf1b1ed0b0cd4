// What a calculation takes from the market, resolved from what the calculation service knows
// of it: the latest market step and the series recorded before it (market_series), and the
// latest analytics. The service resolves a request's inputs when it starts, and a live job's
// again each time the market moves what the job depends on
// (protocol::depends_on_market).
#pragma once

#include "actors/interfaces.hpp"
#include "actors/market_series.hpp"

#include <optional>
#include <variant>

namespace rtd {

/// The inputs `request` (validated) runs on now, or why it cannot run: nothing known yet of
/// what it needs (`internal`, as the market has not moved yet), or a forecast window of more
/// points than are recorded (`invalid_parameters`, saying how many are). A forecast without
/// `window` takes the last protocol::default_window points, or all there are when fewer.
/// "market" volatility is finance::market_volatility of the analytics' discount rate, and a
/// "market" rate of the same request comes from the same analytics update.
std::variant<job_inputs, protocol::parameter_error>
resolve_inputs(const protocol::calculate_request& request, const market_series& series,
               const std::optional<protocol::analytics_update>& analytics);

} // namespace rtd
