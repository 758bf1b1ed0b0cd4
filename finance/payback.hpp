#pragma once
// Payback periods (protocol.md, Calculations): the fractional number of periods until the
// cumulative cash flow reaches initial_investment, interpolating linearly within the period
// where it is crossed (cash is assumed to arrive evenly over that period). The discounted
// payback does the same on present values.
//
// Conventions:
//  - the first time the cumulative flow reaches the investment counts, even if later negative
//    flows take it back below;
//  - an initial_investment <= 0 is recovered at once: payback 0;
//  - never reached within the n periods: std::nullopt (JSON null);
//  - discounted_payback_period is std::nullopt when no discount_rate is given.

#include "finance/expected.hpp"
#include "finance/results.hpp"

#include <optional>
#include <vector>

namespace rtd::finance {

/// Fractional periods until the running sum of `flows` reaches `target`, or nullopt.
/// No checks; exposed for tests and for callers that already hold present values.
std::optional<double> payback_period(const std::vector<double>& flows, double target);

/// Simple and (when `discount_rate` is given) discounted payback. Refuses empty or non-finite
/// inputs and a discount_rate <= -1.
expected<payback_result> payback(const std::vector<double>& cash_flows, double initial_investment,
                                 std::optional<double> discount_rate = std::nullopt);

} // namespace rtd::finance
