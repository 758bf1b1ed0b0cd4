#pragma once
// Return on investment (protocol.md, Calculations), with n = number of cash flows (years):
//   net_gain       = sum(cash_flows) - initial_investment
//   roi            = net_gain / initial_investment
//   annualized_roi = (1 + roi)^(1/n) - 1
//
// Rule for 1 + roi < 0 (the flows sum to less than zero: the investment lost more than
// everything): a real n-th root of a negative number is undefined for even n, and a
// "negative growth factor" has no economic meaning for any n, so we refuse with an error
// naming `cash_flows` rather than inventing a number (the protocol forbids NaN/inf). When
// 1 + roi == 0 (everything lost, nothing more), annualized_roi is exactly -1.

#include "finance/expected.hpp"
#include "finance/results.hpp"

#include <vector>

namespace rtd::finance {

/// ROI, annualized ROI and net gain. Refuses initial_investment <= 0 (roi divides by it) and
/// sum(cash_flows) < 0 (see the rule above).
expected<roi_result> roi(const std::vector<double>& cash_flows, double initial_investment);

} // namespace rtd::finance
