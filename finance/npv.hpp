#pragma once
// Net present value (protocol.md, Calculations):
//   npv = -initial_investment + sum_{t=1..n} cash_flows[t-1] / (1 + r)^t

#include "finance/expected.hpp"
#include "finance/results.hpp"

#include <vector>

namespace rtd::finance {

/// 1 / (1 + rate)^t. Computed with std::pow per period rather than by repeated division so
/// the error does not grow with t (cash_flows may hold 10,000 entries).
double discount_factor(double rate, std::size_t t);

/// The discounted cash flows: element t-1 is cash_flows[t-1] * discount_factor(rate, t).
/// No checks: the caller guarantees rate > -1.
std::vector<double> present_values(const std::vector<double>& cash_flows, double rate);

/// The npv alone, with no allocation and no checks, for inner loops (sensitivity, Monte
/// Carlo). Bit-identical to `npv(...)->npv` for the same arguments.
double npv_value(const std::vector<double>& cash_flows, double rate, double initial_investment);

/// Checked npv with present values. Refuses empty or non-finite cash_flows, a rate that is not
/// finite or is <= -1, a non-finite initial_investment.
expected<npv_result> npv(const std::vector<double>& cash_flows, double discount_rate,
                         double initial_investment);

} // namespace rtd::finance
