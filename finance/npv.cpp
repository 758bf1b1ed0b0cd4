#include "finance/npv.hpp"

#include "finance/checks.hpp"

#include <cmath>
#include <string>

namespace rtd::finance {

double discount_factor(double rate, std::size_t t) {
  return 1.0 / std::pow(1.0 + rate, static_cast<double>(t));
}

std::vector<double> present_values(const std::vector<double>& cash_flows, double rate) {
  std::vector<double> out(cash_flows.size());
  for (std::size_t i = 0; i < cash_flows.size(); ++i)
    out[i] = cash_flows[i] * discount_factor(rate, i + 1);
  return out;
}

double npv_value(const std::vector<double>& cash_flows, double rate, double initial_investment) {
  // Same operations in the same order as npv() below, so both agree to the bit.
  double sum = 0;
  for (std::size_t i = 0; i < cash_flows.size(); ++i)
    sum += cash_flows[i] * discount_factor(rate, i + 1);
  return sum - initial_investment;
}

expected<npv_result> npv(const std::vector<double>& cash_flows, double discount_rate,
                         double initial_investment) {
  if (auto e = check_cash_flows(cash_flows))
    return *e;
  if (auto e = check_rate("discount_rate", discount_rate))
    return *e;
  if (auto e = check_finite("initial_investment", initial_investment))
    return *e;
  npv_result result;
  result.present_values = present_values(cash_flows, discount_rate);
  double sum = 0;
  for (double pv : result.present_values)
    sum += pv;
  result.npv = sum - initial_investment;
  result.discount_rate = discount_rate;
  // Finite inputs can still overflow: a rate near -1 over many periods makes 1/(1+r)^t inf.
  if (!std::isfinite(result.npv)) {
    bool rate_at_fault = !std::isfinite(discount_factor(discount_rate, cash_flows.size()));
    std::string field = rate_at_fault ? "discount_rate" : "cash_flows";
    return error{field, "npv overflows: " + field + " too extreme"};
  }
  return result;
}

} // namespace rtd::finance
