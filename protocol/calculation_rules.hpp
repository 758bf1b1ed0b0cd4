// What a `calculate` request must satisfy before any job starts: the parameters each
// calculation type needs and the ranges they must lie in.
#pragma once

#include "protocol/messages.hpp"

#include <optional>
#include <string>

namespace rtd::protocol {

inline constexpr std::size_t max_cash_flows = 10'000;
inline constexpr std::uint64_t max_iterations = 10'000'000;
inline constexpr std::uint64_t default_iterations = 100'000;
inline constexpr double default_variation = 0.2;

/// Why a request's parameters are refused; `message` names the field.
struct parameter_error {
  error_code code = error_code::invalid_parameters;
  std::string message;
};

/// Checks `request` against its type's rules; nothing when it may run.
std::optional<parameter_error> validate(const calculate_request& request);

/// Whether an input depends on the market (so a live calculation re-runs on market updates).
bool depends_on_market(const calculate_request& request);

/// A key naming the calculation exactly: type and every parameter that affects the result,
/// with `market_rate` standing in for a "market" discount rate. Equal keys, equal results.
/// Binary (the numbers' exact bits, fixed widths, counts before lists): cheap to build, and
/// two different calculations never share a key.
std::string cache_key(const calculate_request& request, double market_rate);

} // namespace rtd::protocol
