#include "finance/checks.hpp"

#include <cmath>

namespace rtd::finance {

std::optional<error> check_cash_flows(const std::vector<double>& cash_flows) {
  if (cash_flows.empty())
    return error{"cash_flows", "cash_flows must not be empty"};
  for (std::size_t i = 0; i < cash_flows.size(); ++i)
    if (!std::isfinite(cash_flows[i]))
      return error{"cash_flows", "cash_flows[" + std::to_string(i) + "] must be finite"};
  return std::nullopt;
}

std::optional<error> check_finite(const std::string& field, double value) {
  if (!std::isfinite(value))
    return error{field, field + " must be finite"};
  return std::nullopt;
}

std::optional<error> check_rate(const std::string& field, double rate) {
  if (auto e = check_finite(field, rate))
    return e;
  if (rate <= -1)
    return error{field, field + " must be > -1"};
  return std::nullopt;
}

} // namespace rtd::finance
