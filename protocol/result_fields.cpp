#include "protocol/result_fields.hpp"

#include <rapidjson/document.h>

#include <array>

namespace rtd::protocol {

const std::vector<std::string_view>& numeric_result_fields(calculation_type type) {
  // Indexed by calculation_type; the fields calculation_results.cpp writes as numbers.
  static const std::array<std::vector<std::string_view>, all_calculation_types.size()> fields{{
      {"npv", "discount_rate"},
      {"irr"},
      {"roi", "annualized_roi", "net_gain"},
      {"payback_period", "discounted_payback_period"},
      {"mean_npv", "std_npv", "p5", "p50", "p95", "probability_of_loss", "var_95", "iterations"},
      {"base_npv"},
      {},
      {"npv", "npv_lower_95", "npv_upper_95"},
  }};
  return fields[static_cast<std::size_t>(type)];
}

std::optional<double> result_number(std::string_view result, std::string_view field) {
  rapidjson::Document doc;
  doc.Parse(result.data(), result.size());
  if (doc.HasParseError() || !doc.IsObject())
    return std::nullopt;
  auto it = doc.FindMember(rapidjson::Value{
      rapidjson::StringRef(field.data(), static_cast<rapidjson::SizeType>(field.size()))});
  if (it == doc.MemberEnd() || !it->value.IsNumber())
    return std::nullopt;
  return it->value.GetDouble();
}

} // namespace rtd::protocol
