#include "finance/roi.hpp"

#include "finance/checks.hpp"

#include <cmath>

namespace rtd::finance {

expected<roi_result> roi(const std::vector<double>& cash_flows, double initial_investment) {
  if (auto e = check_cash_flows(cash_flows))
    return *e;
  if (auto e = check_finite("initial_investment", initial_investment))
    return *e;
  if (initial_investment <= 0)
    return error{"initial_investment", "initial_investment must be > 0"};
  double total = 0;
  for (double f : cash_flows)
    total += f;
  roi_result result;
  result.net_gain = total - initial_investment;
  result.roi = result.net_gain / initial_investment;
  // 1 + roi computed as total / investment: the same quantity without the cancellation of
  // (1 + (total - I) / I), so a total of exactly 0 gives exactly -1 below.
  double growth = total / initial_investment;
  if (growth < 0)
    return error{"cash_flows", "annualized_roi undefined when the investment loses more than "
                               "everything (sum of cash_flows < 0)"};
  result.annualized_roi = std::pow(growth, 1.0 / static_cast<double>(cash_flows.size())) - 1.0;
  if (!std::isfinite(result.roi) || !std::isfinite(result.annualized_roi))
    return error{"cash_flows", "roi overflows: cash_flows or initial_investment too extreme"};
  return result;
}

} // namespace rtd::finance
