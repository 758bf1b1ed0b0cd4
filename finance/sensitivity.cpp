#include "finance/sensitivity.hpp"

#include "finance/checks.hpp"
#include "finance/npv.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>

namespace rtd::finance {
namespace {

/// One tornado bar: `npv_at(value)` is the npv with this input set to `value`.
template <class NpvAt>
sensitivity_input bar(const char* name, double base_value, double variation, NpvAt npv_at) {
  sensitivity_input in;
  in.input = name;
  in.low_value = base_value * (1 - variation);
  in.high_value = base_value * (1 + variation);
  in.npv_low = npv_at(in.low_value);
  in.npv_high = npv_at(in.high_value);
  in.swing = std::abs(in.npv_high - in.npv_low);
  return in;
}

} // namespace

expected<sensitivity_result> sensitivity(const std::vector<double>& cash_flows,
                                         double discount_rate, double initial_investment,
                                         double variation) {
  auto base = npv(cash_flows, discount_rate, initial_investment);
  if (!base)
    return base.error();
  if (auto e = check_finite("variation", variation))
    return *e;
  if (variation < 0)
    return error{"variation", "variation must be >= 0"};
  for (double rate : {discount_rate * (1 - variation), discount_rate * (1 + variation)})
    if (rate <= -1)
      return error{"variation", "discount_rate * (1 +/- variation) must stay > -1"};

  // Scaling every cash flow by k scales the discounted sum by k, so one base sum serves both
  // cash_flows bars without rebuilding a scaled vector.
  double discounted_sum = 0;
  for (double pv : base->present_values)
    discounted_sum += pv;
  sensitivity_result result;
  result.base_npv = base->npv;
  result.inputs.push_back(bar("discount_rate", discount_rate, variation, [&](double rate) {
    return npv_value(cash_flows, rate, initial_investment);
  }));
  result.inputs.push_back(bar("cash_flows", 1.0, variation, [&](double scale) {
    return scale * discounted_sum - initial_investment;
  }));
  result.inputs.push_back(bar("initial_investment", initial_investment, variation,
                              [&](double investment) { return discounted_sum - investment; }));
  for (const auto& in : result.inputs)
    if (!std::isfinite(in.npv_low) || !std::isfinite(in.npv_high))
      return error{in.input, "npv overflows when " + in.input + " varies"};
  std::stable_sort(result.inputs.begin(), result.inputs.end(),
                   [](const auto& a, const auto& b) { return a.swing > b.swing; });
  return result;
}

} // namespace rtd::finance
