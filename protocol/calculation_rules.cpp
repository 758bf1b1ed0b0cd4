#include "protocol/calculation_rules.hpp"

#include <cstring>

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

/// Appends the bytes of `x` (a double's exact bits, or an integer's): fixed widths, so the
/// key is unambiguous without separators.
template <class T> void append_bytes(std::string& out, T x) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &x, sizeof(T));
  out.append(bytes, sizeof(T));
}

/// A present optional as a marker byte and its value; an absent one as the marker alone.
void append_optional(std::string& out, const std::optional<double>& x) {
  out += x ? '\1' : '\0';
  if (x)
    append_bytes(out, *x);
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
  std::string key;
  key.reserve(64 + 8 * p.cash_flows.size());
  key += static_cast<char>(request.type);
  append_bytes(key, static_cast<std::uint64_t>(p.cash_flows.size()));
  for (double cf : p.cash_flows)
    append_bytes(key, cf);
  std::optional<double> rate;
  if (p.discount_rate)
    rate = p.discount_rate->market ? market_rate : p.discount_rate->value;
  for (const auto& x : {rate, p.initial_investment, p.volatility, p.variation})
    append_optional(key, x);
  if (request.type == calculation_type::monte_carlo) {
    append_bytes(key, p.iterations.value_or(default_iterations));
    append_bytes(key, p.seed.value_or(0));
  }
  return key;
}

} // namespace rtd::protocol
