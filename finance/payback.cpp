#include "finance/payback.hpp"

#include "finance/checks.hpp"
#include "finance/npv.hpp"

namespace rtd::finance {

std::optional<double> payback_period(const std::vector<double>& flows, double target) {
  if (target <= 0)
    return 0.0;
  double cumulative = 0;
  for (std::size_t i = 0; i < flows.size(); ++i) {
    double before = cumulative;
    cumulative += flows[i];
    // Crossing in period i + 1; flows[i] > 0 here because before < target <= cumulative.
    if (cumulative >= target)
      return static_cast<double>(i) + (target - before) / flows[i];
  }
  return std::nullopt;
}

expected<payback_result> payback(const std::vector<double>& cash_flows, double initial_investment,
                                 std::optional<double> discount_rate) {
  if (auto e = check_cash_flows(cash_flows))
    return *e;
  if (auto e = check_finite("initial_investment", initial_investment))
    return *e;
  payback_result result;
  result.payback_period = payback_period(cash_flows, initial_investment);
  if (discount_rate) {
    if (auto e = check_rate("discount_rate", *discount_rate))
      return *e;
    result.discounted_payback_period =
        payback_period(present_values(cash_flows, *discount_rate), initial_investment);
  }
  return result;
}

} // namespace rtd::finance
