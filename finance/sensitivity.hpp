#pragma once
// One-at-a-time sensitivity of npv (protocol.md, Calculations): each of discount_rate,
// cash_flows (all scaled together by one factor) and initial_investment is moved to
// value * (1 - variation) and value * (1 + variation) with the others at base, giving one bar
// of a tornado chart. Bars are sorted by swing, largest first; equal swings keep the order
// discount_rate, cash_flows, initial_investment (a stable sort, so output is deterministic).

#include "finance/expected.hpp"
#include "finance/results.hpp"

#include <vector>

namespace rtd::finance {

/// Tornado data for npv. Refuses what npv refuses, a variation that is negative or not
/// finite, and a variation that would push the discount rate to <= -1.
expected<sensitivity_result> sensitivity(const std::vector<double>& cash_flows,
                                         double discount_rate, double initial_investment,
                                         double variation = 0.2);

} // namespace rtd::finance
