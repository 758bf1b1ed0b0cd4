#pragma once
// Minimal input checks shared by the kernels. Request validation proper (types, limits,
// defaults) belongs to the protocol layer; these only refuse what a kernel cannot compute, so
// that a kernel called directly (tests, benchmarks, another caller) never returns garbage.

#include "finance/expected.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rtd::finance {

/// Refuses an empty list or a non-finite entry, naming `cash_flows`.
std::optional<error> check_cash_flows(const std::vector<double>& cash_flows);

/// Refuses a non-finite number, naming `field`.
std::optional<error> check_finite(const std::string& field, double value);

/// Refuses a non-finite rate or one <= -1 (1 + r must stay positive to discount).
std::optional<error> check_rate(const std::string& field, double rate);

} // namespace rtd::finance
