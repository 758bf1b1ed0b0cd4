#include "protocol/calculation_rules.hpp"

#include <cstdio>

namespace rtd::protocol {

namespace {

std::optional<parameter_error> refuse(std::string message) {
  return parameter_error{error_code::invalid_parameters, std::move(message)};
}

std::string required_for(const char* field, calculation_type type) {
  return std::string{"parameters."} + field + " is required for " + std::string{to_string(type)};
}

/// Rules every type shares: the cash flows and, when given, the discount rate.
std::optional<parameter_error> check_common(const calculation_parameters& p) {
  if (p.cash_flows.empty() || p.cash_flows.size() > max_cash_flows)
    return refuse("parameters.cash_flows must have 1 to " + std::to_string(max_cash_flows) +
                  " entries, got " + std::to_string(p.cash_flows.size()));
  if (p.discount_rate && !p.discount_rate->market && !(p.discount_rate->value > -1.0))
    return refuse("parameters.discount_rate must be > -1");
  return std::nullopt;
}

/// Whether -investment followed by `flows` has both a positive and a negative entry.
bool changes_sign(const std::vector<double>& flows, double investment) {
  bool positive = -investment > 0;
  bool negative = -investment < 0;
  for (double cf : flows) {
    positive = positive || cf > 0;
    negative = negative || cf < 0;
  }
  return positive && negative;
}

std::optional<parameter_error> check_type(const calculate_request& r) {
  const auto& p = r.parameters;
  auto type = r.type;
  bool needs_rate = type == calculation_type::npv || type == calculation_type::monte_carlo ||
                    type == calculation_type::sensitivity;
  if (!p.initial_investment)
    return refuse(required_for("initial_investment", type));
  if (needs_rate && !p.discount_rate)
    return refuse(required_for("discount_rate", type));
  switch (type) {
  case calculation_type::roi:
    if (!(*p.initial_investment > 0))
      return refuse("parameters.initial_investment must be > 0 for roi");
    break;
  case calculation_type::monte_carlo:
    if (!p.volatility)
      return refuse(required_for("volatility", type));
    if (!(*p.volatility >= 0))
      return refuse("parameters.volatility must be >= 0");
    if (p.iterations && (*p.iterations < 1 || *p.iterations > max_iterations))
      return refuse("parameters.iterations must be between 1 and " +
                    std::to_string(max_iterations));
    break;
  case calculation_type::irr:
    if (!changes_sign(p.cash_flows, *p.initial_investment))
      return refuse("parameters.cash_flows: no IRR exists, the cash flows (with "
                    "-initial_investment at t = 0) never change sign");
    break;
  case calculation_type::sensitivity:
    if (p.variation && !(*p.variation >= 0 && *p.variation < 1))
      return refuse("parameters.variation must be >= 0 and < 1");
    break;
  default:
    break;
  }
  return std::nullopt;
}

void append_number(std::string& out, double x) {
  char text[32];
  std::snprintf(text, sizeof(text), "%a,", x); // exact: hex float
  out += text;
}

} // namespace

std::optional<parameter_error> validate(const calculate_request& request) {
  if (auto e = check_common(request.parameters))
    return e;
  return check_type(request);
}

bool depends_on_market(const calculate_request& request) {
  const auto& rate = request.parameters.discount_rate;
  return rate && rate->market;
}

std::string cache_key(const calculate_request& request, double market_rate) {
  const auto& p = request.parameters;
  std::string key{to_string(request.type)};
  key += '|';
  for (double cf : p.cash_flows)
    append_number(key, cf);
  key += '|';
  if (p.discount_rate)
    append_number(key, p.discount_rate->market ? market_rate : p.discount_rate->value);
  key += '|';
  for (const auto& x : {p.initial_investment, p.volatility, p.variation}) {
    if (x)
      append_number(key, *x);
    key += '|';
  }
  if (request.type == calculation_type::monte_carlo)
    key += std::to_string(p.iterations.value_or(default_iterations)) + "|" +
           std::to_string(p.seed.value_or(0));
  return key;
}

} // namespace rtd::protocol
